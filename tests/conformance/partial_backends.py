"""Correct backends that implement only part of snnTorch's surface. Each must pass with declines and no failure.

``--backend tests/conformance/partial_backends.py:NAME``.
"""

from __future__ import annotations

import numpy as np
import torch

import reference
from conformance.backend import ArrayBackend, TorchModuleBackend
from conformance.ops import LOSSES


class MeanOnly(TorchModuleBackend):
    """Declines by value: only ``reduction='mean'`` (the keyword-only, new-style signature)."""

    def __init__(self) -> None:
        super().__init__(reference, name="mean-only")

    def unsupported(self, op, params, device, dtype, inputs=None):
        if op in LOSSES and params.get("reduction", "mean") != "mean":
            return f"reduction={params['reduction']!r} unsupported"
        return super().unsupported(op, params, device, dtype, inputs=inputs)


class NoWeights(TorchModuleBackend):
    """Declines class weights, with the old four-argument ``unsupported`` signature."""

    def __init__(self) -> None:
        super().__init__(reference, name="no-weights")

    def unsupported(self, op, params, device, dtype):
        if params.get("weight") is not None:
            return "class weights unsupported"
        return super().unsupported(op, params, device, dtype)


class NoPopulationCode(TorchModuleBackend):
    def __init__(self) -> None:
        super().__init__(reference, name="no-population-code")

    def unsupported(self, op, params, device, dtype, inputs=None):
        if params.get("population_code"):
            return "population codes unsupported"
        return super().unsupported(op, params, device, dtype, inputs=inputs)


class StepsAtLeastOne(TorchModuleBackend):
    """Declines by input: records with no time step, and empty batches (what a kernel launch cannot do)."""

    def __init__(self) -> None:
        super().__init__(reference, name="steps-at-least-one")

    def unsupported(self, op, params, device, dtype, inputs=None):
        record = (inputs or {}).get("spk_rec") or (inputs or {}).get("spk_out") or (inputs or {}).get("mem_out")
        if record is not None and len(record.shape) and record.shape[0] == 0:
            return "T = 0 unsupported"
        if record is not None and len(record.shape) > 1 and record.shape[1] == 0:
            return "B = 0 unsupported"
        return super().unsupported(op, params, device, dtype, inputs=inputs)


class RebindsKeys(TorchModuleBackend):
    """Rebinds keys of the inputs dict it was handed (a conversion, not a mutation of the caller's tensors)."""

    def __init__(self) -> None:
        super().__init__(reference, name="rebinds-keys")

    def run(self, op, params, inputs, cotangent):
        if "targets" in inputs and not inputs["targets"].is_floating_point():
            inputs["targets"] = inputs["targets"].clone()
        for name in list(inputs):
            inputs[name] = inputs[name].contiguous().clone()  # rebinding every key to a private copy
        return super().run(op, params, inputs, cotangent)


class NumpyFirstSpikeValueAndVjp(ArrayBackend):
    """A NumPy first-spike estimator that computes value and VJP in one call (as a JAX port would)."""

    name = "numpy-first-spike-vjp"
    version = "1.0"
    ops = frozenset({"first_spike"})
    differentiable_ops = frozenset({"first_spike"})
    dtypes = ("float32", "float64")
    calls = 0

    def unsupported(self, op, params, device, dtype, inputs=None):
        reason = super().unsupported(op, params, device, dtype, inputs=inputs)
        if reason is None and inputs is not None and len(inputs["spk_rec"].shape) and inputs["spk_rec"].shape[0] == 0:
            return "T = 0 unsupported"
        return reason

    @staticmethod
    def _first(spikes: np.ndarray) -> np.ndarray:
        if spikes.ndim == 0:
            raise ValueError("spk_rec must have a time axis [T, *], got a 0-d array")
        fired = spikes != 0
        return np.where(fired.any(0), fired.argmax(0), spikes.shape[0] - 1)

    def value(self, op, params, inputs):
        spikes = inputs["spk_rec"]
        return self._first(spikes).astype(spikes.dtype)

    def vjp(self, op, params, inputs, cotangent):
        raise AssertionError("the harness must use value_and_vjp")

    def value_and_vjp(self, op, params, inputs, cotangent):
        spikes = inputs["spk_rec"]
        first = self._first(spikes)
        grad = np.zeros_like(spikes)
        np.put_along_axis(grad, first[None], -cotangent[None].astype(spikes.dtype), axis=0)
        return first.astype(spikes.dtype), grad

    def from_array(self, array, like: torch.Tensor) -> torch.Tensor:
        return torch.from_numpy(np.array(array, order="C")).to(like.device)  # ascontiguousarray would make 0-d 1-d


class MutatesAfterwards(TorchModuleBackend):
    """Broken in one way only: after computing value and gradient correctly, it scales the caller's record in place."""

    def __init__(self) -> None:
        super().__init__(reference, name="mutates-afterwards")

    def run(self, op, params, inputs, cotangent):
        result = super().run(op, params, inputs, cotangent)
        record = inputs[next(iter(inputs))]
        if record.is_floating_point() and record.numel():
            record.data.mul_(2)
        return result


class KernelSkipsEmptyInputs(TorchModuleBackend):
    """Keeps a kernel-call counter that, like a real kernel package, does not launch for an empty record."""

    def __init__(self) -> None:
        super().__init__(reference, name="kernel-skips-empty-inputs")
        self.launches = 0

    def run(self, op, params, inputs, cotangent):
        if all(t.numel() for t in inputs.values() if t.is_floating_point()):
            self.launches += 1
        return super().run(op, params, inputs, cotangent)

    def kernel_calls(self) -> int:
        return self.launches
