"""Running a backend inside property tests, and turning a failing example into a vector."""

from __future__ import annotations

import pytest
import torch

from reference.compat import legacy

from ..backend import InputInfo, Result, TorchModuleBackend
from ..context import PROFILE_REFERENCES, Context
from ..golden import cases as golden_cases
from ..golden import generate
from ..judge import Outcome, compare_with, returned_problem
from ..ops import OPS
from ..sandbox import CallFailedError
from ..tensors import DTYPE_NAMES
from .strategies import MAIN_CLAUSES


def on_device(params: dict, inputs: dict, device: str) -> tuple[dict, dict]:
    moved = {k: v.to(device) if isinstance(v, torch.Tensor) else v for k, v in params.items()}
    return moved, {k: v.to(device) for k, v in inputs.items()}


def vector_yaml(op: str, params: dict, inputs: dict, note: str) -> str:
    """A complete vector file for one example, expectations from the reference, ready to paste."""
    cpu_params, cpu_inputs = on_device(params, inputs, "cpu")
    case = golden_cases.Case(op=op, params=cpu_params, inputs=cpu_inputs, clauses=MAIN_CLAUSES[op], comment=note)
    return generate.dump(generate.build(op, [case], strict=False))


class PropertyFailedError(AssertionError):
    """A property failure whose message (with the example as a vector) is built only when shown.

    Hypothesis raises it for every failing example while it shrinks; only the last, smallest one is shown.
    ``kind`` is the kind of check that failed (``conformance.checks``), which decides the clauses it names.
    The plugin writes the example to a file (``written_to``) before pytest shows the failure; the message
    then gives that file and the exact command that reruns it.
    """

    def __init__(
        self, context: Context, op: str, params: dict, inputs: dict, problem: str, test: str, kind: str = "value"
    ) -> None:
        super().__init__(problem)
        self.kind = kind
        self.details = (context, op, params, inputs, problem, test)
        self.written_to: str | None = None
        self._document: str | None = None

    def document(self) -> str:
        """The shrunk example as a complete vector file, expectations from the reference."""
        if self._document is None:
            _, op, params, inputs, problem, test = self.details
            note = f"counterexample from {test}: {problem.splitlines()[0]}"
            self._document = vector_yaml(op, params, inputs, note)
        return self._document

    def case_id(self) -> str:
        return next(line.split()[-1] for line in self.document().splitlines() if line.strip().startswith("- id: "))

    def rerun(self, path: str, device: str) -> str:
        context = self.details[0]
        return context.rerun_command("--device", device, "--vectors", path, "-k", self.case_id())

    def __str__(self) -> str:
        context, problem = self.details[0], self.details[4]
        if self.written_to:
            return f"{problem}\n\ncounterexample (a vector file): {self.written_to}"
        return (
            f"{problem}\n\n"
            f"--- the shrunk example as a vector (save as failing.yaml) ---\n{self.document()}"
            f"--- rerun it ---\n{context.rerun_command('--vectors', 'failing.yaml', '-k', 'test_vector')}\n"
        )


def fail(context: Context, op: str, params: dict, inputs: dict, problem: str, test: str, kind: str = "value") -> None:
    """Raise with the problem, the example as a YAML vector, and a command that reruns it."""
    mark(context, kind, "fail")
    raise PropertyFailedError(context, op, params, inputs, problem, test, kind)


def mark(context: Context, kind: str, status: str = "pass") -> None:
    """Note that a check of ``kind`` ran in this test (a failure sticks)."""
    state = context.current
    if state is not None and state.checked.get(kind) != "fail":
        state.checked[kind] = status


def input_infos(inputs: dict) -> dict[str, InputInfo]:
    return {name: InputInfo(tuple(t.shape), DTYPE_NAMES.get(t.dtype, str(t.dtype))) for name, t in inputs.items()}


DECLINE_STREAK = 6  # declined draws in a row, with none accepted yet, after which a property test skips


def admit(context: Context, op: str, params: dict, inputs: dict, device: str) -> None:
    """Go on only with a case the backend accepts: a declined Hypothesis draw is rejected (another is drawn);
    a test whose first draws are all declined skips, so it never passes on nothing.
    """
    from hypothesis import currently_in_test_context, reject

    record = inputs[OPS[op].differentiable]
    dtype = DTYPE_NAMES.get(record.dtype, str(record.dtype))
    reason = context.backend.unsupported(op, params, device, dtype, inputs=input_infos(inputs))
    state = context.current
    if reason is None:
        if state is not None:
            state.accepted += 1
        return
    if state is not None:
        state.declined[reason] += 1
    in_hypothesis = currently_in_test_context()
    if not in_hypothesis or state is None or (state.accepted == 0 and sum(state.declined.values()) >= DECLINE_STREAK):
        pytest.skip(f"declined: {reason}")
    reject()


def call(context: Context, op: str, params: dict, inputs: dict, device: str, cotangent=None) -> Outcome:
    """One sandboxed call of the backend on ``device`` (inputs travel as CPU tensors), if it accepts the case."""
    params, inputs = on_device(params, inputs, "cpu")
    admit(context, op, params, inputs, device)
    return context.backend.call(op, params, inputs, None if cotangent is None else cotangent.cpu(), device)


def run(context: Context, op: str, params: dict, inputs: dict, device: str, test: str, cotangent=None) -> Result:
    """The backend's result, or a :class:`PropertyFailedError` describing what went wrong."""
    return verified(context, op, params, inputs, device, test, call(context, op, params, inputs, device, cotangent))


