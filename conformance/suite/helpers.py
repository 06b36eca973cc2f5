"""Running a backend inside property tests: admit the draw, call, hand the call to the judge, fail with a vector.

Differential properties (:func:`check_against_reference`) turn the reference's result on the drawn
input into a vector case and judge the call exactly as a vector test does. Metamorphic relations
(:func:`run` and :func:`check_relation`) judge every call's behaviour and the relation's value with
the same judge. A failure raises :class:`PropertyFailedError`, which carries the verdict (its failed
clauses) and the example as a vector file.
"""

from __future__ import annotations

import pytest
import torch

from ..backend import InputInfo
from ..golden import cases as golden_cases
from ..golden import generate
from ..judging import attribution
from ..judging.judge import Outcome, Verdict, judge_call, judge_relation
from ..ops import OPS
from ..outcome import CallFailedError
from ..run.context import Context
from ..tensors import DTYPE_NAMES
from .cases import judge_case, note, reference_case


def on_device(params: dict, inputs: dict, device: str) -> tuple[dict, dict]:
    moved = {k: v.to(device) if isinstance(v, torch.Tensor) else v for k, v in params.items()}
    return moved, {k: v.to(device) for k, v in inputs.items()}


def vector_yaml(op: str, params: dict, inputs: dict, note_text: str, clauses: list[str]) -> str:
    """A complete vector file for one example, expectations from the reference, ready to paste.

    It names the clauses the example failed; an unattributed failure names the op's first clause,
    since a vector names at least one.
    """
    cpu_params, cpu_inputs = on_device(params, inputs, "cpu")
    case = golden_cases.Case(
        op=op, params=cpu_params, inputs=cpu_inputs, clauses=tuple(clauses or OPS[op].clauses[:1]), comment=note_text
    )
    return generate.dump(generate.build(op, [case], strict=False))


class PropertyFailedError(AssertionError):
    """A property failure whose message (with the example as a vector) is built only when shown.

    Hypothesis raises it for every failing example while it shrinks; only the last, smallest one is shown.
    ``verdict`` is the judge's: its failed clauses are the ones the counterexample file names.
    The plugin writes the example to a file (``written_to``) before pytest shows the failure; the message
    then gives that file and the exact command that reruns it.
    """

    def __init__(self, context: Context, op: str, params: dict, inputs: dict, verdict: Verdict, test: str) -> None:
        self.problem = "\n".join(str(p) for p in verdict.problems)
        super().__init__(self.problem)
        self.verdict = verdict
        self.details = (context, op, params, inputs, test)
        self.written_to: str | None = None
        self._document: str | None = None

    def document(self) -> str:
        """The shrunk example as a complete vector file, expectations from the reference."""
        if self._document is None:
            _, op, params, inputs, test = self.details
            note_text = f"counterexample from {test}: {self.problem.splitlines()[0]}"
            self._document = vector_yaml(op, params, inputs, note_text, self.verdict.failed_clauses())
        return self._document

    def case_id(self) -> str:
        return next(line.split()[-1] for line in self.document().splitlines() if line.strip().startswith("- id: "))

    def rerun(self, path: str, device: str) -> str:
        context = self.details[0]
        return context.rerun_command("--device", device, "--vectors", path, "-k", self.case_id())

    def __str__(self) -> str:
        context = self.details[0]
        clauses = ", ".join(self.verdict.failed_clauses()) or "none (unattributed)"
        if self.written_to:
            return f"{self.problem}\nfailed clauses: {clauses}\n\ncounterexample (a vector file): {self.written_to}"
        return (
            f"{self.problem}\nfailed clauses: {clauses}\n\n"
            f"--- the shrunk example as a vector (save as failing.yaml) ---\n{self.document()}"
            f"--- rerun it ---\n{context.rerun_command('--vectors', 'failing.yaml', '-k', 'test_vector')}\n"
        )


def input_infos(inputs: dict) -> dict[str, InputInfo]:
    return {name: InputInfo(tuple(t.shape), DTYPE_NAMES.get(t.dtype, str(t.dtype))) for name, t in inputs.items()}


DECLINE_STREAK = 30  # declined draws in a row, with none accepted yet, after which a property test skips


class ExplorationStoppedError(BaseException):
    """A call failed (a crash, an exit, a time-out, a broken protocol): the test stops at this example.

    It derives from ``BaseException`` so that Hypothesis does not catch it: shrinking a crash would
    restart the worker for every attempt. The plugin reports ``failure`` (the first failing input).
    """

    def __init__(self, failure: BaseException) -> None:
        super().__init__(str(failure))
        self.failure = failure

    def __str__(self) -> str:
        return str(self.failure)


def declined_reason(
    context: Context, op: str, params: dict, inputs: dict, device: str, dtype: str | None
) -> str | None:
    """Why the backend does not take this case: outside its declared domain, or its ``unsupported()``'s reason."""
    domain = context.backend.domain
    reason = domain.excludes(op, params, inputs) if domain is not None else None
    if reason is None:
        reason = context.backend.unsupported(op, params, device, dtype, inputs=input_infos(inputs))
    return reason


