"""Run one call of a backend and judge it against an expectation.

A verdict is ``pass``, ``fail`` (with a message that shows the case), or
``legacy`` (under ``spec``, the backend reproduced snnTorch 1.0.0's documented
legacy behaviour instead: an expected failure attributed to the LB ids).
"""

from __future__ import annotations

import torch

from .checks import Problem
from .golden.vocabulary import DEFAULT_TOLERANCE
from .sandbox import BackendRaisedError, CallFailedError, Outcome, Returned
from .tensors import DTYPE_NAMES, decode

__all__ = ["Outcome", "compare_tensor", "judge", "returned_problem"]


def tolerance_for(dtype_name: str, override: dict | None) -> dict:
    return override or DEFAULT_TOLERANCE.get(dtype_name, {"rtol": 0.0, "atol": 0.0})


def compare_tensor(label: str, got: torch.Tensor, expected: dict, override: dict | None) -> str | None:
    """Why ``got`` does not match the encoded ``expected`` tensor, or ``None``."""
    return compare_with(label, got, decode(expected), override)


def compare_with(label: str, got: torch.Tensor, want: torch.Tensor, override: dict | None = None) -> str | None:
    """Why ``got`` does not match ``want`` (dtype, shape, then values within the dtype's tolerance), or ``None``.

    A value mismatch is summarised, whatever the size: how many elements differ, the worst
    five with their indices, and the largest absolute and relative errors.
    """
    got_dtype, want_dtype = (DTYPE_NAMES.get(t.dtype, str(t.dtype)) for t in (got, want))
    if got_dtype != want_dtype:
        return f"{label}: dtype {got_dtype}, expected {want_dtype}"
    if got.shape != want.shape:
        return f"{label}: shape {list(got.shape)}, expected {list(want.shape)}"
    a, b = got.detach().cpu().double(), want.detach().cpu().double()
    bad = torch.isfinite(b) & ~torch.isfinite(a)
    if bool(bad.any()):
        index = tuple(int(i) for i in bad.nonzero()[0])
        return f"{label}: non-finite {a[index].item()} at index {list(index)} where the spec expects {b[index].item()}"
    tol = tolerance_for(want_dtype, override)
    close = torch.isclose(a, b, rtol=tol["rtol"], atol=tol["atol"], equal_nan=True)
    if bool(close.all()):
        return None
    return _mismatch_summary(label, a, b, ~close, tol, want_dtype)


def _mismatch_summary(label: str, a: torch.Tensor, b: torch.Tensor, wrong: torch.Tensor, tol: dict, dtype: str) -> str:
    diff = (a - b).abs().nan_to_num(nan=float("inf"))
    relative = (diff / b.abs()).nan_to_num(nan=0.0, posinf=float("inf"))  # inf where the expected value is 0
    flat = torch.where(wrong.reshape(-1), diff.reshape(-1), torch.full_like(diff.reshape(-1), -1.0))
    worst = torch.topk(flat, min(5, int(wrong.sum()))).indices
    rows = []
    for position in worst.tolist():
        index = [int(i) for i in torch.unravel_index(torch.tensor(position), a.shape)] if a.dim() else []
        rows.append(
            f"    at {index}: got {a.reshape(-1)[position].item()!r}, expected {b.reshape(-1)[position].item()!r}"
        )
    return "\n".join(
        [
            f"{label}: {int(wrong.sum())} of {wrong.numel()} elements differ (shape {list(a.shape)}, {dtype}); "
            f"max abs error {diff[wrong].max().item():.6g}, max rel error {relative[wrong].max().item():.6g} "
            f"(rtol {tol['rtol']}, atol {tol['atol']}); worst:",
            *rows,
        ]
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
    conventions: bool = False,
) -> tuple[list[Problem], set[str]]:
    """Every way ``outcome`` misses ``expectation`` (empty when it conforms), and the kinds of check that ran.

    ``conventions``: where the expectation is ``acceptable`` and the spec gives a value, also
    accept that value in the ``snntorch-1.0`` profile's conventions (shape ``[1]`` for ``[]``
    per LB-3, float32 per LB-2).
    """
    problems, ran = [], {"mutation"}
    allowed = set(expectation.get("may_modify", ()))
    if outcome.mutated and not set(outcome.mutated) <= allowed:
        modified = sorted(set(outcome.mutated) - allowed)
        problems.append(Problem("mutation", f"the call modified its input(s) {modified} in place (SHARED-8)"))
    if outcome.kernel_ran is not None:
        ran.add("kernel")
    if outcome.kernel_ran is False:
        message = "the backend's kernel-call counter did not move: it fell back to another implementation"
        problems.append(Problem("kernel", message))
    kind = expectation["result"]
    if isinstance(outcome.error, CallFailedError):  # a crash, exit or hang is never an acceptable outcome
        return [*problems, Problem("error" if kind == "invalid" else "value", f"the call failed: {outcome.error}")], ran
    if kind == "invalid" or (kind == "acceptable" and outcome.result is not None and _spec_rejects(spec)):
        ran.add("error")
        return problems + _error_problems(outcome, spec if kind == "acceptable" else expectation), ran
    if outcome.error is not None:
        if kind == "acceptable":
            ran.add("error")
            return problems, ran
        ran.add("value")
        message = f"raised {_error_name(outcome.error)}: {outcome.error}\n{outcome.trace}"
        return [*problems, Problem("value", message)], ran
    if kind == "acceptable":  # a value is acceptable only if it is the spec's
        expectation = spec
    value_problems, value_ran = _value_problems(outcome, expectation, differentiated, tolerance, device, conventions)
    return problems + value_problems, ran | value_ran


