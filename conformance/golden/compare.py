"""The one tolerance comparison: a tensor against an expected tensor, dtype, shape, then values.

The judge, the drift check and the vector generator all compare with :func:`difference`.
It returns a typed :class:`~conformance.judging.attribution.Problem` (kind ``dtype``, ``shape`` or
``value``) or ``None``; callers never read the message to learn what went wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..tensors import DTYPE_NAMES, decode
from ..vocabulary import DEFAULT_TOLERANCE


@dataclass(frozen=True)
class Problem:
    """One failed check: its kind (one of :data:`conformance.judging.attribution.KINDS`) and what went wrong."""

    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


def tolerance_for(dtype_name: str, override: dict | None = None) -> dict:
    """The case's own tolerance, else the default of the expected dtype (exact for dtypes without one)."""
    return override or DEFAULT_TOLERANCE.get(dtype_name, {"rtol": 0.0, "atol": 0.0})


def dtype_name(tensor: torch.Tensor) -> str:
    return DTYPE_NAMES.get(tensor.dtype, str(tensor.dtype).removeprefix("torch."))


def difference(label: str, got: torch.Tensor, want: torch.Tensor | dict, tolerance: dict | None = None):
    """Why ``got`` does not match ``want`` (a tensor, or an encoded tensor mapping), or ``None``.

    NaN matches NaN. A value mismatch is summarised whatever the size: how many elements differ,
    the worst five with their indices, the largest absolute and relative errors.
    """
    if isinstance(want, dict):
        want = decode(want)
    got_dtype, want_dtype = dtype_name(got), dtype_name(want)
    if got_dtype != want_dtype:
        return Problem("dtype", f"{label}: dtype {got_dtype}, expected {want_dtype}")
    if got.shape != want.shape:
        return Problem("shape", f"{label}: shape {list(got.shape)}, expected {list(want.shape)}")
    a, b = got.detach().cpu().double(), want.detach().cpu().double()
    bad = torch.isfinite(b) & ~torch.isfinite(a)
    if bool(bad.any()):
        index = tuple(int(i) for i in bad.nonzero()[0])
        message = (
            f"{label}: non-finite {a[index].item()} at index {list(index)} where the spec expects {b[index].item()}"
        )
        return Problem("value", message)
    tol = tolerance_for(want_dtype, tolerance)
    close = torch.isclose(a, b, rtol=tol["rtol"], atol=tol["atol"], equal_nan=True)
    if bool(close.all()):
        return None
    return Problem("value", _mismatch_summary(label, a, b, ~close, tol, want_dtype))


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


def largest_error(got: torch.Tensor, want: torch.Tensor) -> float:
    """The largest absolute difference (inf where only one side is NaN), 0 for empty tensors."""
    if not got.numel():
        return 0.0
    return (got.detach().cpu().double() - want.detach().cpu().double()).abs().nan_to_num(nan=float("inf")).max().item()
