"""The judge on hand-made outcomes: every rule of a verdict without running a backend."""

from __future__ import annotations

import torch

from conformance.backend import Result
from conformance.judging.judge import judge, judge_call, judge_relation, verdict
from conformance.outcome import BackendRaisedError, CallFailedError, Outcome, Returned
from conformance.tensors import encode

RECORD = torch.ones(2, 2, 3)
LABELS = torch.tensor([0, 1])
INPUTS = {"spk_out": RECORD, "targets": LABELS}
VALUE = torch.tensor(1.5)
GRAD = torch.full((2, 2, 3), 0.25)
COTANGENT = torch.tensor(1.0)


def valid(value=VALUE, grad=GRAD) -> dict:
    expectation = {"result": "valid", "value": encode(value)}
    if grad is not None:
        expectation["grad"] = {"cotangent": encode(COTANGENT), "spk_out": encode(grad)}
    return expectation


INVALID = {"result": "invalid", "error": "ValueError", "when": "call", "mentions": "targets"}


def returned(value=VALUE, grad=GRAD, **extra) -> Outcome:
    slots = {"value": Returned("torch.Tensor", True, True, "cpu")}
    if grad is not None:
        slots["grad"] = Returned("torch.Tensor", True, True, "cpu")
    return Outcome(result=Result(value, grad), returned=slots, **extra)


def raised(type_name="ValueError", message="targets must be integers") -> Outcome:
    classes = (type_name, "Exception", "BaseException")
    return Outcome(error=BackendRaisedError(type_name, classes, message, "trace"))


def kinds(problems) -> list[str]:
    return sorted(p.kind for p in problems)


def test_a_conforming_call_passes_every_check():
    problems, ran = judge(returned(), valid(), "spk_out", None, valid(), "cpu")
    assert problems == [] and {"value", "dtype", "shape", "gradient", "device", "mutation", "accepts"} <= ran


def test_value_dtype_shape_and_gradient_problems_are_typed():
    assert kinds(judge(returned(value=torch.tensor(2.0)), valid(), "spk_out", None, valid())[0]) == ["value"]
    assert kinds(judge(returned(value=VALUE.double()), valid(), "spk_out", None, valid())[0]) == ["dtype"]
    assert kinds(judge(returned(value=VALUE.reshape(1)), valid(), "spk_out", None, valid())[0]) == ["shape"]
    assert kinds(judge(returned(grad=GRAD.double()), valid(), "spk_out", None, valid())[0]) == ["gradient"]


def test_a_raise_on_a_valid_case_is_an_accepts_problem():
    problems, ran = judge(raised(), valid(), "spk_out", None, valid())
    assert kinds(problems) == ["accepts"] and "accepts" in ran


def test_an_invalid_case_wants_its_error_class_and_the_argument_named():
    assert judge(raised(), INVALID, "spk_out", None, INVALID)[0] == []
    assert kinds(judge(raised("TypeError"), INVALID, "spk_out", None, INVALID)[0]) == ["error"]
    assert kinds(judge(raised(message="bad input"), INVALID, "spk_out", None, INVALID)[0]) == ["error"]
    assert kinds(judge(returned(), INVALID, "spk_out", None, INVALID)[0]) == ["error"]


def test_where_upstream_raises_an_error_or_the_spec_value_is_acceptable():
    acceptable = {"result": "acceptable", "error": "RuntimeError"}
    assert judge(raised("RuntimeError"), acceptable, "spk_out", None, valid())[0] == []
    assert judge(returned(), acceptable, "spk_out", None, valid())[0] == []
    wrong = returned(value=torch.tensor(9.0))
    assert kinds(judge(wrong, acceptable, "spk_out", None, valid())[0]) == ["value"]
    assert kinds(judge(returned(), acceptable, "spk_out", None, INVALID)[0]) == ["error"]


def test_a_crash_is_never_acceptable():
    crash = Outcome(error=CallFailedError("killed by SIGSEGV"))
    assert kinds(judge(crash, INVALID, "spk_out", None, INVALID)[0]) == ["error"]
    assert kinds(judge(crash, {"result": "acceptable", "error": "E"}, "spk_out", None, valid())[0]) == ["accepts"]


