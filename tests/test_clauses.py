"""The clause registry: ids from the spec text, their titles, and how ids are recognised in text."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.clauses import definitions, implementations, legacy_functions, mentioned_ids, ranges, registry

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "docs" / "spec"  # this checkout's spec, whichever copy of the package is imported


@pytest.mark.clause("SHARED-12")
def test_clause_ids_are_unique_and_each_has_a_title() -> None:
    clauses = definitions(SPEC)
    ids = [clause.id for clause in clauses]
    assert len(ids) > 60
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    untitled = [clause.id for clause in clauses if not clause.title]
    assert not untitled, f"clauses without an italic title after their id: {untitled}"


def test_a_clause_is_parsed_with_its_page_and_title(tmp_path: Path) -> None:
    (tmp_path / "demo.md").write_text(
        "# Demo\n\n**[DEMO-1]** *A short title.* The text, which\nruns on.\n\n**[LB-3]** *Legacy (Q8).* More.\n"
    )
    known = registry(tmp_path)
    assert known["DEMO-1"].page == "demo" and known["DEMO-1"].title == "A short title"
    assert known["LB-3"].is_legacy and not known["DEMO-1"].is_legacy and known["LB-3"].anchor == "LB-3"


def test_mentioned_ids_are_those_of_the_spec_families() -> None:
    unknown = "SHARED-" + "99"  # built, so that this file does not name an unknown id itself
    text = f"ST-TOL-1 and TMP-CE-2, not ISO-8859-1 or Q-1; {unknown} is of a known family; XLB-1 is not an id"
    assert mentioned_ids(text, SPEC) == {"ST-TOL-1", "TMP-CE-2", unknown}


@pytest.mark.parametrize(
    "first, rest",  # split, so that this file does not write a range itself
    [("MSE-COUNT-1", "..3"), ("ST-FIRST-1", "/2"), ("SHARED-3", "\u20135"), ("LB-1", "..LB-18")],
)
def test_ranges_are_found(first: str, rest: str) -> None:
    assert ranges(f"see {first}{rest}.") == [first + rest]


def test_ids_written_in_full_are_not_ranges() -> None:
    assert ranges("LB-5/LB-6 and SHARED-3, SHARED-4") == []


def test_implementations_are_read_from_docstrings_without_importing(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text(
        'import does_not_exist\n\ndef f():\n    """CE-RATE-1, SHARED-4: text."""\n\n'
        'class C:\n    """No id."""\n\n    def m(self):\n        """ST-1."""\n'
    )
    found = {(i.qualname, i.ids) for i in implementations(tmp_path, SPEC)}
    assert found == {("f", ("CE-RATE-1", "SHARED-4")), ("C.m", ("ST-1",))}


def test_legacy_functions_are_those_named_after_an_lb() -> None:
    named = legacy_functions(ROOT / "reference" / "compat")
    assert "lb1_clamped_class_targets" in named["LB-1"] and "lb17_upstream_error" in named["LB-17"]
