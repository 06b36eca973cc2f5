"""The one judge: every verdict of the suite, for vectors, properties and metamorphic relations alike.

A vector test hands the judge a case from a vector file. A property test turns the
reference's result on the drawn input into the same kind of case
(:func:`conformance.golden.generate.build_case`) and hands it over in the same way.
A metamorphic relation judges each call with :func:`judge_call` and the relation's
expected value with :func:`judge_relation`. So the profile rules, the rule for inputs
snnTorch rejects (``acceptable``: the spec's error or the spec's value), legacy
attribution, the checks of type, device, dtype and shape, and clause credit are the
same in every kind of test.

:func:`judge` returns typed problems (:class:`~conformance.judging.attribution.Problem`) and the
kinds of check that ran; :func:`verdict` adds the clause statuses of the case and the
legacy behaviours that explain a failure. Nothing here parses message text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import torch

from ..golden.compare import difference
from ..golden.load import expectation_for
from ..ops import OPS
from ..outcome import BackendRaisedError, CallFailedError, Outcome, Returned
from ..vocabulary import SNNTORCH, SPEC
from . import attribution
from .attribution import Problem

__all__ = ["Outcome", "Verdict", "judge", "judge_call", "judge_relation", "returned_problem", "verdict"]


def _is_instance_named(error: BaseException, class_name: str) -> bool:
    if isinstance(error, BackendRaisedError):
        return error.is_a(class_name)
    return any(cls.__name__ == class_name for cls in type(error).__mro__)


def _error_name(error: BaseException) -> str:
    return error.type_name if isinstance(error, BackendRaisedError) else type(error).__name__


def returned_problem(label: str, returned: Returned | None, device: str | None, kind: str = "value") -> Problem | None:
    """Why what the backend returned in one slot is not a plain ``torch.Tensor`` on ``device``, or ``None``."""
    if returned is None:
        return None
    if not returned.is_tensor:
        return Problem(kind, f"{label}: the backend returned {returned.describe()}, not a torch.Tensor (SHARED-1)")
    if not returned.exact_tensor:
        message = (
            f"{label}: the backend returned {returned.describe()}, a subclass; only torch.Tensor itself is accepted"
        )
        return Problem(kind, message)
    if returned.problem:
        return Problem(kind, f"{label}: {returned.problem}")
    if device is not None and returned.device is not None and not _same_device(returned.device, device):
        return Problem("device", f"{label}: on {returned.device}, expected on {device} (the device of the inputs)")
    return None


def _same_device(got: str, wanted: str) -> bool:
    """``cuda:0`` is on ``cuda``; ``cuda:1`` is not on ``cuda:0``."""
    a, b = torch.device(got), torch.device(wanted)
    return a.type == b.type and (b.index is None or a.index == b.index)


def _behaviour_problems(outcome: Outcome, may_modify) -> tuple[list[Problem], set[str]]:
    """What every call is checked for, whatever it returned: inputs left alone, the previous call's result
    unchanged by this call, the declared kernel ran.
    """
    completed = not isinstance(outcome.error, CallFailedError)  # a call that never ended was not checked
    problems, ran = [], {"mutation"} if completed else set()
    if outcome.mutated and not set(outcome.mutated) <= set(may_modify):
        modified = sorted(set(outcome.mutated) - set(may_modify))
        problems.append(Problem("mutation", f"the call modified its input(s) {modified} in place (SHARED-8)"))
    if outcome.retention_checked:
        ran.add("retention")
    if outcome.overwritten:
        problems.append(Problem("retention", outcome.overwritten))
    if outcome.kernel_ran is not None:
        ran.add("kernel")
    if outcome.kernel_ran is False:
        message = "the backend's kernel-call counter did not move: it fell back to another implementation"
        problems.append(Problem("kernel", message))
    return problems, ran


def judge(
    outcome: Outcome,
    expectation: dict,
    differentiated: str,
    tolerance: dict | None,
    spec: dict | None,
    device: str | None = None,
    conventions: bool = False,
) -> tuple[list[Problem], set[str]]:
    """Every way ``outcome`` misses ``expectation`` (empty when it conforms), and the kinds of check that ran.

    ``spec`` is the case's ``spec`` expectation: an ``acceptable`` expectation (snnTorch raises there)
    accepts an error or the spec's value. ``conventions``: also accept the spec's value in the
    ``snntorch-1.0`` profile's conventions (shape ``[1]`` for ``[]`` per LB-3, float32 per LB-2).
    """
    problems, ran = _behaviour_problems(outcome, expectation.get("may_modify", ()))
    kind = expectation["result"]
    if isinstance(outcome.error, CallFailedError):  # a crash, exit or hang is never an acceptable outcome
        failed = "error" if kind == "invalid" else "accepts"
        return [*problems, Problem(failed, f"the call failed: {outcome.error}")], ran | {failed}
    if kind == "invalid" or (kind == "acceptable" and outcome.result is not None and _spec_rejects(spec)):
        ran.add("error")
        return problems + _error_problems(outcome, spec if kind == "acceptable" else expectation), ran
    if outcome.error is not None:
        ran.add("accepts")
        if kind == "acceptable":
            return problems, ran
        message = f"raised {_error_name(outcome.error)}: {outcome.error}\n{outcome.trace}".rstrip()
        return [*problems, Problem("accepts", message)], ran
    if kind == "acceptable":  # a value is acceptable only if it is the spec's
        expectation = spec
    value_problems, value_ran = _value_problems(outcome, expectation, differentiated, tolerance, device, conventions)
    return problems + value_problems, ran | value_ran | {"accepts"}


def _spec_rejects(spec: dict | None) -> bool:
    return spec is None or spec["result"] == "invalid"


def _error_problems(outcome: Outcome, expectation: dict | None) -> list[Problem]:
    if expectation is None:
        return [Problem("error", "the call returned a value where the spec has no value for this case")]
    if outcome.error is None:
        message = f"expected {expectation['error']} ({expectation['when']}), but the call returned a value"
        return [Problem("error", message)]
    if not _is_instance_named(outcome.error, expectation["error"]):
        message = f"expected {expectation['error']}, got {_error_name(outcome.error)}: {outcome.error}"
        return [Problem("error", message)]
    if expectation["mentions"] not in str(outcome.error):
        message = f"the error message does not name the argument {expectation['mentions']!r}: {outcome.error}"
        return [Problem("error", message)]
    return []


def _value_problems(
    outcome: Outcome, expectation: dict, differentiated: str, tolerance, device, conventions: bool
) -> tuple[list[Problem], set[str]]:
    result = outcome.result
    ran = {"value", "dtype", "shape"} | ({"device"} if device is not None and "value" in outcome.returned else set())
    form = returned_problem("value", outcome.returned.get("value"), device)
    if form or result is None or result.value is None:
        return [form or Problem("value", "value: the backend returned no tensor")], ran
    problems = []
    value_problem = _compare_value(result.value, expectation["value"], tolerance, conventions)
    if value_problem:
        problems.append(value_problem)
    grad = expectation.get("grad")
    if grad is None or (result.grad is None and outcome.returned.get("grad") is None):
        return problems, ran
    ran.add("gradient")
    label = f"gradient wrt {differentiated}"
    form = returned_problem(label, outcome.returned.get("grad"), device, kind="gradient")
    problem = form or difference(label, result.grad, grad[differentiated], tolerance)
    if problem:  # the gradient's dtype and shape are the gradient's, not the value's
        problems.append(problem if problem.kind == "device" else Problem("gradient", problem.message))
    return problems, ran


def _compare_value(got, expected: dict, tolerance, conventions: bool) -> Problem | None:
    problem = difference("value", got, expected, tolerance)
    if problem is None or not conventions:
        return problem
    for variant in _legacy_conventions(expected):
        same_dtype = variant["dtype"] == expected["dtype"]
        if difference("value", got, variant, tolerance if same_dtype else None) is None:
            return None
    return problem


def _legacy_conventions(expected: dict) -> list[dict]:
    """The spec's value as the ``snntorch-1.0`` profile would shape and type it (LB-3, LB-2)."""
    shapes = [expected["shape"]] + ([[1]] if expected["shape"] == [] else [])
    dtypes = [expected["dtype"]] + (["float32"] if expected["dtype"] != "float32" else [])
    return [{**expected, "shape": shape, "dtype": dtype} for shape in shapes for dtype in dtypes][1:]


