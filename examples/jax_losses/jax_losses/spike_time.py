"""Spike-time estimators with surrogate gradients (``jax.custom_vjp``), and label-to-time targets.

``spk`` is a binary record ``[T, *]``; times are returned in its dtype.
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp


def _steps(spk: jnp.ndarray) -> jnp.ndarray:
    """``t`` broadcast along the trailing dimensions of ``spk``: ``[T, 1, ..., 1]``."""
    return jnp.arange(spk.shape[0]).reshape((-1,) + (1,) * (spk.ndim - 1))


def _first_steps(spk: jnp.ndarray) -> jnp.ndarray:
    """ST-FIRST-1: the first step with a spike, ``T - 1`` when silent (int)."""
    num_steps = spk.shape[0]
    return jnp.minimum(jnp.min(jnp.where(spk != 0, _steps(spk), num_steps), axis=0), num_steps - 1)


@jax.custom_vjp
def first_spike(spk: jnp.ndarray) -> jnp.ndarray:
    """ST-FIRST-1 forward; ST-FIRST-2 backward: ``-g`` at the first spike step, 0 elsewhere."""
    return _first_steps(spk).astype(spk.dtype)


def _first_spike_fwd(spk):
    first = _first_steps(spk)
    return first.astype(spk.dtype), (first, spk.shape[0])


def _first_spike_bwd(residual, g):
    first, num_steps = residual
    at_first = jnp.arange(num_steps).reshape((-1,) + (1,) * first.ndim) == first[None]
    return (jnp.where(at_first, -g[None], jnp.zeros_like(g)[None]),)


first_spike.defvjp(_first_spike_fwd, _first_spike_bwd)


def _nth_steps(spk: jnp.ndarray, count: int) -> jnp.ndarray:
    """ST-MULTI-1: the 1st..``count``-th spike steps ``[F, *]``; missing ones are ``T - 1``."""
    num_steps = spk.shape[0]
    ordered = jnp.sort(jnp.where(spk != 0, _steps(spk), num_steps), axis=0)[:count]
    missing = jnp.full((count - ordered.shape[0], *spk.shape[1:]), num_steps, dtype=ordered.dtype)
    return jnp.minimum(jnp.concatenate([ordered, missing]), num_steps - 1)


@partial(jax.custom_vjp, nondiff_argnums=(1,))
def multi_spike(spk: jnp.ndarray, count: int) -> jnp.ndarray:
    """ST-MULTI-1 forward; ST-MULTI-2 backward: ``grad[t, j] = -sum_{f : t_f[j] = t} g[f, j]``."""
    return _nth_steps(spk, count).astype(spk.dtype)


def _multi_spike_fwd(spk, count):
    steps = _nth_steps(spk, count)
    return steps.astype(spk.dtype), (steps, spk.shape[0])


def _multi_spike_bwd(count, residual, g):
    steps, num_steps = residual
    hits = jnp.arange(num_steps).reshape((-1, 1) + (1,) * (steps.ndim - 1)) == steps[None]  # [T, F, *]
    return (-jnp.sum(jnp.where(hits, g[None], jnp.zeros_like(g)[None]), axis=1),)


multi_spike.defvjp(_multi_spike_fwd, _multi_spike_bwd)


@partial(jax.custom_vjp, nondiff_argnums=(2,))
def tolerance(spk_time: jnp.ndarray, target: jnp.ndarray, within: float) -> jnp.ndarray:
    """ST-TOL-1: ``target`` where ``|spk_time - target| < within``; ST-TOL-2: the gradient passes through."""
    target = jnp.broadcast_to(target.astype(spk_time.dtype), spk_time.shape)
    return jnp.where(jnp.abs(spk_time - target) < within, target, spk_time)


def _tolerance_fwd(spk_time, target, within):
    return tolerance(spk_time, target, within), None


def _tolerance_bwd(within, residual, g):
    return g, None


tolerance.defvjp(_tolerance_fwd, _tolerance_bwd)


def wrap(time: float, num_steps: int) -> float:
    """ST-TGT-4: a negative time ``t`` means ``T + t``."""
    return time + num_steps if time < 0 else time


def label_times(labels: jnp.ndarray, classes: int, on: float, off: float, num_steps: int, dtype) -> jnp.ndarray:
    """ST-TGT-1: the labelled class fires at ``on``, the others at ``off`` (both wrapped): ``[B, N]``."""
    hot = jnp.arange(classes)[None, :] == labels[:, None]
    return jnp.where(hot, wrap(on, num_steps), wrap(off, num_steps)).astype(dtype)
