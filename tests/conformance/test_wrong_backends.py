"""Wrong ports that used to pass are caught, and the catch names the clause they violate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .runner import run_in_process, run_suite

WRONG = Path(__file__).resolve().parent / "wrong_backends.py"

CAUGHT = {  # backend: (op to run, a clause the catch must name)
    "half_results_float32": ("tolerance", "SHARED-6"),
    "multi_spike_downcasts_float64": ("multi_spike", "SHARED-6"),
    "first_spike_int8_times": ("first_spike", "ST-FIRST-1"),
    "first_spike_int16_times": ("first_spike", "ST-FIRST-1"),
    "narrow_labels_as_zero": ("ce_count_loss", "CE-COUNT-1"),
    "normalises_weight_in_place": ("ce_count_loss", "SHARED-8"),
    "returns_lying_subclass": ("ce_count_loss", "CE-COUNT-1"),
    "bfloat16_countdown_times": ("first_spike", "ST-FIRST-1"),
    "MembraneIgnoresLB1": ("mse_membrane_loss", "LB-1"),
}


HOSTILE = {"returns_lying_subclass"}  # lies to the harness's type checks: judged through the sandbox only


@pytest.mark.parametrize(
    "backend", [pytest.param(b, marks=[pytest.mark.subprocess] if b in HOSTILE else []) for b in sorted(CAUGHT)]
)
def test_a_wrong_backend_is_caught_with_its_clause(pytester, tmp_path, backend):
    op, clause = CAUGHT[backend]
    report = tmp_path / "report.json"
    args = ("--backend", f"{WRONG}:{backend}", "-k", op, "--report-json", str(report))
    code, output = run_suite(*args) if backend in HOSTILE else run_in_process(pytester, *args)
    assert code == 1, output[-3000:]
    clauses = json.loads(report.read_text())["clauses"]
    assert clauses[clause]["status"] == "fail", {c: r["status"] for c, r in clauses.items()}


def test_a_backend_without_gradients_gets_no_credit_for_gradient_clauses(pytester, tmp_path):
    report = tmp_path / "report.json"
    code, output = run_in_process(
        pytester,
        "--backend",
        f"{WRONG}:NothingDifferentiable",
        "-k",
        "first_spike or ce_max",
        "--report-json",
        str(report),
    )
    assert code == 0, output[-3000:]
    clauses = json.loads(report.read_text())["clauses"]
    for gradient_clause in ("ST-FIRST-2", "CE-MAX-2"):
        assert clauses[gradient_clause]["status"] == "skip", clauses[gradient_clause]