def verified(context: Context, op: str, params: dict, inputs: dict, device: str, test: str, outcome) -> Result:
    """The result of a call that completed, returned plain tensors and left its inputs alone; else fail."""
    if isinstance(outcome.error, CallFailedError):
        fail(context, op, params, inputs, f"{op}: the call failed: {outcome.error}", test)
    if outcome.error is not None:
        name = getattr(outcome.error, "type_name", type(outcome.error).__name__)
        fail(context, op, params, inputs, f"{op} raised {name}: {outcome.error}\n{outcome.trace}", test)
    if outcome.mutated and not _legacy_mutation(context, op, params, inputs, outcome.mutated):
        problem = f"{op} modified its input(s) {list(outcome.mutated)} in place (SHARED-8)"
        fail(context, op, params, inputs, problem, test, "mutation")
    mark(context, "mutation")
    if outcome.kernel_ran is False:
        fail(context, op, params, inputs, "the kernel-call counter did not move: the backend fell back", test, "kernel")
    for slot in ("value", "grad"):
        problem = returned_problem(slot, outcome.returned.get(slot), device)
        if problem:
            fail(context, op, params, inputs, problem, test, "device" if " on " in problem else "value")
    mark(context, "device")
    return outcome.result


def _legacy_mutation(context: Context, op: str, params: dict, inputs: dict, mutated) -> bool:
    """Whether rewriting ``targets`` in place is snnTorch 1.0.0's LB-10 on this call (negative target times).

    Under ``snntorch-1.0`` that is the profile's behaviour; under ``spec`` it is an expected failure, when the
    backend is expected to show legacy behaviour at all.
    """
    if set(mutated) != {"targets"} or not (context.profile == "snntorch-1.0" or context.legacy_is_expected):
        return False
    with legacy.recording() as noted:
        reference_result(context, op, params, inputs, None, "snntorch-1.0")
    if "LB-10" not in noted:
        return False
    if context.profile != "snntorch-1.0":
        xfail_legacy(context, ["LB-10"])
    return True


def reference_result(
    context: Context, op: str, params: dict, inputs: dict, cotangent, profile: str | None = None
) -> Result | Exception:
    """The reference's result on CPU (of ``profile``, default the one properties compare against)."""
    module = PROFILE_REFERENCES[profile] if profile else context.property_reference
    backend = TorchModuleBackend(module, name="reference")
    params, inputs = on_device(params, inputs, "cpu")
    try:
        return backend.run(op, params, {k: v.clone() for k, v in inputs.items()}, cotangent)
    except Exception as error:  # the reference rejects this input; the backend must too
        return error


def legacy_explanation(
    context: Context, op: str, params: dict, inputs: dict, cotangent, got: Result | BaseException
) -> list[str]:
    """Under ``spec``: the LB ids that explain ``got`` (a result, or the error the backend raised),
    if it is what snnTorch 1.0.0 does on this input; else ``[]``.
    """
    if not context.legacy_is_expected or context.property_profile != "spec":
        return []
    with legacy.recording() as noted:
        ref = reference_result(context, op, params, inputs, cotangent, "snntorch-1.0")
    if not noted:
        return []
    if isinstance(got, BaseException) or isinstance(ref, Exception):
        same_error = isinstance(got, BaseException) and isinstance(ref, Exception)
        return sorted(noted) if same_error and getattr(got, "is_a", lambda _: False)(type(ref).__name__) else []
    if close_problem("value", got.value, ref.value) is not None:
        return []
    comparable_grads = cotangent is not None and ref.grad is not None and got.grad is not None
    if comparable_grads and close_problem("gradient", got.grad, ref.grad) is not None:
        return []
    return sorted(noted)


def xfail_legacy(context: Context, explained: list[str]) -> None:
    """End the test as an expected failure attributed to legacy behaviours (one raise site for Hypothesis)."""
    from ..plugin import record_legacy

    record_legacy(context.current.item, explained)
    pytest.xfail(f"legacy behaviour {', '.join(explained)}: matches snnTorch 1.0.0, not the spec")


def close_problem(label: str, got: torch.Tensor, want: torch.Tensor, tolerance: dict | None = None) -> str | None:
    return compare_with(label, got.detach().cpu(), want.detach().cpu(), tolerance)


def problem_kind(problem: str, default: str = "value") -> str:
    """The kind of check a :func:`compare_tensor` message reports."""
    if ": dtype " in problem.split("\n")[0]:
        return "dtype"
    if ": shape " in problem.split("\n")[0]:
        return "shape"
    return default


def assert_close(
    context,
    op,
    params,
    inputs,
    label: str,
    got: torch.Tensor,
    want: torch.Tensor,
    test: str,
    tolerance: dict | None = None,
    kind: str = "value",
) -> None:
    """Fail unless ``got`` matches ``want``: dtype, shape and values (a ``kind`` check; dtype and shape have theirs)."""
    problem = close_problem(label, got, want, tolerance)
    if problem:
        fail(context, op, params, inputs, problem, test, problem_kind(problem, kind))
    for passed in ("dtype", "shape", kind):
        mark(context, passed)


def cotangent_like(value: torch.Tensor) -> torch.Tensor:
    generator = torch.Generator().manual_seed(value.numel())
    return (torch.randint(-16, 17, tuple(value.shape), generator=generator) / 8).to(value.dtype)


def differentiated(op: str) -> str:
    return OPS[op].differentiable
