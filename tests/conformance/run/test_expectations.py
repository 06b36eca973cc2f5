"""A backend's expectations file: entries are type-checked, and match a test by its metadata."""

from __future__ import annotations

import pytest

from conformance.run.expectations import ExpectationsError, load_expectations


def test_an_entry_matches_by_every_key(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text("entries:\n  - {match: {op: ce_count_loss, clause: SHARED-5}, action: xfail, reason: known}\n")
    (entry,) = load_expectations(path)
    assert entry.matches({"op": "ce_count_loss", "clauses": ["CE-COUNT-1", "SHARED-5"]})
    assert not entry.matches({"op": "ce_count_loss", "clauses": ["CE-COUNT-1"]})
    assert not entry.matches({"op": "first_spike", "clauses": ["SHARED-5"]})


def test_an_empty_file_has_no_entries(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text("")
    assert load_expectations(path) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entries:\n  - {match: {op: x}, action: skip}\n", "reason must be a non-empty string"),
        ("entries:\n  - {match: {nope: x}, action: skip, reason: r}\n", "unknown match key"),
        ("entries:\n  - {match: {op: x}, action: skip, reason: r, extra: 1}\n", "unknown field"),
        ("entries:\n  - {match: {op: x}, action: skip, reason: r, issue: 5}\n", "issue must be a string"),
        ("!!python/object:os.system {}\n", "cannot read expectations file"),
    ],
)
def test_a_bad_entry_names_the_file_and_the_entry(tmp_path, text, message):
    path = tmp_path / "e.yaml"
    path.write_text(text)
    with pytest.raises(ExpectationsError, match=message):
        load_expectations(path)
