"""Realistic wrong ports that once passed the suite. Each must now be caught, naming the right clause.

``--backend tests/conformance/wrong_backends.py:NAME``.
"""

from __future__ import annotations

import contextlib
import types

import torch

import reference
import reference.compat as compat
from conformance.backend import TorchModuleBackend
from conformance.ops import API_NAMES
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


class _CountdownInRecordDtype(st.FirstSpike):
    """First-spike times by the countdown trick (``T - max_t (T - t) s_t``) computed in the record's dtype:
    exact in float32, but in bfloat16 ``T - t`` rounds above 256 and the times come out wrong (e.g. 0 for 1)."""

    @staticmethod
    def forward(ctx, spk_rec, device=None):
        num_steps = spk_rec.size(0)
        steps = torch.arange(num_steps, 0, -1, device=spk_rec.device).to(spk_rec.dtype)
        countdown = (spk_rec * steps.reshape((-1,) + (1,) * (spk_rec.dim() - 1))).amax(0)
        first = (num_steps - countdown).clamp(max=num_steps - 1)
        ctx.save_for_backward(first.long())
        ctx.record_shape = spk_rec.shape
        return first.to(spk_rec.dtype)


class _MembraneTargetsUnclamped(compat.mse_membrane_loss):
    """A snntorch-1.0 port that builds mse_membrane_loss's targets literally, without LB-1's clamp."""

    def _compute_loss(self, mem_out, targets):
        with _unclamped_targets():
            return super()._compute_loss(mem_out, targets)


@contextlib.contextmanager
def _unclamped_targets():
    original = compat.lb1_clamped_class_targets

    def literal(labels, num_classes, on_target, off_target):
        onehot = torch.nn.functional.one_hot(labels.long(), num_classes).float()
        return onehot * on_target + (1 - onehot) * off_target

    compat.lb1_clamped_class_targets = literal
    try:
        yield
    finally:
        compat.lb1_clamped_class_targets = original


bfloat16_countdown_times = reference_with(
    "bfloat16_countdown_times", SpikeTime=_spike_time(FirstSpike=_CountdownInRecordDtype)
)


class MembraneIgnoresLB1(TorchModuleBackend):
    """Declares the snntorch-1.0 profile and reproduces snnTorch, except LB-1 in mse_membrane_loss."""

    profile = "snntorch-1.0"

    def __init__(self) -> None:
        module = types.SimpleNamespace(**{n: getattr(compat, n) for n in API_NAMES}, __name__="membrane-ignores-lb1")
        module.mse_membrane_loss = _MembraneTargetsUnclamped
        super().__init__(module, name="membrane-ignores-lb1")