# ---------------------------------------------------------------------------------------------------------------------
# A whole case: call checks, clause statuses and legacy attribution


@dataclass
class Verdict:
    """How one case went: ``pass``, ``fail``, or ``legacy`` (an expected failure explained by LB ids)."""

    problems: list[Problem]
    checked: dict[str, str]  # kind of check -> pass | fail
    clause_checks: dict[str, frozenset]  # clause -> the kinds of check that verify it on this case
    legacy: list[str] = field(default_factory=list)  # LB ids, when the verdict is legacy
    call_failed: bool = False  # the call did not complete (crash, exit, time-out, broken protocol, breaker)

    @property
    def status(self) -> str:
        if not self.problems:
            return "pass"
        return "legacy" if self.legacy else "fail"

    def clause_statuses(self) -> dict[str, str]:
        return attribution.clause_statuses(self.checked, self.clause_checks)

    def failed_clauses(self) -> list[str]:
        """The clauses this verdict blames (empty when the failure is unattributed)."""
        return sorted(c for c, s in self.clause_statuses().items() if s == "fail")

    def unattributed(self) -> list[str]:
        return attribution.unattributed(self.checked, self.clause_checks)


def verdict(
    outcome: Outcome,
    op: str,
    params: Mapping,
    inputs: Mapping,
    case: Mapping,
    profile: str,
    device: str | None,
    legacy_is_expected: bool,
    named_clauses: tuple[str, ...] = (),
    wanted_gradient: bool = False,
) -> Verdict:
    """Judge ``outcome`` against ``case`` (a vector case: ``expected``, ``legacy``, ``tolerance``) under ``profile``.

    ``params`` and ``inputs`` are the case's decoded parameters and inputs; they decide which clauses
    each check verifies (:func:`conformance.judging.attribution.clause_checks`), together with the clauses the
    case names (``named_clauses``). Under ``spec``, when ``legacy_is_expected``, a failure that matches
    snnTorch 1.0.0's expectation of a case with LB ids is a legacy verdict.
    """
    expected, tolerance = case["expected"], case.get("tolerance")
    expectation = expectation_for(expected, profile)
    spec = expectation_for(expected, SPEC)
    differentiated = OPS[op].differentiable
    problems, ran = judge(
        outcome, expectation, differentiated, tolerance, spec, device, conventions=profile == SNNTORCH
    )
    invalid = expectation["result"] == "invalid"
    returned_value = outcome.error is None and outcome.result is not None
    if wanted_gradient and returned_value and not invalid and outcome.result.grad is None:
        problems.append(Problem("gradient", "no gradient returned, though the backend declares the op differentiable"))
        ran.add("gradient")
    if any(p.kind == "value" for p in problems):  # a wrong value's gradient is wrong too: the value's fault
        problems = [Problem("value", p.message) if p.kind == "gradient" else p for p in problems]
    lb_ids = list(case.get("legacy", ()))
    checks = attribution.merged(
        attribution.clause_checks(op, params, inputs, invalid),
        attribution.listed_checks(named_clauses, invalid),
        attribution.legacy_checks(lb_ids) if profile == SNNTORCH else {},
    )
    result = Verdict(problems, attribution.checked_from(problems, ran), checks)
    result.call_failed = isinstance(outcome.error, CallFailedError)
    if problems and legacy_is_expected and lb_ids:
        legacy = expectation_for(expected, SNNTORCH)
        if legacy is not None and not judge(outcome, legacy, differentiated, tolerance, spec, device)[0]:
            result.legacy = sorted(lb_ids, key=lambda c: int(c[3:]))
    return result


