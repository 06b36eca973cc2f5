"""The sandbox and the up-front checks: no backend, file or option can break the run.

Each test runs the suite in a subprocess, as a backend's CI would, with a backend from
``hostile_backends.py`` that crashes, exits or hangs in a real way (``ctypes``, ``os._exit``,
a GIL-holding ``sleep``), or with a hostile file or option.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from .test_harness import run_suite

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
    [("exits_on_single_step", "exited with status 0"), ("system_exit_on_single_step", "exited with status 3")],
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


# -- hostile files and options: usage errors before any backend call ------------------------------------------------

ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
).replace("b: &b [*a", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a", 1)


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _vector_file(path: Path, body: str) -> Path:
    header = (
        "schema: snnloss-conformance/vectors\nschema_version: 1\nspec_version: 1.0.0\nop: {op}\n"
        "generator: {{package: x, version: '1', torch: '2', numpy: '2', python: '3'}}\nnumber_of_cases: 1\n"
        "default_tolerance: {{}}\nnotes: {{}}\n"
    )
    path.write_text(header.format(op=body.split("|", 1)[0]) + body.split("|", 1)[1])
    return path


CASE = """groups:
- params: {{}}
  cases:
  - id: first_spike-000000000001
    comment: a user's case
    clauses: [ST-FIRST-1]
    legacy: []
    flags: []
    inputs:
{inputs}
    expected:
      spec:
        result: valid
        value: {{dtype: float32, shape: [1], data: [0.0]}}
      snntorch-1.0: {{same_as: spec}}
"""
HUGE_INPUT = "      spk_rec: {dtype: float32, shape: [1000, 1000, 1000], tile: [1.0]}"
GOOD_INPUT = "      spk_rec: {dtype: float32, shape: [1, 1, 1], data: [1.0]}"


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("alias bomb", lambda p: _write(p, ALIAS_BOMB), "alias bomb"),
        (
            "huge declared shape",
            lambda p: _vector_file(
                p,
                "first_spike|"
                + CASE.format(inputs="      spk_rec: {dtype: float32, shape: [1000, 1000, 1000], tile: [1.0]}"),
            ),
            "first_spike-000000000001: declared shape [1000, 1000, 1000]",
        ),
        ("unknown op", lambda p: _vector_file(p, "no_such_op|" + CASE.format(inputs=GOOD_INPUT)), "no_such_op"),
        (
            "case without inputs",
            lambda p: _vector_file(p, "first_spike|" + CASE.format(inputs="      {}")),
            "first_spike-000000000001: groups/0/cases/0/inputs: {} should be non-empty",
        ),
        (
            "data length differs from the shape",
            lambda p: _vector_file(
                p, "first_spike|" + CASE.format(inputs="      spk_rec: {dtype: float32, shape: [2, 1, 1], data: [1.0]}")
            ),
            "first_spike-000000000001: bad tensor",
        ),
        ("over the size bound", lambda p: _write(p, "# padding\n" * 900_000), "above the limit"),
    ],
)
def test_a_hostile_vector_file_is_a_usage_error_that_names_it(tmp_path, name, make, message):
    path = make(tmp_path / "failing.yaml")
    started = time.monotonic()
    code, output = run_suite("--backend", hostile("HangsOnEveryCall"), "--vectors", str(path))
    assert code == USAGE_ERROR, output[-3000:]
    assert str(path) in output and message in output, output[-3000:]
    assert "no answer" not in output and time.monotonic() - started < 60


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {match: {op: x}, action: skip, reason: r}\n", "expected a mapping with one key, entries"),
        ("entries: 5\n", "entries must be a list"),
        ("entries:\n  - {match: [op, x], action: skip, reason: r}\n", "match must be a non-empty mapping"),
        ("entries:\n  - {match: {op: [x]}, action: skip, reason: r}\n", "match.op must be a string or number"),
        ("entries:\n  - {match: {op: x}, action: explode, reason: r}\n", "action must be skip or xfail"),
        (ALIAS_BOMB, "alias bomb"),
    ],
)
def test_a_bad_expectations_file_is_a_usage_error(tmp_path, text, message):
    path = tmp_path / "expectations.yaml"
    path.write_text(text)
    code, output = run_suite("--backend", hostile("HangsOnEveryCall"), "--expectations", str(path))
    assert code == USAGE_ERROR, output[-3000:]
    assert message in output and str(path) in output, output[-3000:]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--device", "meta"], "--device: 'meta' is not one of"),
        (["--device", "cuda:7"], "--device cuda:7: no such device"),
        (["--device="], "--device: expected cpu, cuda, cuda:N or all"),
        (["--dtype", "int8"], "--dtype: expected a comma list of float32"),
        (["--conformance-time-limit", "-1"], "--conformance-time-limit: expected a positive, finite number"),
        (["--conformance-time-limit", "nan"], "--conformance-time-limit: expected a positive, finite number"),
        (["--conformance-isolation", "thread"], "--conformance-isolation: expected one of process, none"),
    ],
)
def test_a_bad_option_is_a_usage_error(option, message):
    code, output = run_suite("--backend", hostile("HangsOnEveryCall"), *option)
    assert code == USAGE_ERROR, output[-3000:]
    assert message in output, output[-3000:]
