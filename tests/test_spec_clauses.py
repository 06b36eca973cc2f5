"""Every clause of docs/spec has a check, and every clause a test names exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance.clauses import definitions

ROOT = Path(__file__).resolve().parents[1]
CLAUSE_MARKER = re.compile(r"clause\(([^)]*)\)")
CLAUSE_ID = re.compile(r"\"([A-Z]+(?:-[A-Z]+)*-\d+)\"")


def clauses_defined_in_spec() -> list[str]:
    return [clause for clause, _, _ in definitions(ROOT / "docs" / "spec")]


def clauses_named_by_tests() -> set[str]:
    found = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        for marker in CLAUSE_MARKER.findall(path.read_text()):
            found.update(CLAUSE_ID.findall(marker))
    return found


@pytest.mark.clause("SHARED-12")
def test_clause_ids_are_unique() -> None:
    ids = clauses_defined_in_spec()
    assert len(ids) > 40
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_every_clause_has_a_test() -> None:
    missing = sorted(set(clauses_defined_in_spec()) - clauses_named_by_tests())
    assert not missing, f"clauses without a test: {missing}"


def test_tests_name_only_existing_clauses() -> None:
    unknown = sorted(clauses_named_by_tests() - set(clauses_defined_in_spec()))
    assert not unknown, f"tests name clauses that docs/spec does not define: {unknown}"
