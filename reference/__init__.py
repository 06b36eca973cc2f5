"""Reference implementation of snnTorch's loss functions, ``spec`` profile.

What it is for: stating, in readable vectorised torch, exactly what each loss in
``docs/spec/`` computes, value and surrogate gradient. It keeps snnTorch's
names, constructor signatures and call convention, so existing code can swap it
in (``import reference as SF; SF.ce_count_loss()(spk_out, targets)``).

What it is not for: speed records or training features. Where this code and the
text of ``docs/spec/`` disagree, the text wins and this code has a bug.

The ``snntorch-1.0`` profile (upstream's behaviour, quirks included) is
:mod:`reference.compat`, with the same names.
"""

from .common import class_targets, population_code
from .membrane import ce_max_membrane_loss, mse_membrane_loss
from .rate import ce_count_loss, ce_rate_loss, mse_count_loss
from .spike_time import FirstSpike, MultiSpike, SpikeTime, Tolerance, first_spike_step, nth_spike_steps
from .temporal import ce_temporal_loss, mse_temporal_loss

SPEC_VERSION = "1.0.0"
PROFILE = "spec"

__all__ = [
    "PROFILE",
    "SPEC_VERSION",
    "FirstSpike",
    "MultiSpike",
    "SpikeTime",
    "Tolerance",
    "ce_count_loss",
    "ce_max_membrane_loss",
    "ce_rate_loss",
    "ce_temporal_loss",
    "class_targets",
    "first_spike_step",
    "mse_count_loss",
    "mse_membrane_loss",
    "mse_temporal_loss",
    "nth_spike_steps",
    "population_code",
]
