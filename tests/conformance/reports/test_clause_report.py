"""Folding test reports into clause statuses: exact credit, legacy, declines and the unattributed row."""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.judging.attribution import UNATTRIBUTED
from conformance.reports.clause_report import ClauseReport
from conformance.reports.html import render
from conformance.reports.records import CHECKS_KEY, DECLINED_KEY, LEGACY_KEY, META_KEY


@dataclass
class FakeReport:
    """What ClauseReport reads of a pytest TestReport."""

    outcome: str
    user_properties: list = field(default_factory=list)
    when: str = "call"
    nodeid: str = "suite::test_x[cpu-ce_count_loss]"
    longrepr: object = "E   value: 1 of 1 elements differ"
    longreprtext: str = "E   value: 1 of 1 elements differ"

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"

    @property
    def skipped(self) -> bool:
        return self.outcome in ("skipped", "xfailed")

    def __post_init__(self) -> None:
        if self.outcome == "xfailed":
            self.wasxfail = "legacy"


META = {"test": "test_x", "device": "cpu", "op": "ce_count_loss", "dtype": "float32", "clauses": ["CE-COUNT-1"]}


def props(clauses: dict, failed: bool = False, unattributed=(), **extra) -> list:
    checks = {"clauses": clauses, "unattributed": list(unattributed), "failed": failed}
    return [(META_KEY, {**META, "legacy": extra.pop("legacy", [])}), (CHECKS_KEY, checks), *extra.items()]


def test_a_failure_counts_only_against_the_clauses_its_checks_failed():
    report = ClauseReport()
    report.add(FakeReport("failed", props({"CE-COUNT-1": "fail", "SHARED-5": "fail", "SHARED-2": "pass"}, True)))
    statuses = {clause: status for clause, status, _ in report.rows()}
    assert statuses == {"CE-COUNT-1": "fail", "SHARED-5": "fail", "SHARED-2": "pass"}
    assert report.failures[0]["clauses"] == ["CE-COUNT-1", "SHARED-5"]


def test_a_failure_no_clause_explains_fails_the_unattributed_row():
    report = ClauseReport()
    report.add(FakeReport("failed", props({"CE-COUNT-1": "pass"}, True, unattributed=["kernel"])))
    statuses = {clause: status for clause, status, _ in report.rows()}
    assert statuses[UNATTRIBUTED] == "fail" and statuses["CE-COUNT-1"] == "pass"
    assert report.totals()["fail"] == 1
    assert "kernel" in report.unattributed[0]["why"]
    assert any(line.startswith(f"  {UNATTRIBUTED}:") for line in report.terminal_lines())
    assert report.failures[0]["clauses"] == [UNATTRIBUTED]


def test_a_test_that_fails_outside_the_judge_is_unattributed_not_blamed_on_its_clauses():
    report = ClauseReport()
    report.add(FakeReport("failed", [(META_KEY, {**META, "legacy": []})]))
    statuses = {clause: status for clause, status, _ in report.rows()}
    assert statuses[UNATTRIBUTED] == "fail" and statuses.get("CE-COUNT-1") != "fail"


def test_a_legacy_verdict_xfails_its_lb_ids_and_covers_the_clauses():
    report = ClauseReport()
    report.add(FakeReport("xfailed", props({}, legacy=["LB-5"], **{LEGACY_KEY: ["LB-5"]})))
    rows = {clause: (status, counter) for clause, status, counter in report.rows()}
    assert rows["LB-5"][0] == "xfail" and rows["CE-COUNT-1"][1]["covered by LB"] == 1


def test_a_passing_case_passes_the_legacy_behaviours_it_names():
    report = ClauseReport()
    report.add(FakeReport("passed", props({"CE-COUNT-1": "pass"}, legacy=["LB-5"])))
    assert {clause: status for clause, status, _ in report.rows()}["LB-5"] == "pass"


def test_declines_are_counted_per_op_and_a_run_of_declines_ran_nothing():
    report = ClauseReport()
    report.add(FakeReport("skipped", [(META_KEY, {**META, "legacy": []}), (DECLINED_KEY, {"no weights": 3})]))
    assert report.ops["ce_count_loss"]["declined"] == 1 and report.declined["ce_count_loss"]["no weights"] == 3
    assert report.tests_seen == 1 and report.tests_ran == 0


def test_the_markdown_and_html_reports_show_failures_and_escape_them():
    report = ClauseReport()
    failing = FakeReport("failed", props({"CE-COUNT-1": "fail"}, True))
    failing.longreprtext = "E   value <script>alert(1)</script>"
    report.add(failing)
    header = {"backend": "b", "profile": "spec"}
    assert "`suite::test_x[cpu-ce_count_loss]` (CE-COUNT-1)" in report.markdown(header)
    page = render(header, report)
    assert "&lt;script&gt;" in page and "<script>alert" not in page and "CE-COUNT-1" in page


def test_the_unattributed_row_is_shown_without_a_dead_spec_link():
    report = ClauseReport()
    report.add(FakeReport("failed", props({"CE-COUNT-1": "pass"}, True, unattributed=["kernel"])))
    page = render({"backend": "b", "profile": "spec"}, report, "https://example.org/spec")
    assert UNATTRIBUTED in page and f"#{UNATTRIBUTED}" not in page and "no clause explains" in page
    assert "https://example.org/spec/rate.html#CE-COUNT-1" in page
