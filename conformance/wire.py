"""The plain-data format of messages between the judging process and the backend's worker.

Nothing that crosses from the worker can run code in the judging process: a message is a JSON
document plus raw tensor bytes, and reading it builds only ``None``, booleans, numbers, strings,
lists, tuples, string-keyed dicts and CPU tensors of a known dtype. (:mod:`pickle` was used before;
a reply that unpickles into a callable replaced the judge's own functions.)

A frame is::

    MAGIC (4 bytes) | header length (8 bytes, little-endian) | header (UTF-8 JSON) | tensor bytes

and the header is ``{"message": VALUE, "buffers": [[offset, length], ...]}``. A ``VALUE`` is JSON,
except for objects with a single ``$``-key:

* ``{"$tensor": {"dtype", "shape", "stride", "offset", "buffer"}}``: a tensor over buffer
  ``buffer`` (its whole storage, so strides and storage offsets survive);
* ``{"$tuple": [...]}``, and ``{"$float": "nan" | "inf" | "-inf"}`` (JSON has no such numbers).

:func:`decode` checks every bound (frame length, header size, dtype, shape, strides inside the
buffer, element count) and raises :class:`WireError` on anything else: a reply that does not
parse is the backend's failure, named as such by the sandbox.

Tensors are sent as bytes rather than as ``safetensors`` because a result may be strided, offset
or overlapping, and its layout is what some checks are about; safetensors stores contiguous
tensors only.
"""

from __future__ import annotations

import json
import math
import struct

import torch

from .tensors import DTYPES as TENSOR_DTYPES

MAGIC = b"SNW1"
_LENGTH = struct.Struct("<Q")
MAX_HEADER_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
MAX_ELEMENTS = 1 << 31  # one tensor's elements; larger is not a reply a conformance case produces

_MORE_DTYPES = ("complex64", "complex128", "uint16", "uint32", "uint64", "float8_e4m3fn", "float8_e5m2")
# The domain's dtypes, and others a wrong backend may return (so that the judge can name them).
DTYPES: dict[str, torch.dtype] = {
    **TENSOR_DTYPES,
    **{name: getattr(torch, name) for name in _MORE_DTYPES if isinstance(getattr(torch, name, None), torch.dtype)},
}
NAMES = {dtype: name for name, dtype in DTYPES.items()}


class WireError(ValueError):
    """A message that is not a well-formed frame of plain data; the message says what is wrong."""


# ---------------------------------------------------------------------------------------------------------------------
# Writing


def encode(message) -> bytes:
    """``message`` (plain data and CPU tensors) as one frame. Raises :class:`TypeError` on anything else."""
    buffers: list[bytes] = []
    header = json.dumps(
        {"message": _plain(message, buffers, 0), "buffers": _layout(buffers)}, allow_nan=False, separators=(",", ":")
    ).encode()
    return b"".join([MAGIC, _LENGTH.pack(len(header)), header, *buffers])


def _layout(buffers: list[bytes]) -> list[list[int]]:
    spans, offset = [], 0
    for raw in buffers:
        spans.append([offset, len(raw)])
        offset += len(raw)
    return spans


def _plain(value, buffers: list[bytes], depth: int):
    if depth > MAX_DEPTH:
        raise TypeError("message nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(float(value))}
    if isinstance(value, torch.Tensor):
        return {"$tensor": _tensor_header(value, buffers)}
    if isinstance(value, tuple):
        return {"$tuple": [_plain(v, buffers, depth + 1) for v in value]}
    if isinstance(value, list):
        return [_plain(v, buffers, depth + 1) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) and not k.startswith("$") for k in value):
            raise TypeError(f"message dict keys must be strings not starting with '$': {sorted(map(repr, value))}")
        return {k: _plain(v, buffers, depth + 1) for k, v in value.items()}
    raise TypeError(f"a {type(value).__name__} cannot be sent as plain data")


def _tensor_header(tensor: torch.Tensor, buffers: list[bytes]) -> dict:
    if tensor.device.type != "cpu" or tensor.layout != torch.strided or tensor.dtype not in NAMES:
        raise TypeError(f"only strided CPU tensors of {sorted(DTYPES)} travel: got {tensor.dtype} on {tensor.device}")
    tensor = tensor.detach()
    storage = torch.empty(0, dtype=torch.uint8).set_(tensor.untyped_storage())
    buffers.append(storage.numpy().tobytes())
    return {
        "dtype": NAMES[tensor.dtype],
        "shape": list(tensor.shape),
        "stride": list(tensor.stride()),
        "offset": tensor.storage_offset(),
        "buffer": len(buffers) - 1,
    }


# ---------------------------------------------------------------------------------------------------------------------
# Reading


