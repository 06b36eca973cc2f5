"""The Triton kernels: first-spike time, spike counts with cross-entropy or MSE, and their backwards.

Every kernel reads a record laid out as ``[T, M]`` (time first, ``M`` = everything
else, contiguous) in tiles of ``BLOCK_T`` steps by ``BLOCK_M`` columns, and computes in
``float32`` (``float64`` for a float64 record). The forwards read the record once; the
backwards write the gradient once, without reading the record again: that is the
HBM floor the benchmark compares against.

Under ``TRITON_INTERPRET=1`` the same kernels run on CPU tensors in Triton's interpreter.
"""

from __future__ import annotations

import triton
import triton.language as tl


@triton.jit
def _first_spike_steps(spk_ptr, cols, col_ok, T, M, BLOCK_T: tl.constexpr, BLOCK_M: tl.constexpr):
    """For each column, the first step with a spike, or ``T - 1`` when it never fires (int32)."""
    first = tl.full([BLOCK_M], 0, tl.int32) + (T - 1)
    for t0 in range(0, T, BLOCK_T):
        rows = t0 + tl.arange(0, BLOCK_T)
        mask = (rows[:, None] < T) & col_ok[None, :]
        offsets = rows[:, None].to(tl.int64) * M + cols[None, :]
        spikes = tl.load(spk_ptr + offsets, mask=mask, other=0.0)
        steps = tl.where(spikes != 0, rows[:, None], T)
        first = tl.minimum(first, tl.min(steps, axis=0))
    return first


@triton.jit
def first_spike_forward(spk_ptr, first_ptr, T, M, BLOCK_T: tl.constexpr, BLOCK_M: tl.constexpr):
    """``first[j] = min{t : spk[t, j] != 0}``, else ``T - 1``."""
    cols = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    col_ok = cols < M
    first = _first_spike_steps(spk_ptr, cols, col_ok, T, M, BLOCK_T, BLOCK_M)
    tl.store(first_ptr + cols, first, mask=col_ok)


@triton.jit
def spike_step_backward(first_ptr, coef_ptr, grad_ptr, T, M, BLOCK_T: tl.constexpr, BLOCK_M: tl.constexpr):
    """``grad[t, j] = -coef[j]`` at ``t = first[j]``, else 0: the first-spike surrogate, one write of ``[T, M]``."""
    cols = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    rows = tl.program_id(1) * BLOCK_T + tl.arange(0, BLOCK_T)
    col_ok = cols < M
    first = tl.load(first_ptr + cols, mask=col_ok, other=-1)
    coef = tl.load(coef_ptr + cols, mask=col_ok, other=0.0)
    at_first = rows[:, None] == first[None, :]
    grad = tl.where(at_first, -coef[None, :], tl.zeros_like(coef)[None, :])
    mask = (rows[:, None] < T) & col_ok[None, :]
    offsets = rows[:, None].to(tl.int64) * M + cols[None, :]
    tl.store(grad_ptr + offsets, grad.to(grad_ptr.dtype.element_ty), mask=mask)


@triton.jit
def mse_temporal_forward(
    spk_ptr, target_ptr, first_ptr, error_ptr, loss_ptr, T, M, tolerance, scale,
    BLOCK_T: tl.constexpr, BLOCK_M: tl.constexpr,
):  # fmt: skip
    """Fused first-spike time, tolerance snap and squared error: ``loss[j] = (t[j] - target[j])^2 * scale``.

    ``t[j]`` is snapped to ``target[j]`` when ``|t[j] - target[j]| < tolerance``; ``error[j] = t[j] - target[j]``
    after the snap is kept for the backward.
    """
    cols = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    col_ok = cols < M
    first = _first_spike_steps(spk_ptr, cols, col_ok, T, M, BLOCK_T, BLOCK_M)
    target = tl.load(target_ptr + cols, mask=col_ok, other=0.0)
    time = first.to(target.dtype)
    time = tl.where(tl.abs(time - target) < tolerance, target, time)
    error = time - target
    tl.store(first_ptr + cols, first, mask=col_ok)
    tl.store(error_ptr + cols, error, mask=col_ok)
    tl.store(loss_ptr + cols, error * error * scale, mask=col_ok)


