"""Argument validation shared by every loss (spec clauses ``SHARED-*``).

Each check raises ``TypeError`` for a wrong type and ``ValueError`` for a wrong
shape or value, and its message names the argument and what was expected
(clause SHARED-12). No check modifies what it is given (SHARED-8).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import torch

REDUCTIONS = ("mean", "sum", "none")
HALF_DTYPES = (torch.float16, torch.bfloat16)


def check_reduction(reduction: object) -> str:
    """SHARED-3, SHARED-12: ``reduction`` is one of ``'mean'``, ``'sum'``, ``'none'``."""
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")
    return reduction


def check_weight(weight: object) -> torch.Tensor | None:
    """SHARED-4: ``weight`` is ``None`` or a 1-D floating-point tensor."""
    if weight is None:
        return None
    if not isinstance(weight, torch.Tensor):
        raise TypeError(f"weight must be a 1-D floating-point tensor or None, got {type(weight).__name__}")
    if not weight.is_floating_point():
        raise TypeError(f"weight must have a floating-point dtype, got {weight.dtype}")
    if weight.dim() != 1:
        raise ValueError(f"weight must be 1-D with one entry per class, got shape {tuple(weight.shape)}")
    return weight


def check_num_classes(population_code: bool, num_classes: object) -> int | None:
    """SHARED-9: ``population_code=True`` needs a positive integer ``num_classes``."""
    if not population_code:
        return None
    if isinstance(num_classes, bool) or not isinstance(num_classes, numbers.Integral) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive integer when population_code=True, got {num_classes!r}")
    return int(num_classes)


def check_record(record: object, name: str = "spk_out") -> torch.Tensor:
    """SHARED-1: a floating-point record of shape ``[T, B, N]`` with ``T >= 1`` and ``N >= 1``."""
    if not isinstance(record, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of shape [T, B, N], got {type(record).__name__}")
    if not record.is_floating_point():
        raise TypeError(f"{name} must have a floating-point dtype, got {record.dtype}")
    if record.dim() != 3:
        raise ValueError(f"{name} must have shape [T, B, N] (3 dimensions), got shape {tuple(record.shape)}")
    if record.size(0) == 0:
        raise ValueError(f"{name} must have at least one time step (T >= 1), got shape {tuple(record.shape)}")
    if record.size(2) == 0:
        raise ValueError(f"{name} must have at least one output (N >= 1), got shape {tuple(record.shape)}")
    return record


def binary_spikes(spk: torch.Tensor, dtype: torch.dtype, name: str = "spk_out") -> torch.Tensor:
    """ST-1: ``spk`` as integers of ``dtype``, after checking that it holds only 0 and 1.

    ``spk`` must lie in ``[0, 1]`` (NaN does not), and no entry may be non-zero while its
    truncation is zero (a fraction). Casts and reductions only: on CPU they are several
    times cheaper than elementwise float comparisons.
    """
    spikes = spk.to(dtype)
    if spk.numel():
        low, high = torch.aminmax(spk)
        fraction = torch.bitwise_xor(spk.to(torch.bool), spikes.to(torch.bool)).view(torch.uint8).amax()
        if not (float(low) >= 0 and float(high) <= 1) or int(fraction):
            raise ValueError(f"{name} must hold only spikes (0 or 1); got other values")
    return spikes


def check_labels(
    targets: object, batch: int, num_classes: int, name: str = "targets", shape: tuple[int, ...] | None = None
) -> torch.Tensor:
    """SHARED-2: integer class labels of shape ``[B]`` with values in ``[0, num_classes)``."""
    expected = (batch,) if shape is None else shape
    if not isinstance(targets, torch.Tensor):
        raise TypeError(f"{name} must be an integer tensor of shape {list(expected)}, got {type(targets).__name__}")
    if targets.is_floating_point() or targets.is_complex() or targets.dtype == torch.bool:
        raise TypeError(f"{name} must hold integer class labels, got dtype {targets.dtype}")
    if tuple(targets.shape) != expected:
        raise ValueError(f"{name} must have shape {list(expected)}, got {list(targets.shape)}")
    if targets.numel():
        low, high = (int(v) for v in torch.aminmax(targets))
        if low < 0 or high >= num_classes:
            raise ValueError(f"{name} must hold class labels in [0, {num_classes}); got values from {low} to {high}")
    return targets.long()


def check_real(value: object, name: str) -> float:
    """A finite real number (rates, on/off targets, tolerance)."""
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    return value


def check_time_sequence(value: object, name: str) -> list[float]:
    """ST-TGT-2: with ``multi_spike=True`` an on/off target is a sequence of spike times."""
    if isinstance(value, torch.Tensor):
        if value.dim() != 1:
            raise TypeError(
                f"{name} must be a 1-D sequence of spike times when multi_spike=True, got shape {tuple(value.shape)}"
            )
        value = value.tolist()
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise TypeError(f"{name} must be a sequence of spike times when multi_spike=True, got {type(value).__name__}")
    if len(value) == 0:
        raise ValueError(f"{name} must hold at least one spike time")
    return [check_real(v, f"{name}[{i}]") for i, v in enumerate(value)]


def working_dtype(dtype: torch.dtype) -> torch.dtype:
    """SHARED-6: half types are computed in float32; other dtypes in themselves."""
    return torch.float32 if dtype in HALF_DTYPES else dtype
