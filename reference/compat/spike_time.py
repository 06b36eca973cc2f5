"""Spike-time estimators of the ``snntorch-1.0`` profile.

Bit-for-bit snnTorch 1.0.0 for binary records, vectorised. Differences from the
spec estimators: LB-9 (MultiSpike), LB-14 (FirstSpike backward for rank >= 4),
signed zeros in the FirstSpike backward (``-g * onehot``), LB-15 (Tolerance across
dtypes), and LB-1, LB-10, LB-17 and LB-19 in :class:`SpikeTime`.
"""

from __future__ import annotations

import torch
import torch.nn as nn

from ..spike_time import first_spike_step
from .legacy import (
    lb1_clamped_class_targets,
    lb9_assign_backward,
    lb9_zero_whole_steps,
    lb10_time_targets_to_wrap,
    lb14_first_spike_onehot,
    lb15_mixed_dtypes,
    lb17_upstream_error,
    lb18_time_in_record_dtype,
    lb18_time_index,
    lb19_unchecked_time_targets,
    note,
)


def first_spike_value(spk_rec: torch.Tensor) -> torch.Tensor:
    """Upstream's time formula: ``spk[t0] * (t0 + 1) - 1`` at the first non-zero step ``t0``, ``T - 1`` if none."""
    num_steps = spk_rec.size(0)
    fired = spk_rec != 0
    first = first_spike_step(fired)
    scaled = spk_rec.gather(0, first.unsqueeze(0)).squeeze(0) * (first + 1)
    silent = ~fired.any(0)
    computed = torch.where(silent, torch.full_like(scaled, num_steps), scaled) - 1
    exact = torch.where(silent, num_steps - 1, first)
    return lb18_time_in_record_dtype(exact, computed)


class FirstSpike(torch.autograd.Function):
    """First spike time; backward ``-g * onehot(first)`` (signed zeros as upstream)."""

    @staticmethod
    def forward(ctx, spk_rec: torch.Tensor, device: object = "cpu") -> torch.Tensor:
        first = first_spike_value(spk_rec)
        ctx.save_for_backward(first)
        ctx.record = (spk_rec.shape, spk_rec.dtype)
        return first

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        (first,) = ctx.saved_tensors
        if first.dim() < 2:  # LB-14: upstream's backward loops over first.size(1)
            raise IndexError(
                f"Dimension out of range (expected to be in range of [-1, 0], but got 1); record {list(ctx.record[0])}"
            )
        steps = lb18_time_index(first.long(), ctx.record[0][0])
        onehot = lb14_first_spike_onehot(steps, *ctx.record)
        return -grad_output * onehot, None


class MultiSpike(torch.autograd.Function):
    """LB-9: F passes of the first-spike extraction, zeroing whole steps in between; assigning backward."""

    @staticmethod
    def forward(ctx, spk_rec: torch.Tensor, spk_count: int, device: object = "cpu") -> torch.Tensor:
        remaining = spk_rec.clone()
        times = []
        for _ in range(spk_count):
            nth = first_spike_value(remaining)
            times.append(nth)
            lb9_zero_whole_steps(remaining, nth)
        times = torch.stack(times)
        ctx.save_for_backward(times)
        ctx.record_shape = spk_rec.shape
        return times

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        (times,) = ctx.saved_tensors
        grad = torch.zeros(ctx.record_shape, dtype=grad_output.dtype, device=grad_output.device)
        return lb9_assign_backward(grad, times, grad_output), None, None


class Tolerance(torch.autograd.Function):
    """Strict ``|t - target| < tolerance`` snap with a pass-through backward (as in the spec)."""

    @staticmethod
    def forward(ctx, spk_time: torch.Tensor, target: torch.Tensor, tolerance) -> torch.Tensor:
        snapped = spk_time.clone()
        lb15_mixed_dtypes(spk_time, target)
        close = torch.abs(spk_time - target) < tolerance
        snapped[close] = (torch.ones_like(spk_time) * target)[close]
        return snapped

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        return grad_output, None, None


class SpikeTime(nn.Module):
    """``SpikeTime`` of snnTorch 1.0.0.

    LB-1 label targets; LB-10 the caller's time targets are copied, not rewritten.
    """

    FirstSpike = FirstSpike
    MultiSpike = MultiSpike
    Tolerance = Tolerance

    def __init__(self, target_is_time=False, on_target=0, off_target=-1, tolerance=0, multi_spike=False) -> None:
        super().__init__()
        self.target_is_time = target_is_time
        self.tolerance = tolerance
        self.multi_spike = multi_spike
        self.on_target = on_target
        self.off_target = off_target

    def forward(self, spk_out: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        num_steps, num_outputs = spk_out.size(0), spk_out.size(-1)
        if self.target_is_time:
            targets = lb10_time_targets_to_wrap(lb19_unchecked_time_targets(targets, spk_out, self.multi_spike))
        else:
            targets = self.labels_to_spike_times(targets, num_outputs)
        targets = torch.where(targets < 0, num_steps + targets, targets)
        if self.multi_spike:
            spk_time = MultiSpike.apply(spk_out, targets.size(0), spk_out.device)
        else:
            spk_time = FirstSpike.apply(spk_out, spk_out.device)
        if self.tolerance:
            spk_time = Tolerance.apply(spk_time, targets, self.tolerance)
        note("LB-1", targets.dtype != spk_time.dtype)  # float32 label target times beside any record dtype
        return spk_time, targets

    def labels_to_spike_times(self, targets: torch.Tensor, num_outputs: int) -> torch.Tensor:
        if not self.multi_spike:
            return lb1_clamped_class_targets(targets, num_outputs, self.on_target, self.off_target)
        if len(self.on_target) != len(self.off_target):
            raise lb17_upstream_error(
                IndexError,
                f"`on_target` (length: {len(self.on_target)}) must have the same "
                f"length as `off_target` (length: {len(self.off_target)}.",
            )
        return torch.stack(
            [
                lb1_clamped_class_targets(targets, num_outputs, on, off)
                for on, off in zip(self.on_target, self.off_target, strict=True)
            ]
        )
