"""Vector tests: every golden case, on every device, judged under the run's profile."""

from __future__ import annotations

import pytest

from ..golden.load import expectation_for
from ..run.context import Context
from .cases import judge_case
from .helpers import declined_reason
from .vectors import Vector


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "vector" not in metafunc.fixturenames:
        return
    context = Context.of(metafunc.config)
    params = [pytest.param(v, d, id=f"{v.case['id']}-{d}") for v in context.vectors for d in context.devices]
    metafunc.parametrize(("vector", "device"), params)


def _failure(context: Context, vector: Vector, device: str, problems: list[str], clauses: list[str]) -> str:
    case = vector.case
    lines = [
        f"vector {case['id']} ({vector.file}) on {device}, {context.profile} profile",
        f"  {case['comment']}",
        f"  op {vector.op}, params {vector.params}",
        f"  failed clauses: {', '.join(clauses) or 'none (unattributed)'}",
        *[f"  - {problem}" for problem in problems],
        f"  rerun: {context.rerun_command('--device', device, '-k', case['id'])}",
    ]
    return "\n".join(lines)


def test_vector(conformance: Context, vector: Vector, device: str) -> None:
    case = vector.case
    expectation = expectation_for(case["expected"], conformance.profile)
    if expectation is None:
        pytest.skip(f"{case['id']} has no expectation under {conformance.profile} (outside that profile's domain)")
    invalid = expectation["result"] == "invalid"
    params, inputs = vector.decoded_params("cpu"), vector.inputs("cpu")
    checked_dtype = None if invalid else vector.dtype  # bad dtypes must be rejected by all
    reason = declined_reason(conformance, vector.op, params, inputs, device, checked_dtype)
    if reason:
        conformance.current.declined[reason] += 1
        pytest.skip(f"declined: {reason}")
    conformance.current.accept(None)
    verdict = judge_case(conformance, vector.op, params, inputs, case, device, tuple(case["clauses"]))
    if verdict.legacy:
        pytest.xfail(f"legacy behaviour {', '.join(verdict.legacy)}: matches snnTorch 1.0.0, not the spec")
    if verdict.problems:
        problems = [str(p) for p in verdict.problems]
        pytest.fail(_failure(conformance, vector, device, problems, verdict.failed_clauses()), pytrace=False)
