"""conformance/tensors.py: the three encodings, exact round trips in every dtype."""

from __future__ import annotations

import math

import pytest
import torch

from conformance.tensors import decode, encode


def bits(t: torch.Tensor) -> torch.Tensor:
    width = {1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}[t.element_size()]
    return t.contiguous().view(width)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_floats_round_trip_bit_for_bit(dtype):
    values = torch.randn(200, generator=torch.Generator().manual_seed(0)) * 1000
    values = torch.cat([values, torch.tensor([0.0, -0.0, float("inf"), float("-inf"), 1e-30, 65504.0])]).to(dtype)
    assert torch.equal(bits(decode(encode(values))), bits(values))


def test_nan_round_trips():
    t = torch.tensor([1.0, float("nan")])
    assert math.isnan(decode(encode(t))[1].item())


def test_short_float_forms_are_chosen():
    assert encode(torch.tensor([0.1], dtype=torch.float32))["data"] == [0.1]
    assert encode(torch.tensor([0.1], dtype=torch.float64))["data"] == [0.1]


@pytest.mark.parametrize(
    ("tensor", "key"),
    [
        (torch.arange(6.0).reshape(2, 3), "data"),
        (torch.tensor([1.0, 2.0]).repeat(50), "tile"),
        (torch.zeros(100).index_fill_(0, torch.tensor([3, 70]), 1.0), "nonzero"),
        (torch.tensor([2, 0, 1]), "data"),
        (torch.zeros(0, 3), "data"),
    ],
)
def test_most_compact_encoding_is_used(tensor, key):
    encoded = encode(tensor)
    assert key in encoded and encoded["shape"] == list(tensor.shape)
    assert torch.equal(decode(encoded), tensor)


def test_bad_sizes_are_rejected():
    with pytest.raises(ValueError, match="elements"):
        decode({"dtype": "float32", "shape": [2, 2], "data": [1.0]})
