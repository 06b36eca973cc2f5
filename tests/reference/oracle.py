"""An independent oracle: the spec's formulas written element by element in NumPy float64.

Slow and literal on purpose; it shares no code with ``reference``.
"""

from __future__ import annotations

import math

import numpy as np


def cross_entropy(logits: np.ndarray, label: int) -> float:
    shift = logits.max()
    return float(math.log(np.exp(logits - shift).sum()) + shift - logits[label])


def pool(x: np.ndarray, num_classes: int | None) -> np.ndarray:
    """SHARED-9: contiguous block sums over the last axis."""
    if not num_classes:
        return x
    size = x.shape[-1] // num_classes
    return np.stack([x[..., c * size : (c + 1) * size].sum(-1) for c in range(num_classes)], axis=-1)


def reduce(loss: np.ndarray, reduction: str):
    return {"mean": loss.mean() if loss.size else float("nan"), "sum": loss.sum(), "none": loss}[reduction]


def ce_rate(x, y, num_classes=None, weight=None, reduction="mean"):
    z = pool(x, num_classes)
    T, B, _ = z.shape
    loss = np.array([sum(cross_entropy(z[t, b], y[b]) for t in range(T)) / T for b in range(B)])
    return reduce(loss * (weight[y] if weight is not None else 1.0), reduction)


def ce_count(x, y, num_classes=None, weight=None, reduction="mean"):
    z = pool(x, num_classes).sum(0)
    loss = np.array([cross_entropy(z[b], y[b]) for b in range(z.shape[0])])
    return reduce(loss * (weight[y] if weight is not None else 1.0), reduction)


def ce_max_membrane(x, y, weight=None, reduction="mean"):
    z = x.max(0)
    loss = np.array([cross_entropy(z[b], y[b]) for b in range(z.shape[0])])
    return reduce(loss * (weight[y] if weight is not None else 1.0), reduction)


def mse_count(x, y, correct_rate=1, incorrect_rate=0, num_classes=None, weight=None, reduction="mean"):
    T, B, N = x.shape
    scale = N / num_classes if num_classes else None
    on = int(T * correct_rate * scale) if scale else int(T * correct_rate)
    off = int(T * incorrect_rate * scale) if scale else int(T * incorrect_rate)
    counts = pool(x, num_classes).sum(0)
    K = counts.shape[1]
    loss = np.zeros((B, K))
    for b in range(B):
        for k in range(K):
            target = on if k == y[b] else off
            loss[b, k] = (counts[b, k] - target) ** 2 / T * (weight[y[b]] if weight is not None else 1.0)
    return reduce(loss, reduction)


def mse_membrane(x, y, on=1.0, off=0.0, time_var=False, weight=None, reduction="mean"):
    T, B, N = x.shape
    loss = np.zeros((B, N))
    for t in range(T):
        for b in range(B):
            label = y[t, b] if time_var else y[b]
            w = weight[label] if weight is not None else 1.0
            for n in range(N):
                loss[b, n] += w * (x[t, b, n] - (on if n == label else off)) ** 2 / T
    return reduce(loss, reduction)


def first_spike(spk: np.ndarray) -> np.ndarray:
    T = spk.shape[0]
    flat = spk.reshape(T, -1)
    out = np.array([next((t for t in range(T) if flat[t, j] == 1), T - 1) for j in range(flat.shape[1])])
    return out.reshape(spk.shape[1:]).astype(float)


def nth_spikes(spk: np.ndarray, count: int) -> np.ndarray:
    T = spk.shape[0]
    flat = spk.reshape(T, -1)
    out = np.full((count, flat.shape[1]), float(T - 1))
    for j in range(flat.shape[1]):
        steps = [t for t in range(T) if flat[t, j] == 1][:count]
        out[: len(steps), j] = steps
    return out.reshape((count, *spk.shape[1:]))


def label_times(y, N, on, off, T):
    wrap = lambda t: T + t if t < 0 else t  # noqa: E731
    return np.array([[wrap(on) if n == y[b] else wrap(off) for n in range(N)] for b in range(len(y))], dtype=float)


def mse_temporal(spk, y, on=0, off=-1, tolerance=0, weight=None, reduction="mean"):
    T, _, N = spk.shape
    times = first_spike(spk)
    target = label_times(y, N, on, off, T)
    snapped = np.where(np.abs(times - target) < tolerance, target, times)
    loss = (snapped / T - target / T) ** 2
    if weight is not None:
        loss = loss * weight[y][:, None]
    return reduce(loss, reduction)


def ce_temporal(spk, y, inverse="negate", weight=None, reduction="mean"):
    times = first_spike(spk)
    z = -times if inverse == "negate" else 1 / (times + 1)
    loss = np.array([cross_entropy(z[b], y[b]) for b in range(z.shape[0])])
    if weight is None:
        return reduce(loss, reduction)
    w = weight[y]
    return {"mean": (w * loss).sum() / w.sum(), "sum": (w * loss).sum(), "none": w * loss}[reduction]
