"""A declared domain: validated field by field, it excludes exactly what it does not declare, and the
strategies draw only inside it.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.backend import Domain, InputInfo
from conformance.suite import strategies as S

NARROW = Domain(
    reductions=("mean",),
    weight=False,
    population_code=False,
    label_dtypes=("int64",),
    multi_spike=False,
    target_is_time=False,
    tolerance=False,
    max_steps=4,
    max_batch=2,
    max_neurons=3,
)
HANDLE = SimpleNamespace(domain=NARROW, dtypes=("float32", "float64"))


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"reductions": ("mean", "median")}, "reductions"),
        ({"reductions": ["mean"]}, "reductions"),
        ({"weight": 1}, "weight"),
        ({"label_dtypes": ("float32",)}, "label_dtypes"),
        ({"max_batch": 0}, "max_batch"),
        ({"max_steps": 2.5}, "max_steps"),
    ],
)
def test_a_bad_declaration_names_its_field(fields, named):
    with pytest.raises(ValueError, match=named):
        Domain(**fields)


def test_it_travels_as_plain_data():
    assert Domain.from_plain(NARROW.as_plain()) == NARROW
    with pytest.raises(ValueError, match="unknown field"):
        Domain.from_plain({"reductons": ["mean"]})


@pytest.mark.parametrize(
    ("op", "params", "inputs", "why"),
    [
        ("ce_count_loss", {"reduction": "sum"}, {}, "reduction='sum'"),
        ("ce_count_loss", {"weight": torch.ones(3)}, {}, "weight"),
        ("ce_rate_loss", {"population_code": True, "num_classes": 1}, {}, "population_code"),
        ("spike_time", {"multi_spike": True}, {}, "multi_spike"),
        ("spike_time", {"target_is_time": True}, {}, "target_is_time"),
        ("tolerance", {"tolerance": 2}, {}, "tolerance"),
        ("ce_count_loss", {}, {"targets": InputInfo((2,), "int32")}, "int32 labels"),
        ("ce_count_loss", {}, {"spk_out": torch.zeros(5, 2, 3)}, "T = 5 > 4"),
        ("ce_count_loss", {}, {"spk_out": InputInfo((4, 3, 3), "float32")}, "B = 3 > 2"),
        ("first_spike", {}, {"spk_rec": torch.zeros(2, 2, 4)}, "N = 4 > 3"),
    ],
)
def test_it_excludes_what_it_does_not_declare(op, params, inputs, why):
    assert why in NARROW.excludes(op, params, inputs)
    assert Domain().excludes(op, params, inputs) is None


def test_an_invalid_reduction_is_left_to_the_backend_to_reject():
    assert NARROW.excludes("ce_count_loss", {"reduction": "bogus"}, {}) is None


@pytest.mark.parametrize("op", ["ce_count_loss", "mse_count_loss", "mse_temporal_loss", "spike_time", "tolerance"])
@settings(max_examples=60, derandomize=True, database=None, deadline=None)
@given(data=st.data())
def test_strategies_draw_inside_the_declared_domain(op, data):
    params, inputs = data.draw(S.any_case(op, within=HANDLE))
    assert NARROW.excludes(op, params, inputs) is None, (params, {k: v.shape for k, v in inputs.items()})
    record = next(iter(inputs.values()))
    assert str(record.dtype).removeprefix("torch.") in HANDLE.dtypes
