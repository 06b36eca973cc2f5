"""A plain copy of snnTorch 1.0.0's loss API, passed by name, with no declared profile (a legacy-faithful port)."""

from snntorch.functional import (  # noqa: F401
    SpikeTime,
    ce_count_loss,
    ce_max_membrane_loss,
    ce_rate_loss,
    ce_temporal_loss,
    mse_count_loss,
    mse_membrane_loss,
    mse_temporal_loss,
)
