"""The seven losses as pure functions of the record, in JAX.

Each ``<op>(params)`` checks its constructor parameters and returns a function of
``(record, targets)``; :mod:`jax_losses.backend` differentiates it with ``jax.vjp``.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from . import checks
from .spike_time import first_spike, label_times, multi_spike, tolerance, wrap


def _reduce(loss: jnp.ndarray, reduction: str) -> jnp.ndarray:
    """SHARED-5."""
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


def _pool(x: jnp.ndarray, classes: int | None) -> jnp.ndarray:
    """SHARED-9: sum contiguous blocks of ``N / C`` neurons."""
    if classes is None:
        return x
    if x.shape[-1] % classes:
        raise ValueError(f"num_classes ({classes}) must divide the number of outputs ({x.shape[-1]})")
    return x.reshape(*x.shape[:-1], classes, x.shape[-1] // classes).sum(-1)


def _cross_entropy(logits: jnp.ndarray, labels, axis_labels=None) -> jnp.ndarray:
    """``-log_softmax(logits)[label]`` along the last axis."""
    log_p = jax.nn.log_softmax(logits, axis=-1)
    return -jnp.take_along_axis(log_p, labels[..., None], axis=-1)[..., 0]


class _Common:
    """``reduction`` and per-class ``weight`` (SHARED-3, SHARED-4)."""

    def __init__(self, params: dict) -> None:
        self.reduction = checks.reduction(params.get("reduction", "mean"))
        self.weight = checks.weight(params.get("weight"))

    def weighted(self, loss: jnp.ndarray, labels, classes: int) -> jnp.ndarray:
        """Row ``b`` (or ``(t, b)``) of ``loss`` times ``weight[label]``."""
        if self.weight is None:
            return loss
        checks.class_count(self.weight, classes)
        w = jnp.asarray(self.weight, dtype=loss.dtype)[labels]
        return loss * w.reshape(w.shape + (1,) * (loss.ndim - w.ndim))


class ce_rate_loss(_Common):
    """CE-RATE-1, CE-RATE-2: mean over time of the per-step cross-entropy."""

    def __init__(self, params: dict) -> None:
        super().__init__(params)
        self.classes = checks.num_classes(params.get("population_code", False), params.get("num_classes", False))

    def __call__(self, x, targets):
        logits = _pool(x, self.classes)
        labels = checks.labels(targets, (x.shape[1],), logits.shape[-1])
        per_sample = _cross_entropy(logits, jnp.broadcast_to(labels, logits.shape[:2])).mean(0)
        return _reduce(self.weighted(per_sample, labels, logits.shape[-1]), self.reduction)


class ce_count_loss(ce_rate_loss):
    """CE-COUNT-1: cross-entropy of the spike counts."""

    def __call__(self, x, targets):
        counts = _pool(x, self.classes).sum(0)
        labels = checks.labels(targets, (x.shape[1],), counts.shape[-1])
        return _reduce(self.weighted(_cross_entropy(counts, labels), labels, counts.shape[-1]), self.reduction)


class mse_count_loss(ce_rate_loss):
    """MSE-COUNT-1, MSE-COUNT-2, MSE-COUNT-3, MSE-COUNT-4: ``(count - target)^2 / T`` with ``int(T * rate)`` targets."""

    def __init__(self, params: dict) -> None:
        super().__init__(params)
        self.correct = checks.real(params.get("correct_rate", 1), "correct_rate")
        self.incorrect = checks.real(params.get("incorrect_rate", 0), "incorrect_rate")

    def __call__(self, x, targets):
        num_steps, batch, outputs = x.shape
        counts = _pool(x, self.classes).sum(0)
        classes = counts.shape[-1]
        labels = checks.labels(targets, (batch,), classes)
        block = 1 if self.classes is None else outputs / self.classes
        on = int(num_steps * self.correct * block) if self.classes else int(num_steps * self.correct)
        off = int(num_steps * self.incorrect * block) if self.classes else int(num_steps * self.incorrect)
        target = jnp.where(jnp.arange(classes)[None] == labels[:, None], on, off).astype(x.dtype)
        return _reduce(self.weighted((counts - target) ** 2 / num_steps, labels, classes), self.reduction)


class ce_max_membrane_loss(_Common):
    """CE-MAX-1, CE-MAX-2: cross-entropy of the maximum over time; its gradient goes to the earliest maximum."""

    def __call__(self, x, targets):
        labels = checks.labels(targets, (x.shape[1],), x.shape[2])
        earliest = jnp.argmax(jax.lax.stop_gradient(x), axis=0)  # ties: the first step (CE-MAX-2)
        peak = jnp.take_along_axis(x, earliest[None], axis=0)[0]
        return _reduce(self.weighted(_cross_entropy(peak, labels), labels, x.shape[2]), self.reduction)


class mse_membrane_loss(_Common):
    """MSE-MEM-1, MSE-MEM-2, MSE-MEM-3: mean over time of ``(x - target)^2``.

    Per-step labels with ``time_var_targets``.
    """

    def __init__(self, params: dict) -> None:
        super().__init__(params)
        self.time_var = bool(params.get("time_var_targets", False))
        self.on = checks.real(params.get("on_target", 1), "on_target")
        self.off = checks.real(params.get("off_target", 0), "off_target")

    def __call__(self, x, targets):
        num_steps, batch, outputs = x.shape
        shape = (num_steps, batch) if self.time_var else (batch,)
        labels = checks.labels(targets, shape, outputs)
        labels = labels if self.time_var else labels[None]
        target = jnp.where(jnp.arange(outputs) == labels[..., None], self.on, self.off).astype(x.dtype)
        return _reduce(self.weighted((x - target) ** 2, labels, outputs).mean(0), self.reduction)


class SpikeTime:
    """Spike times and target times (the ``SpikeTime`` module of snnTorch)."""

    def __init__(self, params: dict) -> None:
        self.target_is_time = bool(params.get("target_is_time", False))
        self.multi = bool(params.get("multi_spike", False))
        self.within = checks.real(params.get("tolerance", 0), "tolerance")
        on, off = params.get("on_target", 0), params.get("off_target", -1)
        if self.multi:
            self.on, self.off = checks.time_sequence(on, "on_target"), checks.time_sequence(off, "off_target")
            if len(self.on) != len(self.off):
                raise ValueError("on_target and off_target must have the same length")
        else:
            self.on, self.off = checks.real(on, "on_target"), checks.real(off, "off_target")

    def __call__(self, x, targets):
        target = self._target_times(targets, x) if self.target_is_time else self._label_times(targets, x)
        spike = multi_spike(x, target.shape[0]) if self.multi else first_spike(x)
        if self.within:
            spike = tolerance(spike, target, self.within)
        return spike, jnp.broadcast_to(target, spike.shape)

    def _label_times(self, targets, x):
        num_steps, batch, outputs = x.shape
        labels = checks.labels(targets, (batch,), outputs)
        if not self.multi:
            return label_times(labels, outputs, self.on, self.off, num_steps, x.dtype)
        return jnp.stack(
            [label_times(labels, outputs, a, b, num_steps, x.dtype) for a, b in zip(self.on, self.off, strict=True)]
        )

    def _target_times(self, targets, x):
        num_steps, batch, outputs = x.shape
        if not hasattr(targets, "dtype") or targets.dtype == bool or jnp.issubdtype(targets.dtype, jnp.complexfloating):
            raise TypeError("targets must be a real array of spike times")
        expected = (targets.shape[0], batch, outputs) if self.multi else (batch, outputs)
        if self.multi and (targets.ndim != 3 or targets.shape[0] < 1):
            raise ValueError(f"targets must have shape [F, B, N] with multi_spike=True, got {list(targets.shape)}")
        try:
            fits = jnp.broadcast_shapes(targets.shape, expected) == expected
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"targets must broadcast to {list(expected)}, got {list(targets.shape)}")
        times = jnp.asarray(targets, dtype=x.dtype)
        return jnp.where(times < 0, times + num_steps, times)


class mse_temporal_loss(_Common):
    """TMP-MSE-1, TMP-MSE-2, TMP-MSE-3: ``((t - target) / T)^2`` per neuron; ``weight`` needs label targets.

    The record must hold spikes (ST-1); the backend checks that on the concrete array, before tracing.
    """

    def __init__(self, params: dict) -> None:
        super().__init__(params)
        self.times = SpikeTime(params)
        if self.weight is not None and self.times.target_is_time:
            raise ValueError("weight needs label targets; it cannot be used with target_is_time=True")

    def __call__(self, x, targets):
        spike, target = self.times(x, targets)
        error = (spike - target) ** 2 * (1 / x.shape[0] ** 2)
        if self.weight is not None:
            checks.class_count(self.weight, x.shape[2])
            error = error * jnp.asarray(self.weight, dtype=x.dtype)[jnp.asarray(targets)][..., None]
        return _reduce(error, self.reduction)


class ce_temporal_loss(_Common):
    """TMP-CE-1, TMP-CE-2: cross-entropy of ``-t`` or ``1 / (t + 1)``; the weighted mean divides by ``sum w[y]``."""

    def __init__(self, params: dict) -> None:
        super().__init__(params)
        self.inverse = params.get("inverse", "negate")
        if self.inverse not in ("negate", "reciprocal"):
            raise ValueError(f"inverse must be 'negate' or 'reciprocal', got {self.inverse!r}")

    def __call__(self, x, targets):
        labels = checks.labels(targets, (x.shape[1],), x.shape[2])
        times = first_spike(x)
        logits = -times if self.inverse == "negate" else 1 / (times + 1)
        loss = _cross_entropy(logits, labels)
        if self.weight is None:
            return _reduce(loss, self.reduction)
        checks.class_count(self.weight, x.shape[2])
        w = jnp.asarray(self.weight, dtype=x.dtype)[labels]
        if self.reduction == "mean":
            return (loss * w).sum() / w.sum()
        return _reduce(loss * w, self.reduction)


LOSSES = {
    cls.__name__: cls
    for cls in (
        ce_rate_loss, ce_count_loss, mse_count_loss, ce_max_membrane_loss, mse_membrane_loss,
        mse_temporal_loss, ce_temporal_loss,
    )
}  # fmt: skip
__all__ = ["LOSSES", "wrap"]
