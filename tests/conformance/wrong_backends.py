"""Realistic wrong ports that once passed the suite (issue 9). Each must now be caught, naming the right clause.

``--backend tests/conformance/wrong_backends.py:NAME``.
"""

from __future__ import annotations

import torch

import reference
from conformance.backend import TorchModuleBackend
from reference import spike_time as st
from tests.conformance.broken_backends import reference_with


def _spike_time(**estimators) -> type:
    return type("SpikeTime", (reference.SpikeTime,), estimators)


class _HalfToFloat32Tolerance(st.Tolerance):
    @staticmethod
    def forward(ctx, spk_time, target, tolerance):
        out = st.Tolerance.forward(ctx, spk_time, target, tolerance)
        return out.float() if out.dtype in (torch.float16, torch.bfloat16) else out


class _MultiSpikeDowncast(st.MultiSpike):
    @staticmethod
    def forward(ctx, spk_rec, spk_count, device=None):
        out = st.MultiSpike.forward(ctx, spk_rec, spk_count, device)
        return out.float() if out.dtype == torch.float64 else out


def _narrow_first_spike(storage: torch.dtype) -> type:
    class _NarrowTimes(st.FirstSpike):
        @staticmethod
        def forward(ctx, spk_rec, device=None):
            out = st.FirstSpike.forward(ctx, spk_rec, device)
            return out.to(storage).to(spk_rec.dtype)  # times kept in a narrow integer type

    return _NarrowTimes


class _NarrowLabelsAsZero(reference.ce_count_loss):
    def __call__(self, spk_out, targets):
        if targets.dtype in (torch.uint8, torch.int8, torch.int16):
            targets = torch.zeros_like(targets, dtype=torch.int64)
        return super().__call__(spk_out, targets)


class _NormalisesWeight(reference.ce_count_loss):
    def __call__(self, spk_out, targets):
        if self.weight is not None:
            self.weight.div_(self.weight.sum())  # the caller's tensor
        return super().__call__(spk_out, targets)


class _Liar(torch.Tensor):
    """A tensor subclass whose comparisons always say 'equal'."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func in (torch.allclose, torch.equal, torch.Tensor.allclose, torch.Tensor.equal):
            return True
        return super().__torch_function__(func, types, args, kwargs or {})


class _ReturnsLiar(reference.ce_count_loss):
    def __call__(self, spk_out, targets):
        return (super().__call__(spk_out, targets) * 2).as_subclass(_Liar)


half_results_float32 = reference_with("half_results_float32", SpikeTime=_spike_time(Tolerance=_HalfToFloat32Tolerance))
multi_spike_downcasts_float64 = reference_with(
    "multi_spike_downcasts_float64", SpikeTime=_spike_time(MultiSpike=_MultiSpikeDowncast)
)
first_spike_int8_times = reference_with(
    "first_spike_int8_times", SpikeTime=_spike_time(FirstSpike=_narrow_first_spike(torch.int8))
)
first_spike_int16_times = reference_with(
    "first_spike_int16_times", SpikeTime=_spike_time(FirstSpike=_narrow_first_spike(torch.int16))
)
narrow_labels_as_zero = reference_with("narrow_labels_as_zero", ce_count_loss=_NarrowLabelsAsZero)
normalises_weight_in_place = reference_with("normalises_weight_in_place", ce_count_loss=_NormalisesWeight)
returns_lying_subclass = reference_with("returns_lying_subclass", ce_count_loss=_ReturnsLiar)


class NothingDifferentiable(TorchModuleBackend):
    """Correct values, but declares no op differentiable: the gradient clauses must be skip, never pass."""

    differentiable_ops = frozenset()

    def __init__(self) -> None:
        super().__init__(reference, name="nothing-differentiable")
