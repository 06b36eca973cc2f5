"""The up-front checks: every file and option is validated before the first backend call; a bad one is a
usage error that names it. The suite runs in this process; the backend would hang on any call.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .runner import run_in_process

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "hostile_backends.py"
USAGE_ERROR = 4


def hostile(name: str) -> str:
    return f"{HOSTILE}:{name}"


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
def test_a_hostile_vector_file_is_a_usage_error_that_names_it(pytester, tmp_path, name, make, message):
    path = make(tmp_path / "failing.yaml")
    started = time.monotonic()
    code, output = run_in_process(pytester, "--backend", hostile("HangsOnEveryCall"), "--vectors", str(path))
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
def test_a_bad_expectations_file_is_a_usage_error(pytester, tmp_path, text, message):
    path = tmp_path / "expectations.yaml"
    path.write_text(text)
    code, output = run_in_process(pytester, "--backend", hostile("HangsOnEveryCall"), "--expectations", str(path))
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
def test_a_bad_option_is_a_usage_error(pytester, option, message):
    code, output = run_in_process(pytester, "--backend", hostile("HangsOnEveryCall"), *option)
    assert code == USAGE_ERROR, output[-3000:]
    assert message in output, output[-3000:]


def test_a_file_planted_in_the_shipped_vectors_is_a_usage_error_before_any_backend_call(
    pytester, tmp_path, monkeypatch
):
    import shutil

    from conformance.golden.generate import VECTOR_DIR
    from conformance.suite import vectors

    folder = tmp_path / "vectors"
    shutil.copytree(VECTOR_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "zz_planted.yaml").write_text((folder / "tolerance.yaml").read_text())
    monkeypatch.setattr(vectors, "VECTOR_DIR", folder)
    code, output = run_in_process(pytester, "--backend", hostile("HangsOnEveryCall"))
    assert code == USAGE_ERROR, output[-2000:]
    assert "zz_planted.yaml" in output and "not one the project shipped" in output
