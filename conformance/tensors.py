"""Tensors as plain data, as the golden vectors store them (``docs/vectors.md``).

A tensor is a mapping with ``dtype``, ``shape`` and exactly one of

* ``data``: every element, flattened in row-major (C) order;
* ``tile``: a pattern repeated cyclically to fill the shape (``len`` divides the size);
* ``nonzero``: ``[[flat_index, value], ...]``; every other element is zero.

Floats are written with the fewest decimal digits that read back exactly: parse the
decimal as binary64 and round it to the tensor's dtype, and you get the stored value
bit for bit (checked when encoding; float64 values use Python's shortest ``repr``).
NaN and infinities use YAML's ``.nan``, ``.inf``, ``-.inf``.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from .vocabulary import RECORD_DTYPE_NAMES

DTYPES = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
    "int8": torch.int8,
    "uint8": torch.uint8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "bool": torch.bool,
}
DTYPE_NAMES = {dtype: name for name, dtype in DTYPES.items()}
RECORD_DTYPES = tuple(DTYPES[name] for name in RECORD_DTYPE_NAMES)  # the record dtypes of the domain
LABEL_DTYPES = (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8)  # every integer dtype SHARED-2 allows


SHORT_FORMS = {torch.float16: np.float16, torch.float32: np.float32, torch.bfloat16: np.float32}


def _shortest(value: float, dtype: torch.dtype) -> float:
    """The binary64 number with the fewest digits that rounds to ``value`` in ``dtype``."""
    if dtype not in SHORT_FORMS or not math.isfinite(value):
        return value
    candidate = float(str(SHORT_FORMS[dtype](value)))
    rounded = torch.tensor(candidate, dtype=torch.float64).to(dtype).item()
    return candidate if rounded == value and math.copysign(1, rounded) == math.copysign(1, value) else value


def _python_values(tensor: torch.Tensor) -> list:
    flat = tensor.detach().cpu().reshape(-1)
    if flat.is_floating_point():
        return [_shortest(float(v), tensor.dtype) for v in flat.double().tolist()]
    return flat.tolist()


def _same(a, b) -> bool:
    """Equal, treating NaN as equal to NaN and telling -0.0 from 0.0."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return a == b


def _shortest_tile(values: list) -> list | None:
    size = len(values)
    for period in range(1, size // 2 + 1):
        if size % period == 0 and all(_same(values[i], values[i % period]) for i in range(size)):
            return values[:period]
    return None


class FlowList(list):
    """A list written on as few lines as possible (YAML flow style)."""


LARGE = 65536  # above this many elements, a sparse tensor is encoded as ``nonzero`` without a Python pass


def _sparse_large(tensor: torch.Tensor) -> dict | None:
    """The ``nonzero`` encoding of a large, mostly-zero tensor, found with torch (fast), or ``None``."""
    flat = tensor.detach().cpu().reshape(-1)
    if flat.numel() <= LARGE:
        return None
    mask = flat != 0
    if flat.is_floating_point():
        mask |= torch.isnan(flat)  # NaN is stored; -0.0 reads back as 0.0, as in the small-tensor encoding
    positions = mask.nonzero().reshape(-1)
    if 2 * positions.numel() >= flat.numel():
        return None
    values = _python_values(flat[positions].to(tensor.dtype))
    pairs = FlowList([i, v] for i, v in zip(positions.tolist(), values, strict=True))
    return {"dtype": DTYPE_NAMES[tensor.dtype], "shape": list(tensor.shape), "nonzero": pairs}


def encode(tensor: torch.Tensor) -> dict:
    """The most compact of the three encodings (``data``, ``tile``, ``nonzero``)."""
    sparse = _sparse_large(tensor)
    if sparse is not None:
        return sparse
    values = _python_values(tensor)
    encoded = {"dtype": DTYPE_NAMES[tensor.dtype], "shape": list(tensor.shape)}
    candidates = [("data", values)]
    if len(values) <= 8:  # short tensors read best as they are
        encoded["data"] = values
        return encoded
    tile = _shortest_tile(values)
    if tile is not None:
        candidates.append(("tile", tile))
    nonzero = FlowList([i, v] for i, v in enumerate(values) if not _same(v, 0.0) and not _same(v, 0))
    if 2 * len(nonzero) < len(values):
        candidates.append(("nonzero", nonzero))
    key, payload = min(candidates, key=lambda kv: len(kv[1]) * (2 if kv[0] == "nonzero" else 1))
    encoded[key] = payload
    return encoded


def decode(encoded: dict, device: str | torch.device = "cpu") -> torch.Tensor:
    """The tensor an encoding describes."""
    dtype = DTYPES[encoded["dtype"]]
    shape = tuple(encoded["shape"])
    size = math.prod(shape)
    if "data" in encoded:
        values = encoded["data"]
    elif "tile" in encoded:
        pattern = encoded["tile"]
        values = [pattern[i % len(pattern)] for i in range(size)] if pattern else []
    else:
        values = [0] * size
        for index, value in encoded["nonzero"]:
            values[index] = value
    if len(values) != size:
        raise ValueError(f"tensor data has {len(values)} elements, shape {list(shape)} needs {size}")
    source_dtype = torch.float64 if dtype.is_floating_point else torch.int64 if dtype != torch.bool else torch.bool
    return torch.tensor(values, dtype=source_dtype).reshape(shape).to(device=device, dtype=dtype)


def is_encoded_tensor(value: object) -> bool:
    return isinstance(value, dict) and "dtype" in value and "shape" in value
