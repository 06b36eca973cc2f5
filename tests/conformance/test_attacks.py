"""Backends that attack the judge: each is caught, or the run ends fast with the right cause.

The backends (``attack_backends.py``) run in real sandboxed workers, so these tests start processes
(``subprocess`` marker, ``tox -e harness``).
"""

from __future__ import annotations

import json
import shutil

import pytest
import torch

from conformance.golden import generate
from conformance.golden.manifest import ManifestError, verified_texts
from conformance.judging.judge import verdict
from conformance.sandbox import CRASH_LIMIT, SandboxedBackend
from conformance.suite.cases import reference_case

from .runner import HERE, run_suite

pytestmark = pytest.mark.subprocess

ATTACKS = HERE / "attack_backends.py"
OP = "ce_count_loss"


def _case():
    generator = torch.Generator().manual_seed(7)
    inputs = {"spk_out": (torch.rand(4, 3, 5, generator=generator) < 0.4).float(), "targets": torch.tensor([0, 4, 2])}
    return {"reduction": "none"}, inputs


@pytest.fixture
def sandbox(request):
    backends = []

    def start(name: str) -> SandboxedBackend:
        backend = SandboxedBackend(f"{ATTACKS}:{name}", "spec", 30.0)
        backends.append(backend)
        return backend

    yield start
    for backend in backends:
        backend.close()


def _judge(outcome, params, inputs):
    case, _ = reference_case(OP, params, inputs)
    return verdict(outcome, OP, params, inputs, case, "spec", "cpu", legacy_is_expected=False)


@pytest.mark.parametrize("name", ["CodeInReply", "ForgesRawReply"])
def test_code_in_a_reply_never_runs_in_the_judging_process(sandbox, tmp_path, monkeypatch, name):
    marker = tmp_path / "ran"
    monkeypatch.setenv("ATTACK_MARKER", str(marker))
    backend = sandbox(name)
    params, inputs = _case()
    outcome = backend.call(OP, params, inputs, None, "cpu")
    result = _judge(outcome, params, inputs)
    assert result.status == "fail", result.problems
    assert not marker.exists()  # the payload ran nowhere: nothing unpickles it
    import conformance.golden.compare as compare

    assert compare.difference.__module__ == "conformance.golden.compare"
    if name == "ForgesRawReply":  # the forged frame is the backend's breach of the protocol; the worker is replaced
        assert outcome.error is not None and outcome.error.cause == "protocol"
        assert "not a valid" in str(outcome.error) or "could not be read" in str(outcome.error)
    else:
        assert "value" in {p.kind for p in result.problems}


def test_a_mutation_hidden_by_patching_torch_in_the_worker_is_seen_from_outside(sandbox):
    backend = sandbox("HidesMutation")
    params, inputs = _case()
    outcome = backend.call(OP, params, inputs, None, "cpu")
    assert outcome.mutated == ("spk_out",)
    assert _judge(outcome, params, inputs).failed_clauses() == ["SHARED-8"]


def test_a_result_overwritten_by_the_next_call_fails_shared_14_only(sandbox):
    backend = sandbox("ReusesOutputBuffer")
    params, inputs = _case()
    first = backend.call(OP, params, inputs, None, "cpu")
    assert _judge(first, params, inputs).status == "pass"
    other = {**inputs, "spk_out": 1 - inputs["spk_out"]}
    second = backend.call(OP, params, other, None, "cpu")
    assert second.overwritten and "previous call" in second.overwritten
    assert _judge(second, params, other).failed_clauses() == ["SHARED-14"]


def test_a_file_written_into_the_vectors_folder_is_named_by_the_next_run(sandbox, tmp_path, monkeypatch):
    folder = tmp_path / "vectors"
    shutil.copytree(generate.VECTOR_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    assert verified_texts(folder)
    sandbox("CodeInReply")  # the forkserver runs before the variable is set: workers still get it
    monkeypatch.setenv("ATTACK_VECTOR_DIR", str(folder))
    backend = sandbox("WritesIntoVectors")
    params, inputs = _case()
    backend.call(OP, params, inputs, None, "cpu")
    with pytest.raises(ManifestError, match=r"zz_planted\.yaml"):
        verified_texts(folder)


def test_after_consecutive_crashes_an_op_is_declared_crashing_and_probed_less_and_less_often(sandbox):
    from conformance.sandbox import FIRST_PROBE

    backend = sandbox("segfaults_always")
    params, inputs = _case()
    calls = CRASH_LIMIT + FIRST_PROBE + 1 + 2 * FIRST_PROBE
    causes = [backend.call(OP, params, inputs, None, "cpu").error for _ in range(calls)]
    refused, probe = ["breaker"] * FIRST_PROBE, ["crash"]
    assert [c.cause for c in causes] == ["crash"] * CRASH_LIMIT + refused + probe + refused * 2
    assert "SIGSEGV" in str(causes[-1]) and "declared crashing" in str(causes[-1])
    assert backend.restarts == CRASH_LIMIT + 1  # no worker is started for a call that is not made


def test_an_op_that_answers_again_is_no_longer_refused():
    from conformance.outcome import CallFailedError
    from conformance.sandbox import CrashBreaker

    breaker = CrashBreaker()
    for _ in range(CRASH_LIMIT):
        breaker.note(OP, CallFailedError("killed by SIGSEGV", cause="crash"))
    assert breaker.refuse(OP) and breaker.refuse(OP) and breaker.refuse(OP) is None  # the probe
    breaker.note(OP, None)
    assert breaker.refuse(OP) is None and breaker.refuse("first_spike") is None


@pytest.mark.parametrize(
    ("name", "cause"),
    [
        ("segfaults_always", "killed by SIGSEGV"),
        ("exits_always", "exited with status 0"),
        ("system_exit_always", "raised SystemExit(0)"),
        ("keyboard_interrupt_always", "raised KeyboardInterrupt()"),
    ],
)
def test_a_backend_that_ends_every_call_gets_a_full_failing_run_with_its_reports(tmp_path, name, cause):
    report = tmp_path / "report.json"
    code, output = run_suite("--backend", f"{ATTACKS}:{name}", "--report-json", str(report))
    assert code == 1, output[-3000:]
    assert cause in output and "declared crashing" in output
    data = json.loads(report.read_text())
    assert data["summary"].get("fail", 0) > 0 and data["summary"].get("pass", 0) == 0
    assert "Hypothesis" not in output.split("short test summary info")[-1]  # no shrinking through restarts


def test_an_oversized_reply_is_a_breach_of_the_protocol_and_the_worker_is_replaced(monkeypatch):
    import conformance.sandbox as sandbox_module

    backend = SandboxedBackend("reference", "spec", 30.0)
    try:
        params, inputs = _case()
        monkeypatch.setattr(sandbox_module, "MAX_REPLY_BYTES", 64)  # below any real reply's frame
        failed = backend.call(OP, params, inputs, None, "cpu")
        assert failed.error.cause == "protocol" and "larger than 64 bytes" in str(failed.error)
        monkeypatch.undo()
        assert backend.call(OP, params, inputs, None, "cpu").error is None  # a fresh worker answers
    finally:
        backend.close()
