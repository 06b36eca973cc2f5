"""Which clauses each check verifies, given the case."""

from __future__ import annotations

import torch

from conformance.golden.compare import Problem
from conformance.judging.attribution import (
    UNATTRIBUTED,
    checked_from,
    clause_checks,
    clause_statuses,
    legacy_checks,
    listed_checks,
    merged,
    unattributed,
)


def spikes(T=3, B=2, N=3, dtype=torch.float32):
    return (torch.arange(T * B * N).reshape(T, B, N) % 2).to(dtype)


def labels(B=2, dtype=torch.int64):
    return torch.zeros(B, dtype=dtype)


def failed(op, params, inputs, *kinds, expects_error=False):
    checks = clause_checks(op, params, inputs, expects_error)
    statuses = clause_statuses(checked_from([Problem(k, "x") for k in kinds], kinds), checks)
    return {c for c, s in statuses.items() if s == "fail"}


def test_a_weighted_mean_value_is_shared_5_and_the_formula():
    params = {"weight": torch.ones(3), "reduction": "mean"}
    assert failed("ce_count_loss", params, {"spk_out": spikes(), "targets": labels()}, "value") == {
        "CE-COUNT-1",
        "SHARED-5",
    }


def test_a_weighted_unreduced_value_is_the_weight_clause():
    params = {"weight": torch.ones(3), "reduction": "none"}
    assert failed("ce_count_loss", params, {"spk_out": spikes(), "targets": labels()}, "value") == {
        "CE-COUNT-1",
        "SHARED-4",
    }
    assert "MSE-MEM-3" in failed("mse_membrane_loss", params, {"mem_out": spikes(), "targets": labels()}, "value")


def test_population_clauses_only_with_a_population_code():
    inputs = {"spk_out": spikes(N=4), "targets": labels()}
    assert "CE-COUNT-2" not in clause_checks("ce_count_loss", {}, inputs)
    with_code = clause_checks("ce_count_loss", {"population_code": True, "num_classes": 2}, inputs)
    assert {"CE-COUNT-2", "SHARED-9"} <= set(with_code)


def test_narrow_labels_are_blamed_for_a_raise_not_for_a_wrong_value():
    inputs = {"spk_out": spikes(), "targets": labels(dtype=torch.int32)}
    assert failed("ce_count_loss", {}, inputs, "accepts") == {"SHARED-2"}
    assert "SHARED-2" not in failed("ce_count_loss", {}, inputs, "value")


def test_a_raise_on_a_plain_case_is_the_formula_clauses():
    assert failed("ce_count_loss", {}, {"spk_out": spikes(), "targets": labels()}, "accepts") == {"CE-COUNT-1"}


def test_every_gradient_failure_names_a_gradient_clause():
    cases = {
        "ce_rate_loss": ({}, {"mem_out": spikes(), "targets": labels()}, "SHARED-13"),
        "ce_max_membrane_loss": ({}, {"mem_out": spikes(), "targets": labels()}, "CE-MAX-2"),
        "mse_temporal_loss": ({}, {"spk_rec": spikes(), "targets": labels()}, "ST-FIRST-2"),
        "multi_spike": ({"spk_count": 2}, {"spk_rec": spikes()}, "ST-MULTI-2"),
        "tolerance": ({"tolerance": 1}, {"spk_time": torch.zeros(2), "target": torch.zeros(2)}, "ST-TOL-2"),
        "spike_time": ({"multi_spike": True}, {"spk_out": spikes(), "targets": labels()}, "ST-MULTI-2"),
    }
    for op, (params, inputs, clause) in cases.items():
        for dtype in (torch.float32, torch.float64):
            inputs = {k: v.to(dtype) if v.is_floating_point() else v for k, v in inputs.items()}
            assert failed(op, params, inputs, "gradient") == {clause}, (op, dtype)


def test_half_precision_values_are_also_shared_6():
    inputs = {"spk_out": spikes(dtype=torch.bfloat16), "targets": labels()}
    assert "SHARED-6" in failed("ce_count_loss", {}, inputs, "value")
    assert "SHARED-6" not in failed("ce_count_loss", {}, {"spk_out": spikes(), "targets": labels()}, "value")


def test_an_empty_batch_is_shared_11():
    inputs = {"spk_out": spikes(B=0), "targets": labels(B=0)}
    assert "SHARED-11" in failed("ce_count_loss", {}, inputs, "value")


def test_spike_time_names_the_target_clause_of_its_case():
    record = spikes()
    assert "ST-TGT-3" in clause_checks("spike_time", {"target_is_time": True}, {"spk_out": record, "targets": -record})
    assert "ST-TGT-4" in clause_checks("spike_time", {"target_is_time": True}, {"spk_out": record, "targets": -record})
    assert "ST-TGT-1" in clause_checks("spike_time", {}, {"spk_out": record, "targets": labels()})
    assert "ST-TOL-3" in clause_checks("spike_time", {"tolerance": 0}, {"spk_out": record, "targets": labels()})


def test_an_invalid_case_is_verified_by_the_error_check():
    inputs = {"spk_out": spikes(), "targets": labels()}
    assert failed("ce_count_loss", {}, inputs, "error", expects_error=True) >= {"CE-COUNT-1", "SHARED-12"}


def test_named_clauses_the_rules_derive_are_left_to_the_rules_on_a_valid_case():
    assert "SHARED-2" not in listed_checks(["SHARED-2", "SHARED-3"], expects_error=False)
    assert listed_checks(["SHARED-2"], expects_error=True) == {"SHARED-2": frozenset({"error"})}
    assert listed_checks(["CE-MAX-2"], expects_error=True) == {"CE-MAX-2": frozenset({"gradient"})}


def test_legacy_ids_are_judged_by_every_check_but_device_and_kernel():
    kinds = legacy_checks(["LB-3"])["LB-3"]
    assert "value" in kinds and "mutation" in kinds and "device" not in kinds and "kernel" not in kinds


def test_merged_unites_the_kinds_of_a_clause():
    assert merged({"A": frozenset({"value"})}, {"A": frozenset({"shape"})}) == {"A": frozenset({"value", "shape"})}


def test_a_failed_check_that_verifies_no_clause_is_unattributed():
    checks = {"CE-COUNT-1": frozenset({"value"})}
    assert unattributed({"kernel": "fail", "value": "pass"}, checks) == ["kernel"]
    assert unattributed({"value": "fail"}, checks) == []
    assert clause_statuses({}, checks) == {"CE-COUNT-1": "skip"}
    assert UNATTRIBUTED == "UNATTRIBUTED"
