"""What the harness needs from an implementation: the :class:`Backend` protocol.

Three ways to plug in, from least to most work:

1. A module that mirrors ``snntorch.functional``'s loss API (the seven loss classes
   and ``SpikeTime`` with ``FirstSpike``/``MultiSpike``/``Tolerance``): pass its
   name; :class:`TorchModuleBackend` wraps it, no adapter needed.
2. A :class:`TorchModuleBackend` subclass or instance, to declare capabilities
   (devices, dtypes, ops, parameters, differentiability, a kernel-call counter,
   an expectations file).
3. An :class:`ArrayBackend` subclass for another framework (JAX, NumPy, MLX...):
   it converts arrays and returns values and vector-Jacobian products.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import torch

from . import ops
from .tensors import DTYPE_NAMES, LABEL_DTYPES
from .vocabulary import RECORD_DTYPE_NAMES, REDUCTIONS

ALL_OPS = frozenset(ops.OPS)
ALL_DTYPES = RECORD_DTYPE_NAMES
LABEL_DTYPE_NAMES = tuple(DTYPE_NAMES[d] for d in LABEL_DTYPES)  # every integer label dtype SHARED-2 allows


@dataclass(frozen=True)
class Domain:
    """The inputs a backend supports, declared up front: property tests draw only inside it, and vectors
    outside it are declined with the reason. ``Backend.unsupported`` stays for what only a value can tell.

    The defaults are the whole conformance domain. Record dtypes are ``Backend.dtypes``.

    * ``reductions``: the ``reduction`` values it supports (a case without one uses ``'mean'``);
    * ``weight``, ``population_code``: whether it takes class weights and population codes;
    * ``label_dtypes``: the integer dtypes of labels it takes;
    * ``multi_spike``, ``target_is_time``, ``tolerance``: whether ``SpikeTime``-based ops take
      ``multi_spike=True``, ``target_is_time=True`` and a non-zero ``tolerance``;
    * ``max_steps``, ``max_batch``, ``max_neurons``: the largest ``T``, ``B`` and ``N`` of a record
      (``None``: no limit).
    """

    reductions: tuple[str, ...] = REDUCTIONS
    weight: bool = True
    population_code: bool = True
    label_dtypes: tuple[str, ...] = LABEL_DTYPE_NAMES
    multi_spike: bool = True
    target_is_time: bool = True
    tolerance: bool = True
    max_steps: int | None = None
    max_batch: int | None = None
    max_neurons: int | None = None

    def __post_init__(self) -> None:
        _subset("reductions", self.reductions, REDUCTIONS)
        _subset("label_dtypes", self.label_dtypes, LABEL_DTYPE_NAMES)
        for name in ("weight", "population_code", "multi_spike", "target_is_time", "tolerance"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"Domain.{name}: expected True or False, got {getattr(self, name)!r}")
        for name in ("max_steps", "max_batch", "max_neurons"):
            value = getattr(self, name)
            if value is not None and (type(value) is not int or value < 1):
                raise ValueError(f"Domain.{name}: expected a positive int or None, got {value!r}")

    def as_plain(self) -> dict:
        """The declaration as plain data (it travels from the worker as such)."""
        return {name: list(v) if isinstance(v, tuple) else v for name, v in self.__dict__.items()}

    @classmethod
    def from_plain(cls, plain: dict) -> Domain:
        """A domain from :meth:`as_plain`'s data; ``ValueError`` naming the field that is wrong."""
        unknown = sorted(set(plain) - set(cls.__dataclass_fields__))
        if unknown:
            raise ValueError(f"Domain: unknown field(s) {unknown}")
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in plain.items()}
        return cls(**fields)

    def excludes(self, op: str, params: dict, inputs: dict) -> str | None:
        """Why a case lies outside the domain, or ``None``. ``inputs`` hold tensors or :class:`InputInfo`."""
        reduction = params.get("reduction", "mean")
        if isinstance(reduction, str) and reduction in REDUCTIONS and reduction not in self.reductions:
            return f"outside the declared domain: reduction={reduction!r}"
        for flag, allowed in (("population_code", self.population_code), ("multi_spike", self.multi_spike)):
            if params.get(flag) is True and not allowed:
                return f"outside the declared domain: {flag}=True"
        if params.get("target_is_time") is True and not self.target_is_time:
            return "outside the declared domain: target_is_time=True"
        if "weight" in params and params["weight"] is not None and not self.weight:
            return "outside the declared domain: weight"
        if not self.tolerance and _nonzero(params.get("tolerance", 0)):
            return "outside the declared domain: a non-zero tolerance"
        return self._input_excludes(op, inputs)

    def _input_excludes(self, op: str, inputs: dict) -> str | None:
        labels = inputs.get("targets")
        label_dtype = _dtype_name(labels)
        if op in ops.LOSSES and label_dtype in LABEL_DTYPE_NAMES and label_dtype not in self.label_dtypes:
            return f"outside the declared domain: {label_dtype} labels"
        record = inputs.get(ops.OPS[op].differentiable)
        shape = tuple(getattr(record, "shape", ()))
        if op != "tolerance" and len(shape) >= 3:
            for limit, size, name in ((self.max_steps, shape[0], "T"), (self.max_batch, shape[-2], "B")):
                if limit is not None and size > limit:
                    return f"outside the declared domain: {name} = {size} > {limit}"
            if self.max_neurons is not None and shape[-1] > self.max_neurons:
                return f"outside the declared domain: N = {shape[-1]} > {self.max_neurons}"
        return None


