"""Vectors and properties reach the same verdict, and a failure names exactly the clauses it broke.

The suite runs in this process (pytester, the backend in-process, a few ops): isolation is not what
these tests are about. The backends are in ``judge_backends.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

BACKENDS = "tests/conformance/judge_backends.py"
OPS = "ce_count_loss or mse_membrane_loss or ce_temporal_loss"


def run_suite(pytester: pytest.Pytester, backend: str, *extra: str) -> tuple[int, dict]:
    report = pytester.path / "report.json"
    args = ["-p", "no:cacheprovider", "--pyargs", "conformance", "--device", "cpu", "-q"]
    args += ["--conformance-isolation", "none", "--backend", f"{ROOT}/{BACKENDS}:{backend}"]
    args += ["--report-json", str(report), "-k", OPS, *extra]
    result = pytester.runpytest_inprocess(*args)
    return int(result.ret), json.loads(report.read_text())


def failed_clauses(report: dict) -> dict[str, set[str]]:
    return {failure["test"]: set(failure["clauses"]) for failure in report["failures"]}


@pytest.mark.parametrize("backend", ["EmptyBatchNaN", "AcceptsNarrowLabels"])
def test_a_port_that_gives_the_spec_value_where_upstream_raises_passes_every_test_kind(pytester, backend):
    """Where snnTorch 1.0.0 raises, the snntorch-1.0 profile accepts the spec's value: in vectors and properties."""
    code, report = run_suite(pytester, backend, "--profile", "snntorch-1.0")
    assert code == 0, report["failures"]
    assert report["summary"].get("fail", 0) == 0
    assert report["ops"]["ce_count_loss"]["pass"] > 20


def test_a_weighted_mean_divided_by_the_weights_fails_shared_5_and_nothing_unrelated(pytester):
    code, report = run_suite(pytester, "WeightedMeanBySumOfWeights")
    assert code == 1
    failures = failed_clauses(report)
    vectors = {test: clauses for test, clauses in failures.items() if "test_vector" in test}
    assert vectors, failures
    for clauses in vectors.values():  # fixed cases: exactly the reduction and the formula
        assert clauses == {"SHARED-5", "CE-COUNT-1"}
    for test, clauses in failures.items():  # a drawn case may also use a population code, and then names it
        assert "SHARED-5" in clauses and clauses <= {"SHARED-5", "CE-COUNT-1", "CE-COUNT-2", "SHARED-9"}, test
    assert report["clauses"]["SHARED-5"]["status"] == "fail"
    for unrelated in ("SHARED-2", "SHARED-4", "SHARED-13", "SHARED-6"):
        assert report["clauses"][unrelated]["status"] != "fail", unrelated


def test_float64_gradients_computed_in_float32_fail_a_gradient_clause(pytester):
    code, report = run_suite(pytester, "Float64GradientsInFloat32")
    assert code == 1
    assert report["summary"].get("fail", 0) > 0, "a failing run must not print an all-pass clause report"
    for test, clauses in failed_clauses(report).items():
        assert clauses and clauses <= {"SHARED-13", "ST-FIRST-2"}, test
    assert report["clauses"]["SHARED-13"]["status"] == "fail"
