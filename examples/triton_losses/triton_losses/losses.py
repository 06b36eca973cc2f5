"""snnTorch's loss API on the Triton kernels: ``ce_count_loss``, ``mse_count_loss``,
``mse_temporal_loss`` and ``SpikeTime.FirstSpike``.

Argument checks and the cheap per-class or per-sample steps (labels to targets,
``weight``, ``reduction``) are plain torch; everything that reads or writes the
``[T, B, N]`` record is a kernel. Half-precision records are computed in float32 and
the result is returned in the record's dtype (spec SHARED-6).
"""

from __future__ import annotations

import numbers

import torch
import triton

from . import kernels

KERNEL_CALLS = [0]  # every kernel launch adds one; the conformance harness checks that it moves
REDUCTIONS = ("mean", "sum", "none")


def _launch(kernel, grid, *args, **meta) -> None:
    KERNEL_CALLS[0] += 1
    kernel[grid](*args, **meta)


def _compute_dtype(dtype: torch.dtype) -> torch.dtype:
    return torch.float64 if dtype == torch.float64 else torch.float32


# ------------------------------------------------ checks (spec SHARED-1, SHARED-2, SHARED-3, SHARED-4, ST-1)


def _record(record, name: str, dims: int | None = 3) -> torch.Tensor:
    if not isinstance(record, torch.Tensor) or not record.is_floating_point():
        found = getattr(record, "dtype", type(record).__name__)
        raise TypeError(f"{name} must be a floating-point tensor, got {found}")
    if dims is not None and record.dim() != dims:
        raise ValueError(f"{name} must have shape [T, B, N], got {list(record.shape)}")
    if record.dim() < 1 or record.size(0) == 0 or (dims == 3 and record.size(2) == 0):
        raise ValueError(f"{name} needs T >= 1 (and N >= 1), got shape {list(record.shape)}")
    return record.contiguous()


def _spikes(record: torch.Tensor, name: str) -> None:
    if record.numel() and not bool(((record == 0) | (record == 1)).all()):
        raise ValueError(f"{name} must hold only spikes (0 or 1)")


def _labels(targets, batch: int, classes: int) -> torch.Tensor:
    if not isinstance(targets, torch.Tensor):
        raise TypeError(f"targets must be an integer tensor of shape [{batch}], got {type(targets).__name__}")
    if targets.is_floating_point() or targets.is_complex() or targets.dtype == torch.bool:
        raise TypeError(f"targets must hold integer class labels, got {targets.dtype}")
    if tuple(targets.shape) != (batch,):
        raise ValueError(f"targets must have shape [{batch}], got {list(targets.shape)}")
    if targets.numel() and (int(targets.min()) < 0 or int(targets.max()) >= classes):
        raise ValueError(f"targets must be class labels in [0, {classes})")
    return targets.long().contiguous()


def _reduction(reduction) -> str:
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")
    return reduction


def _weight(weight):
    if weight is None:
        return None
    if not isinstance(weight, torch.Tensor) or not weight.is_floating_point():
        raise TypeError("weight must be a 1-D floating-point tensor or None")
    if weight.dim() != 1:
        raise ValueError(f"weight must be 1-D, got shape {list(weight.shape)}")
    return weight


def _real(value, name: str) -> float:
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    return value


def _reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


def _class_weight(weight, labels: torch.Tensor, classes: int, like: torch.Tensor) -> torch.Tensor:
    if weight.numel() != classes:
        raise ValueError(f"weight must have one entry per class ({classes}), got {weight.numel()}")
    return weight.to(device=like.device, dtype=like.dtype)[labels]


# ---------------------------------------------------------------- autograd functions


class FirstSpike(torch.autograd.Function):
    """ST-FIRST-1, ST-FIRST-2: first spike step (``T - 1`` when silent); surrogate ``-g`` at that step."""

    @staticmethod
    def forward(ctx, spk_rec: torch.Tensor, device=None) -> torch.Tensor:
        spk = _record(spk_rec, "spk_rec", dims=None)
        _spikes(spk, "spk_rec")
        steps = spk.size(0)
        columns = spk[0].numel()
        first = torch.empty(spk.shape[1:], dtype=torch.int32, device=spk.device)
        if columns:
            block_t, block_m = kernels.tiles(steps, min(columns, 128))
            grid = (triton.cdiv(columns, block_m),)
            _launch(kernels.first_spike_forward, grid, spk, first, steps, columns, BLOCK_T=block_t, BLOCK_M=block_m)
        ctx.save_for_backward(first)
        ctx.record = (spk.shape, spk.dtype)
        return first.to(spk.dtype)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        (first,) = ctx.saved_tensors
        shape, dtype = ctx.record
        coef = grad_output.to(_compute_dtype(dtype)).contiguous()  # half cotangents are widened (SHARED-6)
        return _first_spike_grad(first, coef, shape, dtype), None


