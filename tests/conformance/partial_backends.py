"""Correct backends that implement only part of snnTorch's surface. Each must pass with declines and no failure.

``--backend tests/conformance/partial_backends.py:NAME``.
"""

from __future__ import annotations

import numpy as np
import torch

import reference
from conformance.backend import ArrayBackend, Domain, TorchModuleBackend
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


class DeclinesNinetyPercent(TorchModuleBackend):
    """Declines about nine cases in ten, by value (a checksum of the case): only what it accepts is judged."""

    def __init__(self) -> None:
        super().__init__(reference, name="declines-ninety-percent")

    def unsupported(self, op, params, device, dtype, inputs=None):
        import zlib

        shapes = sorted((name, info.shape, info.dtype) for name, info in (inputs or {}).items())
        plain = sorted((k, repr(v)) for k, v in params.items())
        if zlib.crc32(repr((op, plain, shapes, dtype)).encode()) % 10:
            return "declined by value (nine cases in ten)"
        return super().unsupported(op, params, device, dtype, inputs=inputs)


class MeanOnlyNoWeight(TorchModuleBackend):
    """A typical port: ``reduction='mean'`` only and no class weights, declined through ``unsupported()``."""

    def __init__(self) -> None:
        super().__init__(reference, name="mean-only-no-weight")

    def unsupported(self, op, params, device, dtype, inputs=None):
        if op in LOSSES and params.get("reduction", "mean") != "mean":
            return "only reduction='mean'"
        if params.get("weight") is not None:
            return "no class weights"
        return super().unsupported(op, params, device, dtype, inputs=inputs)


class DeclaresDomain(TorchModuleBackend):
    """Declares its domain up front; its ``unsupported()`` raises if the harness asks about a case outside it."""

    domain = Domain(
        reductions=("mean",),
        weight=False,
        population_code=False,
        label_dtypes=("int64",),
        multi_spike=False,
        target_is_time=False,
        max_batch=3,
    )

    def __init__(self) -> None:
        super().__init__(reference, name="declares-domain")

    def unsupported(self, op, params, device, dtype, inputs=None):
        reduction = params.get("reduction", "mean")
        outside = (
            (isinstance(reduction, str) and reduction in ("sum", "none"))
            or params.get("weight") is not None
            or params.get("population_code") is True
            or params.get("multi_spike") is True
        )
        if outside:
            raise AssertionError(f"asked about a case outside the declared domain: {op} {params}")
        return super().unsupported(op, params, device, dtype, inputs=inputs)
