"""Backends for the harness's robustness tests: one that raises, hangs, returns NaN, and a NumPy port."""

from __future__ import annotations

import time

import numpy as np
import torch

import reference
from conformance.backend import ArrayBackend
from tests.conformance.broken_backends import reference_with


class _Raises(reference.ce_count_loss):
    def __call__(self, spk_out, targets):
        raise RuntimeError("kernel exploded: illegal memory access")


class _Hangs(torch.autograd.Function):
    @staticmethod
    def forward(ctx, spk_rec, device=None):
        time.sleep(3)
        return spk_rec[0]

    @staticmethod
    def backward(ctx, grad_output):
        return None, None


class _NaN(reference.ce_max_membrane_loss):
    def __call__(self, mem_out, targets):
        return super().__call__(mem_out, targets) * float("nan")


raises = reference_with("raises", ce_count_loss=_Raises)
hangs = reference_with("hangs", SpikeTime=type("SpikeTime", (reference.SpikeTime,), {"FirstSpike": _Hangs}))
returns_nan = reference_with("returns_nan", ce_max_membrane_loss=_NaN)


class NumpyFirstSpike(ArrayBackend):
    """The worked example of docs/backends.md: a NumPy first-spike estimator."""

    name = "numpy-first-spike"
    version = "1.0"
    ops = frozenset({"first_spike"})
    differentiable_ops = frozenset({"first_spike"})
    dtypes = ("float32", "float64")

    def value(self, op, params, inputs):
        spikes = inputs["spk_rec"]
        if spikes.shape[0] == 0:
            raise ValueError("spk_rec must have at least one time step")
        fired = spikes != 0
        first = np.where(fired.any(0), fired.argmax(0), spikes.shape[0] - 1)
        return first.astype(spikes.dtype)

    def vjp(self, op, params, inputs, cotangent):
        spikes = inputs["spk_rec"]
        first = self.value(op, params, inputs).astype(np.int64)
        grad = np.zeros_like(spikes)
        np.put_along_axis(grad, first[None], -cotangent[None], axis=0)
        return grad
