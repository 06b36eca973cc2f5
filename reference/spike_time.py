"""Spike-time estimators and label-to-time targets (spec page ``spike_time.md``).

The spike time of a neuron is not differentiable in its spikes; each
estimator pairs an exact forward with a *surrogate* backward, written side by
side. ``spk`` is a binary record ``[T, *]`` (any trailing shape, ST-1).
"""

from __future__ import annotations

import torch
import torch.nn as nn

from .checks import binary_spikes, check_labels, check_real, check_record, check_time_sequence
from .common import class_targets


def _index_dtype(num_steps: int) -> torch.dtype:
    """The narrowest integer type that holds ``0 .. T`` (narrow types make the passes over ``[T, *]`` cheap)."""
    return torch.int16 if num_steps < 2**15 - 1 else torch.int32 if num_steps < 2**31 - 1 else torch.int64


def _step_index(spk: torch.Tensor, descending: bool = False) -> torch.Tensor:
    """``t`` (or ``T - t``) broadcast along ``spk``'s trailing dimensions: shape ``[T, 1, ..., 1]``."""
    num_steps = spk.size(0)
    start, end, step = (num_steps, 0, -1) if descending else (0, num_steps, 1)
    steps = torch.arange(start, end, step, dtype=_index_dtype(num_steps), device=spk.device)
    return steps.reshape((num_steps,) + (1,) * (spk.dim() - 1))


def first_spike_step(fired: torch.Tensor, overwrite: bool = False) -> torch.Tensor:
    """ST-FIRST-1: the first step where ``fired`` (``[T, *]``, bool or 0/1) is set, or ``T-1`` if never (int64).

    ``overwrite=True`` lets it reuse ``fired`` as scratch space when ``fired`` has the index dtype.
    """
    num_steps = fired.size(0)
    countdown = fired.to(_index_dtype(num_steps), copy=not overwrite)
    countdown.mul_(_step_index(fired, descending=True))  # T-t at spikes, else 0
    return (num_steps - countdown.amax(0).long()).clamp_(max=num_steps - 1)  # silent: T - 0 -> T-1


def nth_spike_steps(fired: torch.Tensor, num_spikes: int) -> torch.Tensor:
    """ST-MULTI-1: the 1st..F-th steps where ``fired`` is set, ``[F, *]``; a missing one is ``T-1`` (int64)."""
    num_steps = fired.size(0)
    spike_step = torch.where(fired.bool(), _step_index(fired), num_steps).long()
    found = min(num_spikes, num_steps)
    steps = spike_step.topk(found, dim=0, largest=False, sorted=True).values
    missing = steps.new_full((num_spikes - found, *steps.shape[1:]), num_steps)
    return torch.cat([steps, missing]).clamp_(max=num_steps - 1)


def _spike_mask(spk_rec: object) -> torch.Tensor:
    """ST-1: a binary floating-point record ``[T, *]`` with ``T >= 1``; returns it as 0/1 integers."""
    if not isinstance(spk_rec, torch.Tensor) or not spk_rec.is_floating_point():
        found = getattr(spk_rec, "dtype", type(spk_rec).__name__)
        raise TypeError(f"spk_rec must be a floating-point tensor of shape [T, *], got {found}")
    if spk_rec.dim() < 1 or spk_rec.size(0) == 0:
        raise ValueError(f"spk_rec must have at least one time step, got shape {tuple(spk_rec.shape)}")
    return binary_spikes(spk_rec, _index_dtype(spk_rec.size(0)), "spk_rec")


class FirstSpike(torch.autograd.Function):
    """ST-FIRST-1, ST-FIRST-2: first spike time, with the sign-estimator surrogate gradient.

    forward:  ``t*[j] = min{t : spk[t, j] = 1}``, or ``T-1`` if neuron ``j`` is silent.
    backward: ``grad_spk[t, j] = -g[j]`` if ``t = t*[j]``, else 0.
    """

    @staticmethod
    def forward(ctx, spk_rec: torch.Tensor, device: object = None) -> torch.Tensor:
        first = first_spike_step(_spike_mask(spk_rec), overwrite=True)
        ctx.save_for_backward(first)
        ctx.record_shape = spk_rec.shape
        return first.to(spk_rec.dtype)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        (first,) = ctx.saved_tensors
        grad = grad_output.new_zeros(ctx.record_shape)
        return grad.scatter_(0, first.unsqueeze(0), -grad_output.unsqueeze(0)), None


class MultiSpike(torch.autograd.Function):
    """ST-MULTI-1, ST-MULTI-2: the first ``F`` spike times of each neuron, with an accumulating surrogate.

    forward:  ``t_f[j]`` = step of the ``f``-th spike of neuron ``j`` (``T-1`` when it has fewer).
    backward: ``grad_spk[t, j] = -sum_{f : t_f[j] = t} g[f, j]``.
    """

    @staticmethod
    def forward(ctx, spk_rec: torch.Tensor, spk_count: int, device: object = None) -> torch.Tensor:
        fired = _spike_mask(spk_rec)
        if isinstance(spk_count, bool) or int(spk_count) < 1:
            raise ValueError(f"spk_count must be a positive integer, got {spk_count!r}")
        steps = nth_spike_steps(fired, int(spk_count))
        ctx.save_for_backward(steps)
        ctx.record_shape = spk_rec.shape
        return steps.to(spk_rec.dtype)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        (steps,) = ctx.saved_tensors
        grad = grad_output.new_zeros(ctx.record_shape)
        return grad.scatter_add_(0, steps, -grad_output), None, None


