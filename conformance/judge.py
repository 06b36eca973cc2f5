"""Run one call of a backend and judge it against an expectation.

A verdict is ``pass``, ``fail`` (with a message that shows the case), or
``legacy`` (under ``spec``, the backend reproduced snnTorch 1.0.0's documented
legacy behaviour instead: an expected failure attributed to the LB ids).
"""

from __future__ import annotations

import threading
import traceback
from dataclasses import dataclass

import torch

from .backend import Backend, Result
from .golden.vocabulary import DEFAULT_TOLERANCE
from .tensors import DTYPE_NAMES, decode


@dataclass
class Outcome:
    """What a call did: a result, or the exception it raised (with its traceback)."""

    result: Result | None = None
    error: BaseException | None = None
    trace: str = ""
    mutated: tuple[str, ...] = ()
    kernel_ran: bool | None = None


class TimeLimitError(Exception):
    pass


def call_backend(
    backend: Backend, op: str, params: dict, inputs: dict[str, torch.Tensor], cotangent, seconds: float
) -> Outcome:
    """Call the backend on its own copies of the inputs, within ``seconds``; note mutation and kernel use."""
    originals = {name: t.clone() for name, t in inputs.items()}
    given = {name: t.clone() for name, t in inputs.items()}
    outcome = Outcome()
    before = backend.kernel_calls()

    def target() -> None:
        try:
            outcome.result = backend.run(op, params, given, cotangent)
        except BaseException as error:  # the backend's failure is the outcome
            outcome.error = error
            outcome.trace = traceback.format_exc(limit=-6)

    worker = threading.Thread(target=target, daemon=True, name=f"backend-{op}")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        outcome.error = TimeLimitError(f"the backend did not return within {seconds:g} s (a hang?)")
        return outcome
    outcome.mutated = tuple(name for name, t in given.items() if not _same_tensor(t.detach(), originals[name]))
    after = backend.kernel_calls()
    if before is not None and after is not None:
        outcome.kernel_ran = after > before
    return outcome


def _same_tensor(a: torch.Tensor, b: torch.Tensor) -> bool:
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.is_floating_point():  # NaN equals NaN, and nothing else does
        return bool(torch.allclose(a, b, rtol=0.0, atol=0.0, equal_nan=True))
    return bool(torch.equal(a, b))


def tolerance_for(dtype_name: str, override: dict | None) -> dict:
    return override or DEFAULT_TOLERANCE.get(dtype_name, {"rtol": 0.0, "atol": 0.0})


def compare_tensor(label: str, got: torch.Tensor, expected: dict, override: dict | None) -> str | None:
    """Why ``got`` does not match the encoded ``expected`` tensor, or ``None``."""
    want = decode(expected)
    got_dtype = DTYPE_NAMES.get(got.dtype, str(got.dtype))
    if got_dtype != expected["dtype"]:
        return f"{label}: dtype {got_dtype}, expected {expected['dtype']}"
    if list(got.shape) != expected["shape"]:
        return f"{label}: shape {list(got.shape)}, expected {expected['shape']}"
    a, b = got.detach().cpu().double(), want.double()
    expected_finite, got_finite = torch.isfinite(b), torch.isfinite(a)
    bad = expected_finite & ~got_finite
    if bool(bad.any()):
        index = tuple(int(i) for i in bad.nonzero()[0])
        return f"{label}: non-finite {a[index].item()} at index {list(index)} where the spec expects {b[index].item()}"
    tol = tolerance_for(expected["dtype"], override)
    if torch.allclose(a, b, rtol=tol["rtol"], atol=tol["atol"], equal_nan=True):
        return None
    diff = (a - b).abs().nan_to_num(nan=float("inf"))
    index = tuple(int(i) for i in (diff == diff.max()).nonzero()[0]) if diff.numel() else ()
    return (
        f"{label}: max |difference| {diff.max().item():.6g} at index {list(index)} "
        f"(got {a[index].item()!r}, expected {b[index].item()!r}; rtol {tol['rtol']}, atol {tol['atol']})"
    )


def _is_instance_named(error: BaseException, class_name: str) -> bool:
    return any(cls.__name__ == class_name for cls in type(error).__mro__)


def judge(
    outcome: Outcome, expectation: dict, differentiated: str, tolerance: dict | None, spec: dict | None
) -> list[str]:
    """Every way ``outcome`` misses ``expectation``; empty when it conforms."""
    problems = []
    allowed = set(expectation.get("may_modify", ()))
    if outcome.mutated and not set(outcome.mutated) <= allowed:
        problems.append(f"the call modified its input(s) {sorted(set(outcome.mutated) - allowed)} in place (SHARED-8)")
    if outcome.kernel_ran is False:
        problems.append("the backend's kernel-call counter did not move: it fell back to another implementation")
    kind = expectation["result"]
    if isinstance(outcome.error, TimeLimitError):
        return [*problems, str(outcome.error)]
    if kind == "invalid":
        if outcome.error is None:
            problems.append(f"expected {expectation['error']} ({expectation['when']}), but the call returned a value")
        elif not _is_instance_named(outcome.error, expectation["error"]):
            problems.append(f"expected {expectation['error']}, got {type(outcome.error).__name__}: {outcome.error}")
        elif expectation["mentions"] not in str(outcome.error):
            problems.append(
                f"the error message does not name the argument {expectation['mentions']!r}: {outcome.error}"
            )
        return problems
    if outcome.error is not None:
        if kind == "acceptable":
            return problems
        return [*problems, f"raised {type(outcome.error).__name__}: {outcome.error}\n{outcome.trace}"]
    if kind == "acceptable":  # a value is acceptable only if it is the spec's
        if spec is None or spec["result"] != "valid":
            return problems
        expectation = spec
    result = outcome.result
    problems += [p for p in [compare_tensor("value", result.value, expectation["value"], tolerance)] if p]
    grad = expectation.get("grad")
    if grad is not None and result.grad is not None:
        problem = compare_tensor(f"gradient wrt {differentiated}", result.grad, grad[differentiated], tolerance)
        problems += [problem] if problem else []
    return problems