def _first_spike_grad(first: torch.Tensor, coef: torch.Tensor, shape, dtype) -> torch.Tensor:
    grad = torch.empty(shape, dtype=dtype, device=first.device)
    steps, columns = shape[0], first.numel()
    if columns:
        block_t, block_m = kernels.tiles(steps, min(columns, 128))
        grid = (triton.cdiv(columns, block_m), triton.cdiv(steps, block_t))
        _launch(kernels.spike_step_backward, grid, first, coef, grad, steps, columns, BLOCK_T=block_t, BLOCK_M=block_m)
    return grad


class _Counts(torch.autograd.Function):
    """Spike counts per class and row, with cross-entropy (``[B]``) or squared error (``[B, K]``)."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, labels: torch.Tensor, mse: bool, on: float, off: float) -> torch.Tensor:
        steps, batch, classes = x.shape
        compute = _compute_dtype(x.dtype)
        keep = torch.empty((batch, classes), dtype=compute, device=x.device)
        out = torch.empty((batch, classes) if mse else (batch,), dtype=compute, device=x.device)
        if batch:
            block_t, block_k = kernels.tiles(steps, classes)
            _launch(
                kernels.count_forward, (batch,), x, labels, out, keep, steps, batch, classes, float(on),
                float(off), 1.0 / steps, MSE=mse, BLOCK_T=block_t, BLOCK_K=block_k,
            )  # fmt: skip
        ctx.save_for_backward(keep)
        ctx.record = (x.shape, x.dtype, mse)
        return out

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        (keep,) = ctx.saved_tensors
        shape, dtype, mse = ctx.record
        steps, batch, classes = shape
        grad = torch.empty(shape, dtype=dtype, device=keep.device)
        if batch:
            block_t, block_k = kernels.tiles(steps, classes)
            grid = (batch, triton.cdiv(steps, block_t))
            cotangent = grad_output.to(keep.dtype).contiguous()
            _launch(
                kernels.count_backward, grid, keep, cotangent, grad, steps, batch, classes,
                PER_ROW=not mse, BLOCK_T=block_t, BLOCK_K=block_k,
            )  # fmt: skip
        return grad, None, None, None, None


class _TemporalSquaredError(torch.autograd.Function):
    """Fused first-spike time, tolerance and ``(t - target)^2 / T^2`` per neuron."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, target: torch.Tensor, tolerance: float) -> torch.Tensor:
        steps = x.size(0)
        columns = x[0].numel()
        first = torch.empty(x.shape[1:], dtype=torch.int32, device=x.device)
        error = torch.empty(x.shape[1:], dtype=target.dtype, device=x.device)
        loss = torch.empty_like(error)
        if columns:
            block_t, block_m = kernels.tiles(steps, min(columns, 128))
            _launch(
                kernels.mse_temporal_forward, (triton.cdiv(columns, block_m),), x, target, first, error, loss,
                steps, columns, float(tolerance), 1.0 / steps**2, BLOCK_T=block_t, BLOCK_M=block_m,
            )  # fmt: skip
        ctx.save_for_backward(first, error)
        ctx.record = (x.shape, x.dtype, steps)
        return loss

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        first, error = ctx.saved_tensors
        shape, dtype, steps = ctx.record
        coef = (grad_output.to(error.dtype) * error * (2.0 / steps**2)).contiguous()  # d loss / d time, per neuron
        return _first_spike_grad(first, coef, shape, dtype), None, None


# ---------------------------------------------------------------- the losses