def admit(context: Context, op: str, params: dict, inputs: dict, device: str) -> None:
    """Go on only with a case the backend accepts. A declined Hypothesis draw is rejected and counted (another is
    drawn; the run's Hypothesis profiles do not count rejections against the test); a test whose first draws are
    all declined skips, so it never passes on nothing.
    """
    from hypothesis import currently_in_test_context, reject

    record = inputs[OPS[op].differentiable]
    dtype = DTYPE_NAMES.get(record.dtype, str(record.dtype))
    try:
        reason = declined_reason(context, op, params, inputs, device, dtype)
    except CallFailedError as failure:
        stop_or_raise(AssertionError(f"the backend's unsupported() did not answer: {failure}"))
    state = context.current
    if reason is None:
        if state is not None:
            state.accept(_current_example())
        return
    if state is not None:
        state.decline(reason, _current_example())
    in_hypothesis = currently_in_test_context()
    declined = sum(state.declined.values()) if state is not None else 1
    if not in_hypothesis or state is None or (state.accepted == 0 and declined >= DECLINE_STREAK):
        pytest.skip(f"declined: {reason}" + (f" ({declined} draws declined, none accepted)" if in_hypothesis else ""))
    reject()


def _current_example() -> object:
    """Hypothesis's context of the running example (one object per example), or ``None`` outside Hypothesis."""
    from hypothesis import currently_in_test_context
    from hypothesis.control import current_build_context

    return current_build_context() if currently_in_test_context() else None


def stop_or_raise(failure: BaseException, call_failed: bool = True):
    """Raise ``failure``; inside Hypothesis, after a failed call, stop exploring instead (no shrinking)."""
    from hypothesis import currently_in_test_context

    if call_failed and currently_in_test_context():
        raise ExplorationStoppedError(failure)
    raise failure


def fail(context: Context, op: str, params: dict, inputs: dict, verdict: Verdict, test: str):
    stop_or_raise(PropertyFailedError(context, op, params, inputs, verdict, test), verdict.call_failed)


def check_against_reference(context: Context, op: str, params: dict, inputs: dict, device: str, test: str) -> Verdict:
    """Differential: the reference's result on this input is the expectation; the judge decides as for a vector.

    A legacy verdict (snnTorch 1.0.0's behaviour where the spec differs) is noted on the test, and the
    test goes on drawing.
    """
    params, inputs = on_device(params, inputs, "cpu")
    admit(context, op, params, inputs, device)
    case, _ = reference_case(op, params, inputs)
    verdict = judge_case(context, op, params, inputs, case, device)
    if verdict.problems and not verdict.legacy:
        fail(context, op, params, inputs, verdict, test)
    return verdict


def call(context: Context, op: str, params: dict, inputs: dict, device: str, cotangent=None) -> Outcome:
    """One sandboxed call of the backend on ``device`` (inputs travel as CPU tensors), if it accepts the case."""
    params, inputs = on_device(params, inputs, "cpu")
    admit(context, op, params, inputs, device)
    return context.backend.call(op, params, inputs, None if cotangent is None else cotangent.cpu(), device)


def run(context: Context, op: str, params: dict, inputs: dict, device: str, test: str) -> torch.Tensor:
    """The value of one call in a metamorphic relation, judged for its behaviour (type, device, mutation).

    A call that raises or modifies its inputs is judged against the reference: where the profile allows
    that on this input, the test goes on (a rejected input is a rejected draw); else the test fails.
    """
    outcome = call(context, op, params, inputs, device)
    problems, ran, value = judge_call(outcome, device)
    if problems and not isinstance(outcome.error, CallFailedError):
        # what the profile allows on this input (an error, an in-place rewrite) is the differential judge's call
        check_against_reference(context, op, params, inputs, device, test)  # raises unless it is allowed
        if value is None:
            from hypothesis import reject

            reject()  # the backend may reject this input: the relation cannot be evaluated on it
        return value
    result = Verdict(problems, attribution.checked_from(problems, ran), attribution.clause_checks(op, params, inputs))
    result.call_failed = isinstance(outcome.error, CallFailedError)
    note(context, result)
    if problems:
        fail(context, op, params, inputs, result, test)
    return value


def check_relation(
    context: Context,
    op: str,
    params: dict,
    inputs: dict,
    label: str,
    got: torch.Tensor,
    want: torch.Tensor,
    test: str,
    tolerance: dict | None = None,
) -> None:
    """A metamorphic relation holds: ``got`` equals ``want`` (both the backend's). It verifies the test's clauses."""
    problem = judge_relation(label, got, want, tolerance)
    named = context.current.named if context.current is not None else ()
    checks = {clause: frozenset({"value"}) for clause in named}  # the relation is what the test's clauses state
    result = Verdict([problem] if problem else [], {"value": "fail" if problem else "pass"}, checks)
    note(context, result)
    if problem:
        raise PropertyFailedError(context, op, params, inputs, result, test)  # the relation failed: shrink it