class Tolerance(torch.autograd.Function):
    """ST-TOL-1, ST-TOL-2, ST-TOL-3: snap spike times within a strict tolerance of their target; identity gradient.

    forward:  ``out = target`` where ``|spk_time - target| < tolerance``, else ``spk_time``.
    backward: ``grad_spk_time = g`` (identity, snapped entries included).
    A tolerance of 0 or less snaps nothing.
    """

    @staticmethod
    def forward(ctx, spk_time: torch.Tensor, target: torch.Tensor, tolerance: float) -> torch.Tensor:
        target = target.to(spk_time.dtype).expand_as(spk_time)
        return torch.where((spk_time - target).abs() < tolerance, target, spk_time)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        return grad_output, None, None


class SpikeTime(nn.Module):
    """Spike times of a record and the target times to compare them with.

    ``forward(spk_out, targets)`` returns ``(spk_time, target_time)``:
    ``[B, N]`` each, or ``[F, B, N]`` with ``multi_spike=True`` (``F`` target spikes).
    """

    FirstSpike = FirstSpike
    MultiSpike = MultiSpike
    Tolerance = Tolerance

    def __init__(self, target_is_time=False, on_target=0, off_target=-1, tolerance=0, multi_spike=False) -> None:
        super().__init__()
        self.target_is_time = bool(target_is_time)
        self.multi_spike = bool(multi_spike)
        self.tolerance = check_real(tolerance, "tolerance")
        if self.multi_spike:
            self.on_target = check_time_sequence(on_target, "on_target")
            self.off_target = check_time_sequence(off_target, "off_target")
            if len(self.on_target) != len(self.off_target):
                raise ValueError(
                    f"on_target and off_target must have the same length, got {len(self.on_target)} "
                    f"and {len(self.off_target)}"
                )
        else:
            self.on_target = check_real(on_target, "on_target")
            self.off_target = check_real(off_target, "off_target")

    def forward(self, spk_out: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        num_steps, _, num_outputs = check_record(spk_out).shape
        if self.target_is_time:
            target_time = wrap_negative_times(self.time_targets(targets, spk_out), num_steps)
        else:
            target_time = self.labels_to_spike_times(targets, num_outputs, spk_out)
        if self.multi_spike:
            spk_time = MultiSpike.apply(spk_out, target_time.size(0))
        else:
            spk_time = FirstSpike.apply(spk_out)
        if self.tolerance:
            spk_time = Tolerance.apply(spk_time, target_time, self.tolerance)
        return spk_time, target_time.expand_as(spk_time)

    def labels_to_spike_times(self, targets: object, num_outputs: int, spk_out: torch.Tensor) -> torch.Tensor:
        """ST-TGT-1, ST-TGT-2, ST-TGT-4: the labelled class fires at ``on_target``, the others at ``off_target``,
        negative times wrapped.
        """
        labels = check_labels(targets, spk_out.size(1), num_outputs).to(spk_out.device)
        num_steps = spk_out.size(0)

        def targets_for(on: float, off: float) -> torch.Tensor:
            on, off = wrap_negative_times(on, num_steps), wrap_negative_times(off, num_steps)
            return class_targets(labels, num_outputs, on, off, spk_out.dtype)

        if not self.multi_spike:
            return targets_for(self.on_target, self.off_target)
        return torch.stack([targets_for(on, off) for on, off in zip(self.on_target, self.off_target, strict=True)])

    def time_targets(self, targets: object, spk_out: torch.Tensor) -> torch.Tensor:
        """ST-TGT-3: explicit target times, broadcastable to ``[B, N]`` (``[F, B, N]`` with multi_spike)."""
        if not isinstance(targets, torch.Tensor) or targets.dtype == torch.bool or targets.is_complex():
            raise TypeError(f"targets must be a real tensor of spike times, got {type(targets).__name__}")
        batch_shape = tuple(spk_out.shape[1:])
        if self.multi_spike:
            if targets.dim() != 3 or targets.size(0) < 1:
                raise ValueError(f"targets must have shape [F, B, N] with multi_spike=True, got {list(targets.shape)}")
            expected = (targets.size(0), *batch_shape)
        else:
            expected = batch_shape
        try:
            fits = torch.broadcast_shapes(tuple(targets.shape), expected) == expected
        except RuntimeError:
            fits = False
        if not fits:
            raise ValueError(f"targets must broadcast to {list(expected)}, got {list(targets.shape)}")
        return targets.to(device=spk_out.device, dtype=spk_out.dtype)


def wrap_negative_times(times, num_steps: int):
    """ST-TGT-4: a negative time ``t`` means ``T + t``, applied once; a tensor gives a new tensor (SHARED-8)."""
    if isinstance(times, torch.Tensor):
        return torch.where(times < 0, times + num_steps, times)
    return times + num_steps if times < 0 else times
