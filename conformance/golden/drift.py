"""The drift check: regenerate every vector in memory and compare it with the committed files.

A case drifts when it was added or removed, when its metadata (clauses, legacy ids,
flags, comment) changed, or when an expectation changed: outcome kind, error class,
shape, dtype, or a value or gradient beyond the case's tolerance.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..tensors import decode
from ..vocabulary import PROFILES
from . import cases as golden_cases
from .compare import difference, largest_error, tolerance_for
from .generate import VECTOR_DIR, build
from .load import VectorFileError, expectation_for, iter_cases, load

METADATA = ("comment", "clauses", "legacy", "flags")


@dataclass(frozen=True)
class Change:
    file: str
    case: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.case}: {self.reason}"


def _tensor_difference(label: str, old: dict, new: dict, tolerance: dict | None) -> str | None:
    problem = difference(label, decode(new), decode(old), tolerance)
    if problem is None:
        return None
    if problem.kind != "value":
        return f"{label}: {old['dtype']}{old['shape']} became {new['dtype']}{new['shape']}"
    worst = largest_error(decode(new), decode(old))
    tol = tolerance_for(old["dtype"], tolerance)
    return f"{label}: changed by up to {worst:.3g} (rtol {tol['rtol']}, atol {tol['atol']})"


def _outcome_differences(profile: str, old: dict | None, new: dict | None, tolerance: dict | None) -> list[str]:
    if old is None or new is None:
        return [] if old is new else [f"{profile}: expectation {'added' if old is None else 'removed'}"]
    scalar_keys = ("result", "error", "when", "mentions", "may_modify")
    changed = [
        f"{profile}: {key} {old.get(key)!r} became {new.get(key)!r}"
        for key in scalar_keys
        if old.get(key) != new.get(key)
    ]
    if changed or old["result"] != "valid":
        return changed
    found = [_tensor_difference(f"{profile} value", old["value"], new["value"], tolerance)]
    old_grad, new_grad = old.get("grad"), new.get("grad")
    if (old_grad is None) != (new_grad is None):
        found.append(f"{profile}: gradient {'added' if old_grad is None else 'removed'}")
    elif old_grad is not None:
        if set(old_grad) != set(new_grad):
            found.append(f"{profile}: gradient inputs {sorted(old_grad)} became {sorted(new_grad)}")
        else:
            found += [
                _tensor_difference(f"{profile} {name}", old_grad[name], new_grad[name], tolerance) for name in old_grad
            ]
    return [item for item in found if item]


PROVENANCE = {"generator"}  # who generated the file (torch, numpy, python versions) may differ between machines


def _canonical(document: dict) -> str:
    """The document without provenance, as text that compares NaN equal to NaN."""
    return json.dumps({k: v for k, v in document.items() if k not in PROVENANCE}, sort_keys=True)


def compare(file: str, committed: dict, fresh: dict) -> list[Change]:
    """Every difference between a committed document and its regeneration: header, tolerances, cases, values."""
    changes = [
        Change(file, "(header)", f"{key} {committed.get(key)!r} became {fresh.get(key)!r}")
        for key in sorted((set(committed) | set(fresh)) - PROVENANCE - {"groups"})
        if json.dumps(committed.get(key), sort_keys=True) != json.dumps(fresh.get(key), sort_keys=True)
    ]
    changes += _case_changes(file, committed, fresh)
    if not changes and _canonical(committed) != _canonical(fresh):
        changes.append(Change(file, "*", "the document differs from its regeneration (group parameters or layout)"))
    return changes


def _case_changes(file: str, committed: dict, fresh: dict) -> list[Change]:
    old = {case["id"]: case for _, case in iter_cases(committed)}
    new = {case["id"]: case for _, case in iter_cases(fresh)}
    changes = [Change(file, i, "removed from the regenerated vectors") for i in sorted(old.keys() - new.keys())]
    changes += [Change(file, i, "new in the regenerated vectors") for i in sorted(new.keys() - old.keys())]
    for identifier in sorted(old.keys() & new.keys()):
        a, b = old[identifier], new[identifier]
        reasons = [f"{key} {a.get(key)!r} became {b.get(key)!r}" for key in METADATA if a.get(key) != b.get(key)]
        tolerance = b.get("tolerance")
        if a.get("tolerance") != tolerance:
            reasons.append(f"tolerance {a.get('tolerance')!r} became {tolerance!r}")
        for profile in PROFILES:
            reasons += _outcome_differences(
                profile, expectation_for(a["expected"], profile), expectation_for(b["expected"], profile), tolerance
            )
        changes += [Change(file, identifier, reason) for reason in reasons]
    return changes


def check(directory: Path = VECTOR_DIR) -> list[Change]:
    """Every drifted case of every op, with the reason."""
    changes = []
    for op in golden_cases.ALL:
        path = directory / f"{op}.yaml"
        if not path.exists():
            changes.append(Change(str(path), "*", "file missing"))
            continue
        try:
            committed = load(path)
        except VectorFileError as error:
            changes.append(Change(str(path), error.case or "*", error.message))
            continue
        changes += compare(str(path), committed, build(op))
    return changes