def test_mutation_and_a_fallback_are_their_own_problems():
    problems, _ = judge(returned(mutated=("targets",), kernel_ran=False), valid(), "spk_out", None, valid())
    assert kinds(problems) == ["kernel", "mutation"]
    allowed = {**valid(), "may_modify": ["targets"]}
    assert judge(returned(mutated=("targets",)), allowed, "spk_out", None, valid())[0] == []


def test_a_result_on_another_device_or_not_a_tensor_is_caught():
    outcome = returned()
    outcome.returned["value"] = Returned("torch.Tensor", True, True, "meta")
    assert kinds(judge(outcome, valid(), "spk_out", None, valid(), "cpu")[0]) == ["device"]
    outcome.returned["value"] = Returned("list", False, False)
    assert kinds(judge(outcome, valid(), "spk_out", None, valid(), "cpu")[0]) == ["value"]


def test_the_snntorch_profile_accepts_the_spec_value_in_its_conventions():
    one_element_float32 = returned(value=VALUE.reshape(1))
    expectation = valid(value=VALUE)
    assert judge(one_element_float32, expectation, "spk_out", None, valid(), conventions=True)[0] == []
    assert judge(one_element_float32, expectation, "spk_out", None, valid(), conventions=False)[0] != []


def case(spec: dict, legacy: dict | None = None, lb=()) -> dict:
    expected = {"spec": spec, "snntorch-1.0": legacy or {"same_as": "spec"}}
    return {"expected": expected, "legacy": list(lb)}


def test_a_verdict_blames_the_clauses_of_the_failed_check():
    result = verdict(
        returned(value=torch.tensor(2.0)), "ce_count_loss", {}, INPUTS, case(valid()), "spec", "cpu", False
    )
    assert result.status == "fail" and result.failed_clauses() == ["CE-COUNT-1", "SHARED-5"]


def test_a_wrong_value_makes_a_wrong_gradient_the_values_fault():
    outcome = returned(value=torch.tensor(2.0), grad=GRAD * 2)
    result = verdict(outcome, "ce_count_loss", {}, INPUTS, case(valid()), "spec", "cpu", False)
    assert "SHARED-13" not in result.failed_clauses()
    only_gradient = verdict(returned(grad=GRAD * 2), "ce_count_loss", {}, INPUTS, case(valid()), "spec", "cpu", False)
    assert only_gradient.failed_clauses() == ["SHARED-13"]


def test_a_declared_gradient_that_does_not_come_back_fails_the_gradient_clause():
    outcome = returned(grad=None)
    result = verdict(outcome, "ce_count_loss", {}, INPUTS, case(valid()), "spec", "cpu", False, wanted_gradient=True)
    assert result.failed_clauses() == ["SHARED-13"]


def test_under_spec_snntorchs_behaviour_is_a_legacy_verdict_when_legacy_is_expected():
    legacy = valid(value=torch.tensor(2.0))
    legacy_case = case(valid(), legacy, lb=["LB-5"])
    outcome = returned(value=torch.tensor(2.0))
    assert verdict(outcome, "ce_count_loss", {}, INPUTS, legacy_case, "spec", "cpu", True).status == "legacy"
    assert verdict(outcome, "ce_count_loss", {}, INPUTS, legacy_case, "spec", "cpu", False).status == "fail"
    under_legacy = verdict(outcome, "ce_count_loss", {}, INPUTS, legacy_case, "snntorch-1.0", "cpu", False)
    assert under_legacy.status == "pass" and under_legacy.clause_statuses()["LB-5"] == "pass"


def test_a_failure_no_clause_explains_is_unattributed():
    outcome = returned(kernel_ran=False)
    result = verdict(outcome, "ce_count_loss", {}, INPUTS, case(valid()), "spec", "cpu", False)
    assert result.status == "fail" and result.failed_clauses() == [] and result.unattributed() == ["kernel"]


def test_a_metamorphic_call_and_relation():
    problems, ran, value = judge_call(returned(), "cpu")
    assert problems == [] and value is VALUE and "accepts" in ran
    problems, _, value = judge_call(raised(), "cpu")
    assert kinds(problems) == ["accepts"] and value is None
    assert judge_relation("sum vs 'none'", torch.tensor(1.0), torch.tensor(1.0)) is None
    assert judge_relation("sum vs 'none'", torch.tensor(1.0), torch.tensor(2.0)).kind == "value"
