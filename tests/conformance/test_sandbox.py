"""The sandbox: no crash, exit or hang of a backend can break the run.

Each test runs the suite in a subprocess, as a backend's CI would, with a backend from
``hostile_backends.py`` that crashes, exits or hangs in a real way (``ctypes``, ``os._exit``,
a GIL-holding ``sleep``).
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from .runner import run_suite

pytestmark = pytest.mark.subprocess  # crashes, exits and hangs are what only a real worker process shows

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "hostile_backends.py"
USAGE_ERROR = 4


def hostile(name: str) -> str:
    return f"{HOSTILE}:{name}"


def failed_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("FAILED")]


# -- crashes and exits fail one test; the run goes on and writes its reports -------------------------------------------


@pytest.mark.parametrize(
    ("backend", "cause"),
    [("segfaults_on_empty_batch", "killed by SIGSEGV"), ("sigfpe_on_empty_batch", "killed by SIGFPE")],
)
def test_a_native_crash_fails_only_that_case(tmp_path, backend, cause):
    junit, report = tmp_path / "junit.xml", tmp_path / "report.json"
    code, output = run_suite(
        "--backend",
        hostile(backend),
        "-k",
        "test_vector and ce_count_loss",
        "--junitxml",
        str(junit),
        "--report-json",
        str(report),
    )
    assert code == 1, output[-3000:]
    failed = failed_lines(output)
    assert failed and all("ce_count_loss-" in line for line in failed), output[-3000:]
    assert cause in output and "empty" in output  # the cause and the case (its comment names the empty batch)
    assert " passed" in output.splitlines()[-1]  # the other vectors of the op ran after the crash
    suite = ElementTree.parse(junit).getroot()
    assert int(suite.find("testsuite").get("failures")) == len(failed)
    assert report.exists()


@pytest.mark.parametrize(
    ("backend", "cause"),
    [("exits_on_single_step", "exited with status 0"), ("system_exit_on_single_step", "raised SystemExit(3)")],
)
def test_an_exit_fails_the_call_and_the_run_exits_non_zero(backend, cause):
    code, output = run_suite("--backend", hostile(backend), "-k", "test_vector and ce_count_loss")
    assert code == 1, output[-3000:]
    assert cause in output
    assert " passed" in output.splitlines()[-1]


def test_a_gil_holding_hang_is_killed_at_the_time_limit():
    code, output = run_suite(
        "--backend",
        hostile("holds_the_gil_on_empty_batch"),
        "--conformance-time-limit",
        "2",
        "-k",
        "test_vector and ce_count_loss",
    )
    assert code == 1, output[-3000:]
    assert "no answer in 2 s" in output
    assert " passed" in output.splitlines()[-1]


def test_a_backend_that_hangs_on_every_call_is_declared_hung_and_the_run_ends_in_minutes(tmp_path):
    junit = tmp_path / "junit.xml"
    started = time.monotonic()
    code, output = run_suite(
        "--backend",
        hostile("HangsOnEveryCall"),
        "--conformance-time-limit",
        "0.5",
        "--junitxml",
        str(junit),
        "-p",
        "no:randomly",
    )
    elapsed = time.monotonic() - started
    assert code == 1, output[-3000:]
    assert elapsed < 120, elapsed
    assert "backend declared hung after 3 time-outs (each: no answer in 0.5 s)" in output
    assert junit.exists() and "conformance:" in output  # the clause report is still printed


def test_the_in_process_mode_runs_the_backend_in_the_test_process():
    code, output = run_suite(
        "--backend", "reference", "--conformance-isolation", "none", "-k", "test_vector and first_spike"
    )
    assert code == 0, output[-3000:]


# -- a backend that cannot load, or declares nothing ----------------------------------------------------------------


def test_a_backend_that_exits_at_import_is_a_usage_error(tmp_path):
    module = tmp_path / "exits_at_import.py"
    module.write_text("import os\nos._exit(0)\n")
    code, output = run_suite("--backend", str(module))
    assert code == USAGE_ERROR, output[-3000:]
    assert "exited with status 0 before it was ready" in output


def test_a_backend_that_declares_no_ops_is_a_usage_error():
    code, output = run_suite("--backend", hostile("DeclaresNothing"))
    assert code == USAGE_ERROR and "declares no ops" in output, output[-3000:]


def test_a_run_where_every_test_is_declined_exits_non_zero():
    code, output = run_suite(
        "--backend", f"{HERE / 'special_backends.py'}:NumpyFirstSpike", "-k", "test_vector and ce_count_loss"
    )
    assert code == 1, output[-3000:]
    assert "no conformance test ran" in output