@triton.jit
def count_forward(
    x_ptr, labels_ptr, out_ptr, keep_ptr, T, B, K, on, off, inv_steps,
    MSE: tl.constexpr, BLOCK_T: tl.constexpr, BLOCK_K: tl.constexpr,
):  # fmt: skip
    """One batch row ``b`` per program: spike counts ``c[k] = sum_t x[t, b, k]``, then

    * ``MSE``: ``out[b, k] = (c[k] - target[k])^2 / T`` with ``target = on`` at the label, else ``off``;
      ``keep[b, k] = 2 (c[k] - target[k]) / T`` (the derivative, for the backward);
    * otherwise: ``out[b] = logsumexp(c) - c[y_b]``; ``keep[b, k] = softmax(c)[k] - [k = y_b]``.
    """
    b = tl.program_id(0)
    ks = tl.arange(0, BLOCK_K)
    k_ok = ks < K
    label = tl.load(labels_ptr + b)
    counts = tl.zeros([BLOCK_K], dtype=keep_ptr.dtype.element_ty)
    for t0 in range(0, T, BLOCK_T):
        rows = t0 + tl.arange(0, BLOCK_T)
        mask = (rows[:, None] < T) & k_ok[None, :]
        offsets = (rows[:, None].to(tl.int64) * B + b) * K + ks[None, :]
        tile = tl.load(x_ptr + offsets, mask=mask, other=0.0).to(keep_ptr.dtype.element_ty)
        counts += tl.sum(tile, axis=0)
    is_label = ks == label
    if MSE:
        error = counts - tl.where(is_label, on, off)
        tl.store(out_ptr + b * K + ks, error * error * inv_steps, mask=k_ok)
        tl.store(keep_ptr + b * K + ks, 2 * error * inv_steps, mask=k_ok)
    else:
        top = tl.max(tl.where(k_ok, counts, float("-inf")), axis=0)
        exp = tl.where(k_ok, tl.exp(counts - top), 0.0)
        total = tl.sum(exp, axis=0)
        log_sum = tl.log(total) + top
        target_count = tl.sum(tl.where(is_label & k_ok, counts, 0.0), axis=0)
        tl.store(out_ptr + b, log_sum - target_count)
        tl.store(keep_ptr + b * K + ks, exp / total - tl.where(is_label, 1.0, 0.0), mask=k_ok)


@triton.jit
def count_backward(
    keep_ptr, g_ptr, grad_ptr, T, B, K, PER_ROW: tl.constexpr, BLOCK_T: tl.constexpr, BLOCK_K: tl.constexpr
):
    """``grad[t, b, k] = g * keep[b, k]`` for every step (a count's gradient is the same at every ``t``).

    ``g`` is ``g[b]`` (``PER_ROW``, cross-entropy) or ``g[b, k]`` (MSE).
    """
    b = tl.program_id(0)
    rows = tl.program_id(1) * BLOCK_T + tl.arange(0, BLOCK_T)
    ks = tl.arange(0, BLOCK_K)
    k_ok = ks < K
    keep = tl.load(keep_ptr + b * K + ks, mask=k_ok, other=0.0)
    if PER_ROW:
        g = tl.load(g_ptr + b).to(keep.dtype)
        row = keep * g
    else:
        row = keep * tl.load(g_ptr + b * K + ks, mask=k_ok, other=0.0).to(keep.dtype)
    grad = tl.zeros([BLOCK_T, BLOCK_K], dtype=keep.dtype) + row[None, :]
    mask = (rows[:, None] < T) & k_ok[None, :]
    offsets = (rows[:, None].to(tl.int64) * B + b) * K + ks[None, :]
    tl.store(grad_ptr + offsets, grad.to(grad_ptr.dtype.element_ty), mask=mask)


def tiles(T: int, width: int, budget: int = 4096) -> tuple[int, int]:
    """``(BLOCK_T, BLOCK_W)``: the columns rounded up to a power of two, and as many steps as fit ``budget``."""
    block_w = triton.next_power_of_2(max(width, 1))
    block_t = max(1, min(triton.next_power_of_2(T), budget // block_w))
    return block_t, block_w
