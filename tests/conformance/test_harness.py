"""The conformance harness against known backends: broken ones fail, faithful ones pass, failures read well.

Judgement is tested in this process (``run_in_process``); what needs a real process (the sandbox, exit
codes, the environment) runs ``python -m pytest --pyargs conformance ...`` in a subprocess, as a backend's
CI would, and carries the ``subprocess`` marker.
"""

from __future__ import annotations

import json

import pytest

from . import broken_backends
from .runner import HERE, run_in_process, run_suite

# Where each bug lives, so that the ci run can be limited to that op with -k (it still runs every
# vector and property of the op under the default ci settings).
BUG_OP = {
    "ce_count_softmax_over_batch": "ce_count_loss",
    "ce_rate_sums_over_time": "ce_rate_loss",
    "mse_count_float32_targets": "mse_count_loss",
    "first_spike_silent_at_t": "first_spike",
    "first_spike_positive_surrogate": "first_spike",
    "multi_spike_whole_steps": "multi_spike",
    "tolerance_inclusive": "tolerance",
    "mse_temporal_unnormalised": "mse_temporal_loss",
    "weighted_sum_unreduced": "ce_count_loss",
    "mse_weight_on_columns": "mse_membrane_loss",
    "population_interleaved": "ce_count_loss",
    "float64_downcast": "ce_rate_loss",
    "mutates_record": "ce_max_membrane_loss",
    "ce_max_splits_ties": "ce_max_membrane_loss",
    "ce_temporal_reciprocal_off_by_one": "ce_temporal_loss",
    "silent_fallback": "ce_rate_loss",
}


def test_every_bug_has_an_op():
    assert sorted(BUG_OP) == sorted(broken_backends.BROKEN)
    assert len(BUG_OP) >= 12


UNATTRIBUTED_BY_DESIGN = {"silent_fallback"}  # a kernel counter that did not move breaks no clause of the spec


@pytest.mark.parametrize("name", sorted(BUG_OP))
def test_broken_backend_is_caught(pytester, tmp_path, name):
    """Every broken backend fails the default ci run of the op its bug is in (in this process), naming a clause."""
    backend = f"{HERE / 'broken_backends.py'}:{name}"
    report = tmp_path / "report.json"
    code, output = run_in_process(
        pytester, "-x", "-k", BUG_OP[name], "--backend", backend, "--report-json", str(report)
    )
    assert code == 1, output[-3000:]
    assert any(line.startswith("FAILED") for line in output.splitlines()), output[-3000:]
    (failure,) = json.loads(report.read_text())["failures"]
    if name in UNATTRIBUTED_BY_DESIGN:
        assert failure["clauses"] == ["UNATTRIBUTED"], failure
    else:
        assert failure["clauses"] and "UNATTRIBUTED" not in failure["clauses"], failure


@pytest.mark.subprocess
def test_unmodified_api_module_passes_everything():
    code, output = run_suite("--backend", "tests.conformance.api_wrapper")
    assert code == 0, output[-3000:]
    assert "0 fail" in output


@pytest.mark.subprocess
def test_reference_passes_the_snntorch_profile_with_xdist(tmp_path):
    report = tmp_path / "report.json"
    code, output = run_suite(
        "--backend", "reference", "--profile", "snntorch-1.0", "-n", "2", "--report-json", str(report)
    )
    assert code == 0, output[-3000:]
    data = json.loads(report.read_text())
    assert data["profile"] == "snntorch-1.0" and data["summary"].get("fail", 0) == 0
    assert data["clauses"]["LB-9"]["status"] == "pass"


def test_a_raising_backend_fails_only_its_tests(pytester):
    code, output = run_in_process(
        pytester,
        "--backend",
        f"{HERE / 'special_backends.py'}:raises",
        "-k",
        "test_vector and (ce_count_loss or first_spike)",
    )
    assert code == 1
    assert "kernel exploded: illegal memory access" in output and "ce_count_loss-" in output
    assert "first_spike" not in "".join(line for line in output.splitlines() if line.startswith("FAILED"))


@pytest.mark.subprocess
def test_an_unimportable_backend_stops_the_run_at_once():
    code, output = run_suite("--backend", "no_such_package_xyz")
    assert code == 4
    assert "cannot load backend 'no_such_package_xyz'" in output and "ModuleNotFoundError" in output


@pytest.mark.subprocess
def test_a_hang_becomes_a_failure():
    code, output = run_suite(
        "--backend",
        f"{HERE / 'special_backends.py'}:hangs",
        "--conformance-time-limit",
        "0.5",
        "-k",
        "test_vector and first_spike",
        "-x",
    )
    assert code == 1 and "no answer in 0.5 s" in output


def test_nan_where_the_spec_expects_a_number_is_a_clear_failure(pytester):
    code, output = run_in_process(
        pytester, "--backend", f"{HERE / 'special_backends.py'}:returns_nan", "-k", "test_vector and ce_max", "-x"
    )
    assert code == 1 and "non-finite nan" in output and "where the spec expects" in output


def test_numpy_backend_passes_its_op_and_skips_the_rest(pytester):
    code, output = run_in_process(
        pytester, "--backend", f"{HERE / 'special_backends.py'}:NumpyFirstSpike", "-k", "test_vector"
    )
    assert code == 0, output[-3000:]
    assert "numpy-first-spike does not implement ce_count_loss" in output or "skipped" in output


def test_expectations_file_xfails_and_warns_on_unmatched_entries(pytester, tmp_path):
    expectations = tmp_path / "expectations.yaml"
    expectations.write_text(
        "entries:\n"
        "  - match: {op: ce_count_loss, test: test_vector}\n    action: xfail\n    reason: known bug 12\n"
        "  - match: {op: no_such_op}\n    action: skip\n    reason: stale entry\n"
    )
    code, output = run_in_process(
        pytester,
        "--backend",
        f"{HERE / 'special_backends.py'}:raises",
        "--expectations",
        str(expectations),
        "-k",
        "test_vector and ce_count_loss",
    )
    assert code == 0, output[-3000:]
    assert "xfailed" in output and "matches no test" in output


@pytest.mark.subprocess
def test_environment_variable_names_the_backend(tmp_path):
    report = tmp_path / "report.md"
    code, output = run_suite("-k", "first_spike", "--report-md", str(report), env={"SNNLOSS_BACKEND": "reference"})
    assert code == 0, output[-3000:]
    assert report.read_text().startswith("# Conformance report: reference (spec profile)")


def test_a_broken_metamorphic_relation_names_the_clauses_of_its_test(pytester, tmp_path):
    """A relation that fails blames the clauses the test states (here ST-FIRST-1), never UNATTRIBUTED."""
    report = tmp_path / "report.json"
    backend = f"{HERE / 'broken_backends.py'}:first_spike_silent_at_t"
    code, output = run_in_process(pytester, "-k", "test_time_shift", "--backend", backend, "--report-json", str(report))
    assert code == 1, output[-3000:]
    (failure,) = json.loads(report.read_text())["failures"]
    assert failure["clauses"] == ["ST-FIRST-1"], failure
