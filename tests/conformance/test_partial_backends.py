"""Correct partial ports get exact verdicts: declines, no failures; failures name only what they violated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.clauses import registry

from .test_harness import run_suite

HERE = Path(__file__).resolve().parent
SPEC = HERE.parents[1] / "docs" / "spec"
PARTIAL = HERE / "partial_backends.py"


@pytest.mark.parametrize(
    ("backend", "declined"),
    [
        ("MeanOnly", "reduction='sum' unsupported"),
        ("NoWeights", "class weights unsupported"),
        ("NoPopulationCode", "population codes unsupported"),
        ("StepsAtLeastOne", "T = 0 unsupported"),
        ("NumpyFirstSpikeValueAndVjp", "T = 0 unsupported"),
        ("RebindsKeys", None),
        ("KernelSkipsEmptyInputs", None),
    ],
)
def test_a_correct_partial_backend_passes_with_its_declines(tmp_path, backend, declined):
    report = tmp_path / "report.json"
    code, output = run_suite("--backend", f"{PARTIAL}:{backend}", "--report-json", str(report))
    assert code == 0, output[-4000:]
    data = json.loads(report.read_text())
    assert data["summary"].get("fail", 0) == 0
    if declined:
        reasons = {reason for op in data["ops"].values() for reason in op["declined_reasons"]}
        assert declined in reasons, reasons
        assert "declined" in output


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


def test_without_profile_a_backend_is_checked_against_the_profile_it_declares(tmp_path):
    report = tmp_path / "report.json"
    code, output = run_suite("--backend", "snntorch", "-k", "first_spike", "--report-json", str(report))
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
def test_a_failure_names_only_the_clauses_it_violated(tmp_path, backend, violated):
    report = tmp_path / "report.json"
    code, output = run_suite("--backend", backend, "-k", "ce_max_membrane_loss", "--report-json", str(report))
    assert code == 1, output[-3000:]
    failed = {c for c, row in json.loads(report.read_text())["clauses"].items() if row["status"] == "fail"}
    assert failed == violated, failed
