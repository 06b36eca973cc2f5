"""Which clauses each kind of check verifies, so that a failure names only the clauses it violated.

A test runs several checks on one call: the error it should raise, the value's
dtype, shape and numbers, the gradient, the device, mutation, the kernel counter.
Each clause belongs to one kind; a test's clauses are credited (or blamed) by the
outcome of the check of their kind, and a clause whose check did not run is a skip.
"""

from __future__ import annotations

from dataclasses import dataclass

CLAUSE_KIND = {
    "SHARED-6": "dtype",
    "SHARED-7": "device",
    "SHARED-8": "mutation",
    "SHARED-5": "shape",
    "CE-RATE-3": "shape",
    "CE-COUNT-3": "shape",
    "CE-MAX-3": "shape",
    "MSE-COUNT-4": "shape",
    "MSE-MEM-4": "shape",
    "TMP-MSE-3": "shape",
    "SHARED-13": "gradient",
    "CE-MAX-2": "gradient",
    "ST-FIRST-2": "gradient",
    "ST-MULTI-2": "gradient",
    "ST-TOL-2": "gradient",
    "SHARED-12": "error",
}


def kind_of(clause: str) -> str:
    """The kind of check that verifies ``clause`` (``value`` unless listed; LB ids are judged as values)."""
    return CLAUSE_KIND.get(clause, "value")


@dataclass(frozen=True)
class Problem:
    """One failed check: its kind and what went wrong."""

    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


def statuses(checked: dict[str, str], clauses: list[str], expects_error: bool = False) -> dict[str, str]:
    """Each clause's status from the checks that ran (``pass``/``fail``); ``skip`` where its check did not run.

    Where the case expects an error, the error check verifies the value clauses too
    (they state what is rejected).
    """
    result = {}
    for clause in clauses:
        kind = kind_of(clause)
        if kind == "value" and (expects_error or "value" not in checked):
            kind = "error"  # where the call is to raise, the error check is what verifies the clause
        result[clause] = checked.get(kind, "skip")
    return result


def checked_from(problems: list[Problem], ran: set[str]) -> dict[str, str]:
    """``{kind: pass|fail}`` for every kind of check that ran."""
    failed = {p.kind for p in problems}
    return {kind: ("fail" if kind in failed else "pass") for kind in ran | failed}