def _subset(name: str, values, allowed) -> None:
    if not isinstance(values, tuple) or not all(isinstance(v, str) and v in allowed for v in values):
        raise ValueError(f"Domain.{name}: expected a tuple of values from {allowed}, got {values!r}")


def _nonzero(value) -> bool:
    if isinstance(value, torch.Tensor):
        return value.numel() > 0 and bool((value != 0).any())
    return isinstance(value, (int, float)) and value != 0


def _dtype_name(value) -> str | None:
    if isinstance(value, torch.Tensor):
        return str(value.dtype).removeprefix("torch.")
    return getattr(value, "dtype", None) if isinstance(getattr(value, "dtype", None), str) else None


@dataclass(frozen=True)
class InputInfo:
    """What :meth:`Backend.unsupported` sees of one input: its shape and dtype name (``"float32"``, ``"int64"``)."""

    shape: tuple[int, ...]
    dtype: str


@dataclass
class Result:
    """A backend's answer: the value, and the gradient of ``sum(value * cotangent)`` if one was asked for."""

    value: torch.Tensor
    grad: torch.Tensor | None = None


class Backend:
    """An implementation under test. Override :meth:`run`; declare what it supports.

    Attributes (all optional):

    * ``name``, ``version``: shown in the report.
    * ``profile``: the profile it implements (``"spec"`` or ``"snntorch-1.0"``); ``None``
      means "whichever the run asks for". Without --profile a run checks the declared profile.
    * ``devices``: device types it runs on (``"cpu"``, ``"cuda"``).
    * ``dtypes``: record dtypes it accepts.
    * ``ops``: ops it implements; ``differentiable_ops``: those with a backward.
    * ``unsupported_params``: ``{op: {param, ...}}`` constructor parameters it lacks.
    * ``expectations``: path to a YAML file of skips and xfails (docs/backends.md).
    * ``domain``: a :class:`Domain`, the inputs it supports (reductions, weights, population
      code, label dtypes, ``SpikeTime`` options, sizes); ``None`` means the whole domain.
    """

    name = "backend"
    version = "unknown"
    profile: str | None = None
    devices: tuple[str, ...] = ("cpu", "cuda")
    dtypes: tuple[str, ...] = ALL_DTYPES
    ops: frozenset[str] = ALL_OPS
    differentiable_ops: frozenset[str] = ALL_OPS
    unsupported_params: ClassVar[dict[str, set[str]]] = {}
    expectations: str | Path | None = None
    domain: Domain | None = None

    def unsupported(
        self, op: str, params: dict, device: str, dtype: str | None, inputs: dict[str, InputInfo] | None = None
    ) -> str | None:
        """Why this backend cannot run a case, or ``None`` when it can.

        Called with the case that will actually run: its constructor ``params`` (tensors
        included), the device, the record's dtype name, and ``inputs``, each input's
        :class:`InputInfo` (shape and dtype), so a backend can decline by value
        (``params.get("reduction", "mean") != "mean"``) or by input (``inputs["targets"].shape[0] == 0``).
        Overrides with the older signature ``(op, params, device, dtype)`` keep working.
        """
        if op not in self.ops:
            return f"{self.name} does not implement {op}"
        if torch.device(device).type not in self.devices:
            return f"{self.name} does not run on {device}"
        if dtype is not None and dtype not in self.dtypes:
            return f"{self.name} does not support {dtype} records"
        missing = sorted(set(params) & set(self.unsupported_params.get(op, ())))
        if missing:
            return f"{self.name} does not support {op} parameter(s) {', '.join(missing)}"
        return None

    def run(self, op: str, params: dict, inputs: dict[str, torch.Tensor], cotangent: torch.Tensor | None) -> Result:
        """Compute ``op``; with a ``cotangent``, also its VJP with respect to ``ops.OPS[op].differentiable``."""
        raise NotImplementedError

    def kernel_calls(self) -> int | None:
        """A counter the kernel increments on every call, or ``None`` if the backend keeps none.

        When it is given, the harness checks that every call moved it, so a backend that
        silently falls back to a reference implementation cannot pass.
        """
        return None

    def describe(self) -> str:
        """Name and version for reports; the version is left out when the backend has none."""
        version = str(self.version or "")
        return self.name if version in ("", "unknown") else f"{self.name} {version}"


