"""How each op of the spec is called, for vectors and properties alike.

Every op takes constructor ``params`` and call ``inputs`` (by name). A loss is
called as ``module.<op>(**params)(*inputs)``; an estimator as
``module.SpikeTime.<Estimator>.apply(*inputs, *params)``; ``spike_time`` as
``module.SpikeTime(**params)(spk_out, targets)``, its pair judged stacked. ``module`` is anything
with snnTorch's loss API: :mod:`reference`, :mod:`reference.compat`,
``snntorch.functional``, or a backend's module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

LOSSES = (
    "ce_rate_loss",
    "ce_count_loss",
    "ce_max_membrane_loss",
    "mse_count_loss",
    "mse_membrane_loss",
    "mse_temporal_loss",
    "ce_temporal_loss",
)
ESTIMATORS = ("first_spike", "multi_spike", "tolerance", "spike_time")
API_NAMES = (*LOSSES, "SpikeTime")  # what a module with snnTorch's loss API defines


@dataclass(frozen=True)
class OpSpec:
    """An op: its input names (in call order), the input it is differentiated against, how it is called,
    and the clauses a property test of it checks (vectors name their own).
    """

    name: str
    inputs: tuple[str, ...]
    differentiable: str
    invoke: Callable
    clauses: tuple[str, ...]


def _loss(name: str) -> Callable:
    def invoke(module, params: dict, inputs: dict) -> torch.Tensor:
        record_name, targets_name = OPS[name].inputs
        return getattr(module, name)(**params)(inputs[record_name], inputs[targets_name])

    return invoke


def _first_spike(module, params: dict, inputs: dict) -> torch.Tensor:
    spk_rec = inputs["spk_rec"]
    return module.SpikeTime.FirstSpike.apply(spk_rec, spk_rec.device)


def _multi_spike(module, params: dict, inputs: dict) -> torch.Tensor:
    spk_rec = inputs["spk_rec"]
    return module.SpikeTime.MultiSpike.apply(spk_rec, params["spk_count"], spk_rec.device)


def _spike_time(module, params: dict, inputs: dict):
    """``SpikeTime(**params)(spk_out, targets)`` returns ``(spk_time, target_time)``; the suite judges the pair
    stacked, ``[2, *shape]`` (both have one shape). Anything else is returned as it is, for the judge to report.
    """
    pair = module.SpikeTime(**params)(inputs["spk_out"], inputs["targets"])
    return stack_pair(pair)


def stack_pair(pair):
    """``torch.stack(pair)`` when ``pair`` is two tensors of one shape, else ``pair`` unchanged.

    The stack promotes: float32 target times beside a half-precision record give a float32 result, which
    the dtype check (SHARED-6) reports. Target times that broadcast to the spike times' shape are expanded
    first (snnTorch 1.0.0 returns explicit target times unexpanded): the values are what is judged.
    """
    if not isinstance(pair, tuple | list) or len(pair) != 2:
        return pair
    first, second = pair
    if not all(type(t) is torch.Tensor for t in pair):
        return pair
    try:
        second = second.expand_as(first)
    except RuntimeError:
        return pair  # shapes that do not fit: the judge reports what came back
    return torch.stack((first, second))


def _tolerance(module, params: dict, inputs: dict) -> torch.Tensor:
    return module.SpikeTime.Tolerance.apply(inputs["spk_time"], inputs["target"], params["tolerance"])


OPS: dict[str, OpSpec] = {
    spec.name: spec
    for spec in [
        OpSpec(
            "ce_rate_loss",
            ("spk_out", "targets"),
            "spk_out",
            _loss("ce_rate_loss"),
            ("CE-RATE-1", "CE-RATE-2", "CE-RATE-3"),
        ),
        OpSpec(
            "ce_count_loss",
            ("spk_out", "targets"),
            "spk_out",
            _loss("ce_count_loss"),
            ("CE-COUNT-1", "CE-COUNT-2", "CE-COUNT-3"),
        ),
        OpSpec(
            "ce_max_membrane_loss",
            ("mem_out", "targets"),
            "mem_out",
            _loss("ce_max_membrane_loss"),
            ("CE-MAX-1", "CE-MAX-2", "CE-MAX-3"),
        ),
        OpSpec(
            "mse_count_loss",
            ("spk_out", "targets"),
            "spk_out",
            _loss("mse_count_loss"),
            ("MSE-COUNT-1", "MSE-COUNT-2", "MSE-COUNT-3", "MSE-COUNT-4"),
        ),
        OpSpec(
            "mse_membrane_loss",
            ("mem_out", "targets"),
            "mem_out",
            _loss("mse_membrane_loss"),
            ("MSE-MEM-1", "MSE-MEM-4", "SHARED-10"),
        ),
        OpSpec(
            "mse_temporal_loss",
            ("spk_rec", "targets"),
            "spk_rec",
            _loss("mse_temporal_loss"),
            ("TMP-MSE-1", "TMP-MSE-2", "TMP-MSE-3", "ST-TGT-1", "ST-TOL-1"),
        ),
        OpSpec(
            "ce_temporal_loss",
            ("spk_rec", "targets"),
            "spk_rec",
            _loss("ce_temporal_loss"),
            ("TMP-CE-1", "TMP-CE-2"),
        ),
        OpSpec(
            "first_spike",
            ("spk_rec",),
            "spk_rec",
            _first_spike,
            ("ST-FIRST-1", "ST-FIRST-2"),
        ),
        OpSpec(
            "multi_spike",
            ("spk_rec",),
            "spk_rec",
            _multi_spike,
            ("ST-MULTI-1", "ST-MULTI-2"),
        ),
        OpSpec(
            "tolerance",
            ("spk_time", "target"),
            "spk_time",
            _tolerance,
            ("ST-TOL-1", "ST-TOL-2"),
        ),
        OpSpec(
            "spike_time",
            ("spk_out", "targets"),
            "spk_out",
            _spike_time,
            ("ST-TGT-1", "ST-TGT-2", "ST-TGT-3", "ST-TGT-4", "ST-FIRST-1", "ST-MULTI-1", "ST-TOL-1"),
        ),
    ]
}


def call(module, op: str, params: dict, inputs: dict) -> torch.Tensor:
    """Run ``op`` of ``module`` on copies of nothing: callers pass fresh tensors."""
    return OPS[op].invoke(module, params, inputs)
