"""The one tolerance comparison: typed problems, NaN equal to NaN, a summary of the worst elements."""

from __future__ import annotations

import math

import torch

from conformance.golden.compare import difference, largest_error, tolerance_for
from conformance.tensors import encode


def test_equal_tensors_and_nan_where_nan_is_expected_match():
    a = torch.tensor([1.0, float("nan")])
    assert difference("value", a, a.clone()) is None
    assert difference("value", a, encode(a)) is None  # an encoded expectation is decoded first


def test_dtype_then_shape_then_value():
    want = torch.zeros(2)
    assert difference("value", want.double(), want).kind == "dtype"
    assert difference("value", torch.zeros(3), want).kind == "shape"
    problem = difference("value", torch.tensor([0.0, 1.0]), want)
    assert problem.kind == "value" and "1 of 2 elements differ" in problem.message and "at [1]" in problem.message


def test_a_non_finite_result_where_the_spec_has_a_number_says_so():
    problem = difference("value", torch.tensor([math.inf]), torch.tensor([1.0]))
    assert problem.kind == "value" and "non-finite inf at index [0]" in problem.message


def test_the_tolerance_is_the_expected_dtypes_unless_the_case_gives_one():
    assert tolerance_for("float32") == {"rtol": 1e-5, "atol": 1e-6}
    assert tolerance_for("int64") == {"rtol": 0.0, "atol": 0.0}
    close = torch.tensor([1.001])
    assert difference("value", close, torch.tensor([1.0])) is not None
    assert difference("value", close, torch.tensor([1.0]), {"rtol": 1e-2, "atol": 0}) is None


def test_largest_error_counts_a_lone_nan_as_infinite():
    assert largest_error(torch.tensor([float("nan")]), torch.tensor([0.0])) == math.inf
    assert largest_error(torch.zeros(0), torch.zeros(0)) == 0.0
