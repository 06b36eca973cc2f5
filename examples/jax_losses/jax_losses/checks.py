"""Argument checks: TypeError for a wrong type, ValueError for a wrong shape or value (spec SHARED-12)."""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def record(x, name: str) -> np.ndarray:
    """SHARED-1: a floating-point ``[T, B, N]`` record with ``T >= 1`` and ``N >= 1``."""
    x = _array(x, name)
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"{name} must have a floating-point dtype, got {x.dtype}")
    if x.ndim != 3 or x.shape[0] == 0 or x.shape[2] == 0:
        raise ValueError(f"{name} must have shape [T, B, N] with T, N >= 1, got {list(x.shape)}")
    return x


def spikes(x, name: str) -> np.ndarray:
    """ST-1: a floating-point record ``[T, *]`` (``T >= 1``) holding only 0 and 1."""
    x = _array(x, name)
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"{name} must have a floating-point dtype, got {x.dtype}")
    if x.ndim < 1 or x.shape[0] == 0:
        raise ValueError(f"{name} must have at least one time step, got shape {list(x.shape)}")
    if x.size and not np.all((x == 0) | (x == 1)):
        raise ValueError(f"{name} must hold only spikes (0 or 1)")
    return x


def labels(y, shape: tuple[int, ...], classes: int, name: str = "targets") -> np.ndarray:
    """SHARED-2: integer class labels of ``shape`` with values in ``[0, classes)``."""
    y = _array(y, name)
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{name} must hold integer class labels, got dtype {y.dtype}")
    if tuple(y.shape) != tuple(shape):
        raise ValueError(f"{name} must have shape {list(shape)}, got {list(y.shape)}")
    if y.size and (y.min() < 0 or y.max() >= classes):
        raise ValueError(f"{name} must hold class labels in [0, {classes})")
    return y.astype(np.int64)


def reduction(value) -> str:
    """SHARED-3."""
    if not isinstance(value, str) or value not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {value!r}")
    return value


def weight(value) -> np.ndarray | None:
    """SHARED-4: ``None`` or a 1-D floating-point array."""
    if value is None:
        return None
    value = _array(value, "weight")
    if not np.issubdtype(value.dtype, np.floating):
        raise TypeError(f"weight must have a floating-point dtype, got {value.dtype}")
    if value.ndim != 1:
        raise ValueError(f"weight must be 1-D, got shape {list(value.shape)}")
    return value


def class_count(weight_array: np.ndarray | None, classes: int) -> None:
    if weight_array is not None and weight_array.size != classes:
        raise ValueError(f"weight must have one entry per class ({classes}), got {weight_array.size}")


def num_classes(population_code, value) -> int | None:
    """SHARED-9: a population code needs a positive integer ``num_classes``."""
    if not population_code:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"num_classes must be a positive integer with population_code=True, got {value!r}")
    return int(value)


def real(value, name: str) -> float:
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    return value


def time_sequence(value, name: str) -> list[float]:
    """ST-TGT-2: with ``multi_spike=True`` an on/off target is a non-empty sequence of times."""
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise TypeError(f"{name} must be 1-D with multi_spike=True, got shape {list(value.shape)}")
        value = value.tolist()
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise TypeError(f"{name} must be a sequence of spike times with multi_spike=True, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must hold at least one spike time")
    return [real(v, f"{name}[{i}]") for i, v in enumerate(value)]


def _array(value, name: str) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be an array, got {type(value).__name__}")
    return value