class _CountLoss:
    def __init__(self, population_code=False, num_classes=False, reduction="mean", weight=None) -> None:
        if population_code:
            raise NotImplementedError("triton_losses has no population code")
        self.reduction = _reduction(reduction)
        self.weight = _weight(weight)

    def _inputs(self, spk_out, targets) -> tuple[torch.Tensor, torch.Tensor]:
        x = _record(spk_out, "spk_out")
        return x, _labels(targets, x.size(1), x.size(2)).to(x.device)

    def _finish(self, loss: torch.Tensor, labels: torch.Tensor, classes: int, dtype: torch.dtype) -> torch.Tensor:
        if self.weight is not None:
            per_row = _class_weight(self.weight, labels, classes, loss)
            loss = loss * per_row.reshape(per_row.shape + (1,) * (loss.dim() - 1))
        return _reduce(loss, self.reduction).to(dtype)


class ce_count_loss(_CountLoss):
    """CE-COUNT-1: cross-entropy of the spike counts."""

    def __call__(self, spk_out, targets) -> torch.Tensor:
        x, labels = self._inputs(spk_out, targets)
        loss = _Counts.apply(x, labels, False, 0.0, 0.0)
        return self._finish(loss, labels, x.size(2), x.dtype)


class mse_count_loss(_CountLoss):
    """MSE-COUNT-1: squared error of the counts against ``int(T * rate)`` targets, over ``T``."""

    def __init__(self, correct_rate=1, incorrect_rate=0, population_code=False, num_classes=False, **kwargs) -> None:
        super().__init__(population_code, num_classes, **kwargs)
        self.correct_rate = _real(correct_rate, "correct_rate")
        self.incorrect_rate = _real(incorrect_rate, "incorrect_rate")

    def __call__(self, spk_out, targets) -> torch.Tensor:
        x, labels = self._inputs(spk_out, targets)
        steps = x.size(0)
        on, off = int(steps * self.correct_rate), int(steps * self.incorrect_rate)
        loss = _Counts.apply(x, labels, True, on, off)
        return self._finish(loss, labels, x.size(2), x.dtype)


class mse_temporal_loss:
    """TMP-MSE-1: ``((t - target) / T)^2`` per neuron, ``t`` the first spike time (snapped within tolerance)."""

    def __init__(
        self, target_is_time=False, on_target=0, off_target=-1, tolerance=0, multi_spike=False,
        reduction="mean", weight=None,
    ) -> None:  # fmt: skip
        if multi_spike:
            raise NotImplementedError("triton_losses has no multi-spike targets")
        self.target_is_time = bool(target_is_time)
        self.on_target = _real(on_target, "on_target")
        self.off_target = _real(off_target, "off_target")
        self.tolerance = _real(tolerance, "tolerance")
        self.reduction = _reduction(reduction)
        self.weight = _weight(weight)
        if self.weight is not None and self.target_is_time:
            raise ValueError("weight needs label targets; it cannot be used with target_is_time=True")

    def __call__(self, spk_rec, targets) -> torch.Tensor:
        x = _record(spk_rec, "spk_rec")
        _spikes(x, "spk_rec")
        outputs = x.size(2)
        compute = _compute_dtype(x.dtype)
        target = self._target_times(targets, x, compute)
        loss = _TemporalSquaredError.apply(x, target, self.tolerance)
        if self.weight is not None:
            labels = targets.to(x.device).long()
            loss = loss * _class_weight(self.weight, labels, outputs, loss).unsqueeze(-1)
        return _reduce(loss, self.reduction).to(x.dtype)

    def _target_times(self, targets, x: torch.Tensor, compute: torch.dtype) -> torch.Tensor:
        steps, batch, outputs = x.shape
        if self.target_is_time:
            if not isinstance(targets, torch.Tensor) or targets.dtype == torch.bool or targets.is_complex():
                raise TypeError("targets must be a real tensor of spike times")
            try:
                times = torch.broadcast_to(targets.to(device=x.device, dtype=compute), (batch, outputs))
            except RuntimeError:
                raise ValueError(f"targets must broadcast to [{batch}, {outputs}], got {list(targets.shape)}") from None
            return torch.where(times < 0, times + steps, times).contiguous()
        labels = _labels(targets, batch, outputs).to(x.device)
        on = self.on_target + steps if self.on_target < 0 else self.on_target
        off = self.off_target + steps if self.off_target < 0 else self.off_target
        times = torch.full((batch, outputs), off, dtype=compute, device=x.device)
        return times.scatter_(1, labels.unsqueeze(1), on).contiguous()


class SpikeTime:
    """The estimator namespace the harness calls: ``SpikeTime.FirstSpike.apply(spk_rec, device)``."""

    FirstSpike = FirstSpike
