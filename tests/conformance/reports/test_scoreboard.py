"""The scoreboard table: a cell links to the run's report row only where that report has the row."""

from __future__ import annotations

from conformance.reports.scoreboard import html, markdown, table


def test_a_clause_one_run_lacks_is_not_run_there_and_not_linked():
    results = {
        ("reference", "spec"): {"html": "reference.spec.html", "clauses": {"CE-COUNT-1": {"status": "pass"}}},
        ("broken", "spec"): {
            "html": "broken.spec.html",
            "clauses": {"CE-COUNT-1": {"status": "fail"}, "UNATTRIBUTED": {"status": "fail"}},
        },
    }
    for data in results.values():
        data.update(summary={}, exit=0)
    columns, rows = table(results)
    assert dict(rows)["UNATTRIBUTED"] == [("not-run", None), ("fail", "broken.spec.html#clause-unattributed")]
    page = markdown(columns, rows, results)
    assert "reference.spec.html#clause-unattributed" not in page and "broken.spec.html#clause-ce-count-1" in page
    assert "reference.spec.html#clause-unattributed" not in html(columns, rows, results)
