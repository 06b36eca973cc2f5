"""The wire format: plain data round-trips exactly; anything else, or any malformed frame, is refused."""

from __future__ import annotations

import json
import math
import pickle
import struct

import pytest
import torch

from conformance.wire import MAGIC, WireError, decode, digest, encode


def _frame(header: dict, payload: bytes = b"") -> bytes:
    raw = json.dumps(header).encode()
    return MAGIC + struct.pack("<Q", len(raw)) + raw + payload


def test_plain_values_and_tensors_round_trip_with_their_layout():
    strided = torch.arange(24.0).reshape(4, 6).t()[1:, ::2]
    message = {
        "numbers": (1, -2.5, math.inf, None, True),
        "text": "é",
        "tensors": [strided, torch.tensor(3, dtype=torch.int8), torch.zeros(0, 5, dtype=torch.bfloat16)],
        "expanded": torch.tensor([1.0, 2.0]).expand(3, 2),
    }
    back = decode(encode(message))
    assert back["numbers"] == message["numbers"] and isinstance(back["numbers"], tuple)
    assert back["text"] == "é"
    for got, sent in zip(back["tensors"], message["tensors"], strict=True):
        assert got.dtype == sent.dtype and got.shape == sent.shape and got.stride() == sent.stride()
        assert torch.equal(got, sent)
    assert back["expanded"].stride() == (0, 1)
    assert math.isnan(decode(encode(float("nan"))))


def test_the_fingerprint_follows_values_dtype_and_shape():
    x = torch.tensor([1.0, 2.0])
    assert digest(x) == digest(x.clone()) == digest(decode(encode(x)))
    assert digest(x) != digest(x + 1) and digest(x) != digest(x.double()) and digest(x) != digest(x.reshape(2, 1))


@pytest.mark.parametrize(
    "value", [lambda: 1, object(), {1: "non-string key"}, {"$tensor": 1}, torch.zeros(2).to_sparse()]
)
def test_only_plain_data_can_be_sent(value):
    with pytest.raises(TypeError):
        encode(value)


DEEP: list = [1]
for _ in range(40):
    DEEP = [DEEP]

BAD_FRAMES = {
    "a pickle": pickle.dumps(("ok", {"answer": 1})),
    "too short": MAGIC,
    "header past the end": MAGIC + struct.pack("<Q", 10_000) + b"{}",
    "not JSON": MAGIC + struct.pack("<Q", 3) + b"{x}",
    "JSON's NaN": MAGIC + struct.pack("<Q", 32) + b'{"message": NaN, "buffers": []} ',
    "extra keys": _frame({"message": 1, "buffers": [], "code": "x"}),
    "unknown tag": _frame({"message": {"$call": "os.system"}, "buffers": []}),
    "a $ key among others": _frame({"message": {"$tuple": [], "x": 1}, "buffers": []}),
    "unknown dtype": _frame(
        {
            "message": {"$tensor": {"dtype": "object", "shape": [], "stride": [], "offset": 0, "buffer": 0}},
            "buffers": [[0, 8]],
        },
        b"\0" * 8,
    ),
    "tensor past its buffer": _frame(
        {
            "message": {"$tensor": {"dtype": "float32", "shape": [4], "stride": [1], "offset": 1, "buffer": 0}},
            "buffers": [[0, 16]],
        },
        b"\0" * 16,
    ),
    "negative stride": _frame(
        {
            "message": {"$tensor": {"dtype": "float32", "shape": [2], "stride": [-1], "offset": 1, "buffer": 0}},
            "buffers": [[0, 8]],
        },
        b"\0" * 8,
    ),
    "missing buffer": _frame(
        {
            "message": {"$tensor": {"dtype": "float32", "shape": [1], "stride": [1], "offset": 0, "buffer": 3}},
            "buffers": [],
        }
    ),
    "bytes after the buffers": _frame({"message": 1, "buffers": []}, b"trailing"),
    "overlapping spans": _frame({"message": 1, "buffers": [[0, 4], [2, 2]]}, b"\0" * 4),
    "nested too deep": _frame({"message": DEEP, "buffers": []}),
}


@pytest.mark.parametrize("frame", BAD_FRAMES.values(), ids=BAD_FRAMES.keys())
def test_a_malformed_frame_is_refused_without_running_anything(frame):
    with pytest.raises(WireError):
        decode(frame)