def _spec_rejects(spec: dict | None) -> bool:
    return spec is None or spec["result"] == "invalid"


def _error_problems(outcome: Outcome, expectation: dict | None) -> list[Problem]:
    if expectation is None:
        return [Problem("error", "the call returned a value where the spec has no value for this case")]
    if outcome.error is None:
        message = f"expected {expectation['error']} ({expectation['when']}), but the call returned a value"
        return [Problem("error", message)]
    if not _is_instance_named(outcome.error, expectation["error"]):
        message = f"expected {expectation['error']}, got {_error_name(outcome.error)}: {outcome.error}"
        return [Problem("error", message)]
    if expectation["mentions"] not in str(outcome.error):
        message = f"the error message does not name the argument {expectation['mentions']!r}: {outcome.error}"
        return [Problem("error", message)]
    return []


def _value_problems(
    outcome: Outcome, expectation: dict, differentiated: str, tolerance, device, conventions: bool
) -> tuple[list[Problem], set[str]]:
    result = outcome.result
    form = returned_problem("value", outcome.returned.get("value"), device)
    if form or result.value is None:
        return [Problem("value", form or "value: the backend returned no tensor")], {"value"}
    problems = []
    if device is not None and outcome.returned.get("value") is not None:
        ran = {"value", "dtype", "shape", "device"}
    else:
        ran = {"value", "dtype", "shape"}
    value_problem = _compare_value(result.value, expectation["value"], tolerance, conventions)
    if value_problem:
        problems.append(value_problem)
    grad = expectation.get("grad")
    if grad is None or (result.grad is None and outcome.returned.get("grad") is None):
        return problems, ran
    ran.add("gradient")
    label = f"gradient wrt {differentiated}"
    form = returned_problem(label, outcome.returned.get("grad"), device)
    problem = form or compare_tensor(label, result.grad, grad[differentiated], tolerance)
    if problem:
        problems.append(Problem("gradient", problem))
    return problems, ran


def _compare_value(got, expected: dict, tolerance, conventions: bool) -> Problem | None:
    problem = compare_tensor("value", got, expected, tolerance)
    if problem is None:
        return None
    if conventions:
        for variant in _legacy_conventions(expected):
            same_dtype = variant["dtype"] == expected["dtype"]
            if compare_tensor("value", got, variant, tolerance if same_dtype else None) is None:
                return None
    kind = "dtype" if problem.startswith("value: dtype") else "shape" if problem.startswith("value: shape") else "value"
    return Problem(kind, problem)


def _legacy_conventions(expected: dict) -> list[dict]:
    """The spec's value as the ``snntorch-1.0`` profile would shape and type it (LB-3, LB-2)."""
    shapes = [expected["shape"]] + ([[1]] if expected["shape"] == [] else [])
    dtypes = [expected["dtype"]] + (["float32"] if expected["dtype"] != "float32" else [])
    return [{**expected, "shape": shape, "dtype": dtype} for shape in shapes for dtype in dtypes][1:]
