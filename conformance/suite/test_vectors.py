"""Vector tests: every golden case, on every device, judged under the run's profile."""

from __future__ import annotations

import pytest

from ..checks import Problem, checked_from
from ..context import Context
from ..golden.load import resolve
from ..judge import judge
from ..ops import OPS
from ..plugin import context_of, record_checks, record_decline, record_legacy
from ..tensors import decode
from .helpers import input_infos
from .vectors import Vector


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "vector" not in metafunc.fixturenames:
        return
    context = context_of(metafunc.config)
    params = [pytest.param(v, d, id=f"{v.case['id']}-{d}") for v in context.vectors for d in context.devices]
    metafunc.parametrize(("vector", "device"), params)


def _failure(context: Context, vector: Vector, device: str, problems: list[str]) -> str:
    case = vector.case
    lines = [
        f"vector {case['id']} ({vector.file}) on {device}, {context.profile} profile",
        f"  {case['comment']}",
        f"  op {vector.op}, params {vector.params}, clauses {', '.join(case['clauses'])}",
        *[f"  - {problem}" for problem in problems],
        f"  rerun: {context.rerun_command('--device', device, '-k', case['id'])}",
    ]
    return "\n".join(lines)


def test_vector(conformance: Context, vector: Vector, device: str, request: pytest.FixtureRequest) -> None:
    backend, case = conformance.backend, vector.case
    expectation = resolve(case["expected"], conformance.profile)
    if expectation is None:
        pytest.skip(f"{case['id']} has no expectation under {conformance.profile} (outside that profile's domain)")
    invalid = expectation["result"] == "invalid"
    params, inputs = vector.decoded_params("cpu"), vector.inputs("cpu")
    checked_dtype = None if invalid else vector.dtype  # bad dtypes must be rejected by all
    reason = backend.unsupported(vector.op, params, device, checked_dtype, inputs=input_infos(inputs))
    if reason:
        record_decline(request, reason)
        pytest.skip(f"declined: {reason}")
    spec = resolve(case["expected"], "spec")
    differentiated = OPS[vector.op].differentiable
    grad = expectation.get("grad") if expectation["result"] == "valid" else spec.get("grad")
    want_grad = grad is not None and vector.op in backend.differentiable_ops
    cotangent = decode(grad["cotangent"]) if want_grad else None
    outcome = backend.call(vector.op, params, inputs, cotangent, device)
    conventions = conformance.profile == "snntorch-1.0"
    problems, ran = judge(outcome, expectation, differentiated, case.get("tolerance"), spec, device, conventions)
    if want_grad and outcome.error is None and outcome.result.grad is None and not invalid:
        message = f"no gradient returned, though {backend.name} declares {vector.op} differentiable"
        problems.append(Problem("gradient", message))
        ran.add("gradient")
    record_checks(request, checked_from(problems, ran), expects_error=invalid)
    if problems and conformance.legacy_is_expected and case["legacy"]:
        legacy = resolve(case["expected"], "snntorch-1.0")
        if legacy is not None and not judge(outcome, legacy, differentiated, case.get("tolerance"), spec, device)[0]:
            record_legacy(request, case["legacy"])
            pytest.xfail(f"legacy behaviour {', '.join(case['legacy'])}: matches snnTorch 1.0.0, not the spec")
    if problems:
        pytest.fail(_failure(conformance, vector, device, problems), pytrace=False)
