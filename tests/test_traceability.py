"""The registry's rules hold for this checkout, each rule catches what it is for, and the docs page is complete."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from conformance.clauses import registry

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))  # the rules are dev tooling

from traceability import (
    Layout,
    page,
    problems,
    source_page,
    traces,
    unchecked_clauses,
    unimplemented_clauses,
    unknown_ids,
    unnamed_legacy_behaviours,
)

ROOT = Path(__file__).resolve().parents[1]
CHECKOUT = Layout(ROOT)  # this checkout, whichever copy of the package is imported
# Made-up ids and a range, built from parts so that this file does not name them itself.
MADE_UP, UNKNOWN_FAMILY, MADE_UP_IN_CODE, NEW = (
    "CE-RATE-" + "9",
    "NOT-A-FAMILY-" + "1",
    "TMP-CE-" + "7",
    "SHARED-" + "14",
)
RANGE = "MSE-COUNT-1" + "..3"


def test_this_checkout_keeps_every_rule() -> None:
    assert problems(CHECKOUT) == []


@pytest.fixture
def scratch(tmp_path: Path) -> Layout:
    """A copy of the spec, the reference and one small test file: a checkout to break on purpose."""
    shutil.copytree(ROOT / "docs" / "spec", tmp_path / "docs" / "spec")
    shutil.copytree(ROOT / "reference", tmp_path / "reference", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "vectors").mkdir()
    (tmp_path / "tests").mkdir()
    return Layout(tmp_path)


def test_a_made_up_clause_id_in_a_test_fails(scratch: Layout) -> None:
    (scratch.root / "tests" / "test_made_up.py").write_text(
        "import pytest\n\n\n"
        f'@pytest.mark.clause("{MADE_UP}")\ndef test_a():\n    pass\n\n\n'
        f'@pytest.mark.clause("{UNKNOWN_FAMILY}")\ndef test_b():\n    pass\n'
    )
    found = unknown_ids(scratch)
    assert any(line.startswith(f"{MADE_UP} ") and "tests/test_made_up.py" in line for line in found), found
    assert any(line.startswith(f"{UNKNOWN_FAMILY} ") for line in found), found


def test_a_made_up_id_in_code_fails(scratch: Layout) -> None:
    (scratch.root / "reference" / "extra.py").write_text(f'def f():\n    """{MADE_UP_IN_CODE}: no such clause."""\n')
    assert any(
        line.startswith(f"{MADE_UP_IN_CODE} ") and "reference/extra.py:2" in line for line in unknown_ids(scratch)
    )


def test_a_clause_without_a_function_fails(scratch: Layout) -> None:
    membrane = scratch.reference / "membrane.py"
    membrane.write_text(membrane.read_text().replace("CE-MAX-3", "the unreduced shape"))
    found = unimplemented_clauses(scratch)
    assert found == ["CE-MAX-3 (membrane.md) has no implementing function: no docstring in reference/ cites it"]


def test_a_clause_cited_only_by_compat_has_no_function(scratch: Layout) -> None:
    temporal = scratch.reference / "temporal.py"
    temporal.write_text(temporal.read_text().replace("TMP-CE-3", "the inverse rule"))
    assert "compat" in (scratch.compat / "__init__.py").read_text()
    assert [line.split()[0] for line in unimplemented_clauses(scratch)] == ["TMP-CE-3"]


def test_an_lb_without_a_named_function_fails(scratch: Layout) -> None:
    legacy = scratch.compat / "legacy.py"
    legacy.write_text(legacy.read_text().replace("def lb17_upstream_error", "def upstream_error"))
    assert unnamed_legacy_behaviours(scratch) == [
        "LB-17 has no named function in reference/compat/ (expected a function lb17_...)"
    ]


def test_a_clause_without_vector_or_test_fails(scratch: Layout) -> None:
    shared = scratch.spec / "shared.md"
    shared.write_text(shared.read_text() + f"\n**[{NEW}]** *A new rule.* Nothing checks it yet.\n")
    (scratch.root / "tests" / "test_some.py").write_text(
        'import pytest\n\n\n@pytest.mark.clause("SHARED-1")\ndef test_a():\n    pass\n'
    )
    unchecked = unchecked_clauses(scratch)
    assert f"{NEW} (shared.md) has no vector and no test" in unchecked
    assert not any(line.startswith("SHARED-1 ") for line in unchecked)


def test_a_range_fails(scratch: Layout) -> None:
    (scratch.reference / "extra.py").write_text(f'def f():\n    """{RANGE}: a range."""\n')
    assert any(f"{RANGE!r}" in line for line in problems(scratch))


def test_every_clause_traces_to_code_and_to_a_vector_or_test() -> None:
    for trace in traces(CHECKOUT):
        assert trace.code, f"{trace.clause.id}: no code"
        assert trace.vectors or trace.tests, f"{trace.clause.id}: nothing checks it"


def test_the_page_has_an_anchor_and_a_spec_link_for_every_clause() -> None:
    text = page(CHECKOUT)
    for clause in registry(CHECKOUT.spec).values():
        assert f'id="{clause.id}"' in text, clause.id
        assert f'href="../spec/{clause.page}.html#{clause.id}"' in text, clause.id


def test_every_code_link_of_the_page_has_its_anchor_on_the_source_page() -> None:
    targets = set(re.findall(r'href="source\.html#([^"]+)"', page(CHECKOUT)))
    anchors = set(re.findall(r'<p class="source-head" id="([^"]+)"', source_page(CHECKOUT)))
    assert targets and targets <= anchors, sorted(targets - anchors)
    assert "reference.rate.mse_count_loss" in anchors and "reference.compat.legacy.lb1_clamped_class_targets" in anchors
