"""Correct partial ports get exact verdicts: declines, no failures; failures name only what they violated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.clauses import registry

from .runner import run_in_process, run_suite

HERE = Path(__file__).resolve().parent
SPEC = HERE.parents[1] / "docs" / "spec"
PARTIAL = HERE / "partial_backends.py"


DECLINES_DRAWS = {"MeanOnly", "NoWeights", "DeclinesNinetyPercent", "MeanOnlyNoWeight"}  # by value, in property tests


@pytest.mark.parametrize(
    ("backend", "declined", "ops"),
    [  # each run is limited to ops where the backend declines something, and one it runs whole
        ("MeanOnly", "reduction='sum' unsupported", "ce_count_loss or mse_temporal_loss"),
        ("NoWeights", "class weights unsupported", "ce_count_loss or mse_membrane_loss"),
        ("NoPopulationCode", "population codes unsupported", "ce_rate_loss or mse_count_loss"),
        ("StepsAtLeastOne", "T = 0 unsupported", "ce_count_loss or first_spike"),
        ("NumpyFirstSpikeValueAndVjp", "T = 0 unsupported", "first_spike or ce_count_loss"),
        ("RebindsKeys", None, "ce_max_membrane_loss or tolerance or spike_time"),
        ("KernelSkipsEmptyInputs", None, "ce_count_loss or multi_spike"),
        ("DeclinesNinetyPercent", "declined by value (nine cases in ten)", "ce_count_loss"),
        ("MeanOnlyNoWeight", "only reduction='mean'", "mse_membrane_loss"),
        ("DeclaresDomain", "outside the declared domain: reduction='sum'", "ce_count_loss or spike_time"),
    ],
)
def test_a_correct_partial_backend_passes_with_its_declines(pytester, tmp_path, backend, declined, ops):
    report = tmp_path / "report.json"
    args = ("--backend", f"{PARTIAL}:{backend}", "-k", ops, "--report-json", str(report))
    code, output = run_in_process(pytester, *args)
    assert code == 0, output[-4000:]
    data = json.loads(report.read_text())
    assert data["summary"].get("fail", 0) == 0
    assert "FailedHealthCheck" not in output and "Unsatisfiable" not in output
    ran = {op: (row["vectors_ran"], row["examples_ran"]) for op, row in data["ops"].items() if row.get("pass")}
    assert ran and all(vectors > 0 and examples > 0 for vectors, examples in ran.values()), ran
    assert all(f"{v} vectors, {e} property examples" in output for v, e in ran.values())
    partly = data["declined_property_tests"]  # property tests with declined calls: examples run, calls declined
    assert all(t["declined"] > 0 and isinstance(t["examples_ran"], int) for t in partly), partly
    if backend in DECLINES_DRAWS:
        assert any(t["outcome"] == "pass" and t["examples_ran"] > 0 for t in partly), partly
    if declined:
        reasons = {reason for op in data["ops"].values() for reason in op["declined_reasons"]}
        assert declined in reasons, reasons
        assert "declined" in output


@pytest.mark.subprocess
@pytest.mark.parametrize("profile", ["spec", "snntorch-1.0"])
def test_a_plain_snntorch_copy_gets_upstreams_verdict(tmp_path, profile):
    report = tmp_path / "report.json"
    code, output = run_suite(
        "--backend", str(HERE / "snntorch_copy.py"), "--profile", profile, "--report-json", str(report)
    )
    assert code == 0, output[-4000:]
    clauses = json.loads(report.read_text())["clauses"]
    assert not [c for c, row in clauses.items() if row["status"] == "fail"]
    legacy = {c for c in clauses if c.startswith("LB-")}
    wanted = "xfail" if profile == "spec" else "pass"
    assert legacy == {c for c in registry(SPEC) if c.startswith("LB-")}
    assert all(clauses[c]["status"] == wanted for c in legacy), {c: clauses[c]["status"] for c in legacy}


def test_without_profile_a_backend_is_checked_against_the_profile_it_declares(pytester, tmp_path):
    report = tmp_path / "report.json"
    code, output = run_in_process(pytester, "--backend", "snntorch", "-k", "first_spike", "--report-json", str(report))
    assert code == 0, output[-3000:]
    header = json.loads(report.read_text())
    assert header["profile"] == "snntorch-1.0" and header["profile_reason"] == "declared by the backend"


@pytest.mark.parametrize(
    ("backend", "violated"),
    [
        (f"{HERE / 'broken_backends.py'}:ce_max_splits_ties", {"CE-MAX-2"}),  # a gradient mismatch in tie handling
        (f"{PARTIAL}:MutatesAfterwards", {"SHARED-8"}),  # right values and gradients, then mutates its input
    ],
    ids=["gradient", "mutation"],
)
def test_a_failure_names_only_the_clauses_it_violated(pytester, tmp_path, backend, violated):
    report = tmp_path / "report.json"
    code, output = run_in_process(
        pytester, "--backend", backend, "-k", "ce_max_membrane_loss", "--report-json", str(report)
    )
    assert code == 1, output[-3000:]
    failed = {c for c, row in json.loads(report.read_text())["clauses"].items() if row["status"] == "fail"}
    assert failed == violated, failed