def decode(frame: bytes):
    """The message in ``frame``; :class:`WireError` if it is not a well-formed frame of plain data."""
    if not isinstance(frame, (bytes, bytearray)) or len(frame) < len(MAGIC) + _LENGTH.size:
        raise WireError("the message is shorter than a frame header")
    if frame[: len(MAGIC)] != MAGIC:
        raise WireError(f"the message does not start with {MAGIC!r}: it is not this harness's format")
    (length,) = _LENGTH.unpack_from(frame, len(MAGIC))
    start = len(MAGIC) + _LENGTH.size
    if length > MAX_HEADER_BYTES or start + length > len(frame):
        raise WireError(f"the header length {length} does not fit the message of {len(frame)} bytes")
    try:
        header = json.loads(bytes(frame[start : start + length]), parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise WireError(f"the header is not JSON: {error}") from None
    if not isinstance(header, dict) or set(header) != {"message", "buffers"}:
        raise WireError("the header is not {message, buffers}")
    buffers = _buffers(header["buffers"], memoryview(frame)[start + length :])
    return _value(header["message"], buffers, 0)


def _no_constant(name: str):
    raise WireError(f"the header holds the non-JSON constant {name}")


def _buffers(spans, data: memoryview) -> list[memoryview]:
    if not isinstance(spans, list):
        raise WireError("buffers is not a list")
    result, end = [], 0
    for span in spans:
        if not (isinstance(span, list) and len(span) == 2 and all(_natural(x) for x in span)):
            raise WireError(f"a buffer span is not [offset, length]: {span!r}"[:200])
        offset, length = span
        if offset != end or offset + length > len(data):
            raise WireError(f"buffer span {span} does not follow the previous one inside the {len(data)} bytes")
        result.append(data[offset : offset + length])
        end = offset + length
    if end != len(data):
        raise WireError(f"{len(data) - end} bytes after the last buffer")
    return result


def _natural(x) -> bool:
    return type(x) is int and x >= 0


def _value(node, buffers: list[memoryview], depth: int):
    if depth > MAX_DEPTH:
        raise WireError("the message is nested too deeply")
    if node is None or type(node) in (bool, int, float, str):
        return node
    if type(node) is list:
        return [_value(v, buffers, depth + 1) for v in node]
    if type(node) is not dict:
        raise WireError(f"unexpected JSON value {type(node).__name__}")
    if len(node) == 1 and next(iter(node)).startswith("$"):
        ((tag, body),) = node.items()
        if tag == "$tensor":
            return _tensor(body, buffers)
        if tag == "$tuple" and type(body) is list:
            return tuple(_value(v, buffers, depth + 1) for v in body)
        if tag == "$float" and body in ("nan", "inf", "-inf"):
            return float(body)
        raise WireError(f"unknown or malformed tagged value {tag!r}")
    if any(k.startswith("$") for k in node):
        raise WireError("a dict key starts with '$'")
    return {k: _value(v, buffers, depth + 1) for k, v in node.items()}


def _tensor(body, buffers: list[memoryview]) -> torch.Tensor:
    if type(body) is not dict or set(body) != {"dtype", "shape", "stride", "offset", "buffer"}:
        raise WireError("a tensor header is not {dtype, shape, stride, offset, buffer}")
    dtype = DTYPES.get(body["dtype"]) if type(body["dtype"]) is str else None
    shape, stride, offset, index = body["shape"], body["stride"], body["offset"], body["buffer"]
    if dtype is None:
        raise WireError(f"a tensor has the unknown dtype {body['dtype']!r}"[:200])
    if not (type(shape) is list and type(stride) is list and len(shape) == len(stride) <= 64):
        raise WireError("a tensor's shape and stride are not lists of the same length")
    if not all(_natural(x) for x in [*shape, *stride, offset, index]) or index >= len(buffers):
        raise WireError("a tensor's shape, stride, offset or buffer is not a natural number in range")
    if math.prod(shape) > MAX_ELEMENTS:
        raise WireError(f"a tensor of shape {shape} is above the limit of {MAX_ELEMENTS} elements")
    raw = buffers[index]
    size = torch.empty(0, dtype=dtype).element_size()
    if len(raw) % size:
        raise WireError(f"a {body['dtype']} tensor's buffer of {len(raw)} bytes is not whole elements")
    extent = 0 if 0 in shape else offset + 1 + sum((n - 1) * s for n, s in zip(shape, stride, strict=False))
    if extent * size > len(raw):
        raise WireError(f"a tensor of shape {shape}, stride {stride}, offset {offset} reaches past its buffer")
    storage = torch.frombuffer(bytearray(raw), dtype=torch.uint8) if len(raw) else torch.empty(0, dtype=torch.uint8)
    return torch.empty(0, dtype=dtype).set_(storage.untyped_storage(), offset, shape, stride)


def digest(tensor: torch.Tensor) -> str:
    """A fingerprint of a CPU tensor's dtype, shape and values (its elements in order, bit for bit)."""
    import hashlib

    flat = tensor.detach().contiguous().reshape(-1)
    raw = flat.view(torch.uint8).numpy().tobytes() if flat.numel() else b""
    header = f"{NAMES.get(tensor.dtype, str(tensor.dtype))}{list(tensor.shape)}".encode()
    return hashlib.sha256(header + b"|" + raw).hexdigest()
