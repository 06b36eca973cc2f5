"""The golden cases, one module per op: which inputs and parameters each op is checked on, and why.

Only inputs live here; expected values come from running the reference
(:mod:`conformance.golden.generate`). Every case names, on itself, the clause and LB
ids it checks (:class:`Case`, keyword fields). ``ALL`` maps each op to a function
that returns its cases: the op's own, then the coverage-matrix cases
(:func:`shared.coverage_cases`), the LB-1 witnesses (:func:`shared.lb1_witnesses`) and the
reduction sweeps of the other legacy behaviours (:func:`witnesses.witnesses`).
"""

from __future__ import annotations

from . import (
    ce_count_loss,
    ce_max_membrane_loss,
    ce_rate_loss,
    ce_temporal_loss,
    first_spike,
    mse_count_loss,
    mse_membrane_loss,
    mse_temporal_loss,
    multi_spike,
    spike_time,
    tolerance,
)
from .base import Case
from .shared import coverage_cases, lb1_witnesses
from .witnesses import witnesses

_MODULES = (
    ce_rate_loss,
    ce_count_loss,
    ce_max_membrane_loss,
    mse_count_loss,
    mse_membrane_loss,
    mse_temporal_loss,
    ce_temporal_loss,
    first_spike,
    multi_spike,
    tolerance,
    spike_time,
)


def _all_of(module):
    op = module.OP
    return lambda: [*module.cases(), *coverage_cases(op), *lb1_witnesses(op), *witnesses(op)]


ALL = {module.OP: _all_of(module) for module in _MODULES}
__all__ = ["ALL", "Case"]
