"""Running a backend inside property tests, and turning a failing example into a vector."""

from __future__ import annotations

import torch

from ..backend import Result, TorchModuleBackend
from ..context import Context
from ..golden import cases as golden_cases
from ..golden import generate
from ..judge import Outcome, compare_tensor, returned_problem
from ..ops import OPS
from ..sandbox import CallFailedError
from ..tensors import encode
from .strategies import MAIN_CLAUSES


def on_device(params: dict, inputs: dict, device: str) -> tuple[dict, dict]:
    moved = {k: v.to(device) if isinstance(v, torch.Tensor) else v for k, v in params.items()}
    return moved, {k: v.to(device) for k, v in inputs.items()}


def vector_yaml(op: str, params: dict, inputs: dict, note: str) -> str:
    """A complete vector file for one example, expectations from the reference, ready to paste."""
    cpu_params, cpu_inputs = on_device(params, inputs, "cpu")
    case = golden_cases.Case(op, cpu_params, cpu_inputs, MAIN_CLAUSES[op], comment=note)
    return generate.dump(generate.build(op, [case], strict=False))


class PropertyFailedError(AssertionError):
    """A property failure whose message (with the example as a vector) is built only when shown.

    Hypothesis raises it for every failing example while it shrinks; only the last, smallest one is printed.
    """

    def __init__(self, context: Context, op: str, params: dict, inputs: dict, problem: str, test: str) -> None:
        super().__init__(problem)
        self.details = (context, op, params, inputs, problem, test)

    def __str__(self) -> str:
        context, op, params, inputs, problem, test = self.details
        document = vector_yaml(op, params, inputs, f"counterexample from {test}: {problem.splitlines()[0][:80]}")
        return (
            f"{problem}\n\n"
            f"--- the shrunk example as a vector (save as failing.yaml) ---\n{document}"
            f"--- rerun it ---\n{context.rerun_command('--vectors', 'failing.yaml', '-k', 'test_vector')}\n"
            f"--- or rerun this property ---\n{context.rerun_command('-k', test)}\n"
        )


def fail(context: Context, op: str, params: dict, inputs: dict, problem: str, test: str) -> None:
    """Raise with the problem, the example as a YAML vector, and a command that reruns it."""
    raise PropertyFailedError(context, op, params, inputs, problem, test)


def call(context: Context, op: str, params: dict, inputs: dict, device: str, cotangent=None) -> Outcome:
    """One sandboxed call of the backend on ``device`` (inputs travel as CPU tensors)."""
    params, inputs = on_device(params, inputs, "cpu")
    return context.backend.call(op, params, inputs, None if cotangent is None else cotangent.cpu(), device)


def run(context: Context, op: str, params: dict, inputs: dict, device: str, test: str, cotangent=None) -> Result:
    """The backend's result, or a :class:`PropertyFailedError` describing what went wrong."""
    outcome = call(context, op, params, inputs, device, cotangent)
    if isinstance(outcome.error, CallFailedError):
        fail(context, op, params, inputs, f"{op}: the call failed: {outcome.error}", test)
    if outcome.error is not None:
        name = getattr(outcome.error, "type_name", type(outcome.error).__name__)
        fail(context, op, params, inputs, f"{op} raised {name}: {outcome.error}\n{outcome.trace}", test)
    if outcome.mutated:
        fail(
            context, op, params, inputs, f"{op} modified its input(s) {list(outcome.mutated)} in place (SHARED-8)", test
        )
    if outcome.kernel_ran is False:
        fail(context, op, params, inputs, "the kernel-call counter did not move: the backend fell back", test)
    for slot in ("value", "grad"):
        problem = returned_problem(slot, outcome.returned.get(slot), device)
        if problem:
            fail(context, op, params, inputs, problem, test)
    return outcome.result


def reference_result(context: Context, op: str, params: dict, inputs: dict, cotangent) -> Result | Exception:
    backend = TorchModuleBackend(context.property_reference, name="reference")
    params, inputs = on_device(params, inputs, "cpu")
    try:
        return backend.run(op, params, {k: v.clone() for k, v in inputs.items()}, cotangent)
    except Exception as error:  # the reference rejects this input; the backend must too
        return error


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
) -> None:
    problem = compare_tensor(label, got.detach().cpu(), encode(want.detach().cpu()), tolerance)
    if problem:
        fail(context, op, params, inputs, problem, test)


def cotangent_like(value: torch.Tensor) -> torch.Tensor:
    generator = torch.Generator().manual_seed(value.numel())
    return (torch.randint(-16, 17, tuple(value.shape), generator=generator) / 8).to(value.dtype)


def differentiated(op: str) -> str:
    return OPS[op].differentiable