class TorchModuleBackend(Backend):
    """A backend made from a module with snnTorch's loss API (``module`` may also depend on the profile)."""

    def __init__(self, module=None, name: str | None = None, profile_modules: dict | None = None) -> None:
        self.module = module
        self.profile_modules = profile_modules or {}
        self.active_profile: str | None = None
        base = module or next(iter(self.profile_modules.values()))
        self.name = name or getattr(base, "__name__", type(self).__name__)
        self.version = str(getattr(base, "__version__", None) or _package_version(base) or "unknown")
        counter = getattr(base, "kernel_calls", None)
        self._counter: Callable[[], int] | None = counter if callable(counter) else None

    def module_for(self, profile: str | None):
        return self.profile_modules.get(profile or "", self.module) or self.module

    def run(self, op: str, params: dict, inputs: dict[str, torch.Tensor], cotangent: torch.Tensor | None) -> Result:
        module = self.module_for(self.active_profile)
        record = inputs[ops.OPS[op].differentiable]
        if cotangent is not None and record.is_floating_point():
            record.requires_grad_(True)
        value = ops.call(module, op, params, inputs)
        if not isinstance(value, torch.Tensor):
            return Result(value)  # the harness reports what it is
        if cotangent is None or not value.requires_grad or cotangent.numel() != value.numel():
            return Result(value.detach())  # no VJP when the output has another number of elements
        cotangent = cotangent.reshape(value.shape).to(value.dtype)
        (grad,) = torch.autograd.grad(value, record, cotangent, allow_unused=True)
        return Result(value.detach(), torch.zeros_like(record) if grad is None else grad)

    def kernel_calls(self) -> int | None:
        return None if self._counter is None else int(self._counter())


class ArrayBackend(Backend):
    """A backend in another framework. Implement :meth:`to_array`, :meth:`from_array`,
    :meth:`value` and (for differentiable ops) :meth:`vjp`; the harness passes torch
    tensors in and gets torch tensors back through these conversions.
    """

    devices = ("cpu",)

    def to_array(self, tensor: torch.Tensor):
        """A torch tensor as this framework's array (default: NumPy)."""
        return tensor.detach().cpu().numpy()

    def from_array(self, array, like: torch.Tensor) -> torch.Tensor:
        """This framework's array as a torch tensor on ``like``'s device (a copy: the array may be read-only)."""
        import numpy as np

        return torch.as_tensor(np.array(array)).to(like.device)

    def value(self, op: str, params: dict, inputs: dict):
        raise NotImplementedError

    def vjp(self, op: str, params: dict, inputs: dict, cotangent):
        """The gradient of ``sum(value * cotangent)`` with respect to the differentiable input.

        ``cotangent`` has the value's shape (and dtype); the gradient has the differentiable input's.
        """
        raise NotImplementedError

    def value_and_vjp(self, op: str, params: dict, inputs: dict, cotangent):
        """``(value, gradient)`` in one call. Override it where the forward is costly to run twice
        (``jax.vjp`` gives both from one trace); by default it calls :meth:`value` and :meth:`vjp`.
        """
        return self.value(op, params, inputs), self.vjp(op, params, inputs, cotangent)

    def run(self, op: str, params: dict, inputs: dict[str, torch.Tensor], cotangent: torch.Tensor | None) -> Result:
        arrays = {name: self.to_array(t) for name, t in inputs.items()}
        array_params = {k: self.to_array(v) if isinstance(v, torch.Tensor) else v for k, v in params.items()}
        record = inputs[ops.OPS[op].differentiable]
        if cotangent is None or op not in self.differentiable_ops:
            return Result(self.from_array(self.value(op, array_params, arrays), record))
        value, grad = self.value_and_vjp(op, array_params, arrays, self.to_array(cotangent))
        return Result(self.from_array(value, record), self.from_array(grad, record))


def _package_version(module) -> str | None:
    from importlib import metadata

    top = getattr(module, "__name__", "").split(".")[0]
    for distribution in (top, top.replace("_", "-")):
        try:
            return metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
    return None