def judge_call(outcome: Outcome, device: str | None) -> tuple[list[Problem], set[str], torch.Tensor | None]:
    """A call in a metamorphic relation: it returned a plain tensor on ``device`` and left its inputs alone.

    Returns the problems, the kinds of check that ran and the value (``None`` when there is none).
    """
    problems, ran = _behaviour_problems(outcome, ())
    if outcome.error is not None:
        message = (
            f"the call failed: {outcome.error}"
            if isinstance(outcome.error, CallFailedError)
            else (f"raised {_error_name(outcome.error)}: {outcome.error}\n{outcome.trace}".rstrip())
        )
        return [*problems, Problem("accepts", message)], ran | {"accepts"}, None
    ran |= {"accepts"} | ({"device"} if device is not None else set())  # the numbers are the relation's to judge
    for slot in ("value", "grad"):
        problem = returned_problem(slot, outcome.returned.get(slot), device)
        if problem:
            return [*problems, problem], ran, None
    value = outcome.result.value if outcome.result is not None else None
    if value is None:
        return [*problems, Problem("value", "value: the backend returned no tensor")], ran, None
    return problems, ran, value


def judge_relation(label: str, got: torch.Tensor, want: torch.Tensor, tolerance: dict | None = None) -> Problem | None:
    """A metamorphic relation: ``got`` (the backend's) against ``want`` (from its other calls)."""
    return difference(label, got, want, tolerance)
