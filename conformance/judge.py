"""Run one call of a backend and judge it against an expectation.

A verdict is ``pass``, ``fail`` (with a message that shows the case), or
``legacy`` (under ``spec``, the backend reproduced snnTorch 1.0.0's documented
legacy behaviour instead: an expected failure attributed to the LB ids).
"""

from __future__ import annotations

import torch

from .golden.vocabulary import DEFAULT_TOLERANCE
from .sandbox import BackendRaisedError, CallFailedError, Outcome, Returned
from .tensors import DTYPE_NAMES, decode

__all__ = ["Outcome", "compare_tensor", "judge", "returned_problem"]


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
    if isinstance(error, BackendRaisedError):
        return error.is_a(class_name)
    return any(cls.__name__ == class_name for cls in type(error).__mro__)


def _error_name(error: BaseException) -> str:
    return error.type_name if isinstance(error, BackendRaisedError) else type(error).__name__


def returned_problem(label: str, returned: Returned | None, device: str | None) -> str | None:
    """Why what the backend returned in one slot is not a plain ``torch.Tensor`` on ``device``, or ``None``."""
    if returned is None:
        return None
    if not returned.is_tensor:
        return f"{label}: the backend returned {returned.describe()}, not a torch.Tensor (SHARED-1)"
    if not returned.exact_tensor:
        return f"{label}: the backend returned {returned.describe()}, a subclass; only torch.Tensor itself is accepted"
    if returned.problem:
        return f"{label}: {returned.problem}"
    if device is not None and returned.device is not None and not _same_device(returned.device, device):
        return f"{label}: on {returned.device}, expected on {device} (the device of the inputs)"
    return None


def _same_device(got: str, wanted: str) -> bool:
    """``cuda:0`` is on ``cuda``; ``cuda:1`` is not on ``cuda:0``."""
    a, b = torch.device(got), torch.device(wanted)
    return a.type == b.type and (b.index is None or a.index == b.index)


def judge(
    outcome: Outcome,
    expectation: dict,
    differentiated: str,
    tolerance: dict | None,
    spec: dict | None,
    device: str | None = None,
) -> list[str]:
    """Every way ``outcome`` misses ``expectation``; empty when it conforms."""
    problems = []
    allowed = set(expectation.get("may_modify", ()))
    if outcome.mutated and not set(outcome.mutated) <= allowed:
        problems.append(f"the call modified its input(s) {sorted(set(outcome.mutated) - allowed)} in place (SHARED-8)")
    if outcome.kernel_ran is False:
        problems.append("the backend's kernel-call counter did not move: it fell back to another implementation")
    kind = expectation["result"]
    if isinstance(outcome.error, CallFailedError):  # a crash, exit or hang is never an acceptable outcome
        return [*problems, f"the call failed: {outcome.error}"]
    if kind == "invalid":
        if outcome.error is None:
            problems.append(f"expected {expectation['error']} ({expectation['when']}), but the call returned a value")
        elif not _is_instance_named(outcome.error, expectation["error"]):
            problems.append(f"expected {expectation['error']}, got {_error_name(outcome.error)}: {outcome.error}")
        elif expectation["mentions"] not in str(outcome.error):
            problems.append(
                f"the error message does not name the argument {expectation['mentions']!r}: {outcome.error}"
            )
        return problems
    if outcome.error is not None:
        if kind == "acceptable":
            return problems
        return [*problems, f"raised {_error_name(outcome.error)}: {outcome.error}\n{outcome.trace}"]
    if kind == "acceptable":  # a value is acceptable only if it is the spec's
        if spec is None or spec["result"] != "valid":
            return problems
        expectation = spec
    result = outcome.result
    form = returned_problem("value", outcome.returned.get("value"), device)
    if form or result.value is None:
        return [*problems, form or "value: the backend returned no tensor"]
    problems += [p for p in [compare_tensor("value", result.value, expectation["value"], tolerance)] if p]
    grad = expectation.get("grad")
    form = returned_problem(f"gradient wrt {differentiated}", outcome.returned.get("grad"), device)
    if grad is not None and form:
        problems.append(form)
    elif grad is not None and result.grad is not None:
        problem = compare_tensor(f"gradient wrt {differentiated}", result.grad, grad[differentiated], tolerance)
        problems += [problem] if problem else []
    return problems
