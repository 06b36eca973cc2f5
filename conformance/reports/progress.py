"""Progress for long runs: one line each time an op's last test ends.

A ``thorough`` run or a scoreboard run can take many minutes, and pytest's dots say
nothing about which op is being checked. :class:`Progress` counts the tests each op
has (from collection, or from the test ids xdist workers send back) and writes one
line per finished op, for example::

    progress: mypkg / spec: ce_rate_loss done (3 of 9 ops): 41 passed, 1 failed, 2 declined, 0:42 elapsed

Tests that check every op at once (the metamorphic ones without an ``op`` parameter)
are counted under ``all ops``.
"""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest

from ..ops import OPS

NO_OP = "all ops"  # the row of tests that belong to no single op
_OP_IN_ID = re.compile(r"\[(?:[^\]]*-)?(" + "|".join(sorted(OPS, key=len, reverse=True)) + r")(?:-[^\]]*)?\]")


def op_of_id(node_id: str) -> str:
    """The op a test id names among its parameters (``test_x[cpu-first_spike-T1]``), else :data:`NO_OP`."""
    match = _OP_IN_ID.search(node_id)
    return match.group(1) if match else NO_OP


class Progress:
    """Counts tests per op and says when each op is done."""

    def __init__(self, label: str, write) -> None:
        self.label = label
        self.write = write
        self.expected: Counter = Counter()
        self.outcomes: dict[str, Counter] = {}
        self.started = time.monotonic()

    def expect(self, node_ids: list[str]) -> None:
        """The collected tests (called once; xdist workers all collect the same ones)."""
        if not self.expected:
            self.expected = Counter(op_of_id(node_id) for node_id in node_ids)

    def ended(self, node_id: str, outcome: str) -> None:
        """One test ended with ``outcome`` (passed, failed, skipped, xfailed, declined)."""
        op = op_of_id(node_id)
        counter = self.outcomes.setdefault(op, Counter())
        counter[outcome] += 1
        if self.expected and sum(counter.values()) == self.expected[op]:
            self.write(self.line(op))

    def line(self, op: str) -> str:
        done = sum(1 for name, n in self.expected.items() if sum(self.outcomes.get(name, Counter()).values()) >= n)
        counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(self.outcomes[op].items()))
        minutes, seconds = divmod(int(time.monotonic() - self.started), 60)
        return (
            f"progress: {self.label}: {op} done ({done} of {len(self.expected)} ops): "
            f"{counts}, {minutes}:{seconds:02d} elapsed"
        )


def outcome_of(report, declined: bool) -> str | None:
    """A test's outcome from the report of the phase that decides it; None for the other phases."""
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if hasattr(report, "wasxfail"):
            return "xfailed"
        if report.skipped:
            return "declined" if declined else "skipped"
        return report.outcome
    return None


class ProgressPlugin:
    """Feeds pytest's collection and test reports (also from xdist workers) into a :class:`Progress`."""

    def __init__(self, progress: Progress, declined_key: str) -> None:
        self.progress = progress
        self.declined_key = declined_key

    def pytest_collection_finish(self, session) -> None:
        self.progress.expect([item.nodeid for item in session.items])

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids) -> None:
        self.progress.expect(list(ids))

    def pytest_runtest_logreport(self, report) -> None:
        outcome = outcome_of(report, bool(dict(report.user_properties).get(self.declined_key)))
        if outcome is not None:
            self.progress.ended(report.nodeid, outcome)
