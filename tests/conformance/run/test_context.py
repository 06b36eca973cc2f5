"""The running test's state: passing verdicts credit clauses, the last failing verdict is the one shown."""

from __future__ import annotations

from conformance.run.context import RunningTest


def test_credit_sticks_and_the_last_failure_is_the_one_recorded():
    state = RunningTest(item=None)
    assert state.record() is None
    state.note({"CE-COUNT-1": "pass", "CE-COUNT-2": "skip"}, [], failed=False)
    state.note({"CE-COUNT-1": "fail", "SHARED-9": "fail"}, [], failed=True)  # while shrinking
    state.note({"CE-COUNT-1": "fail", "SHARED-5": "fail", "CE-COUNT-2": "pass"}, [], failed=True)  # the shown one
    record = state.record()
    assert record["failed"] and record["clauses"] == {"CE-COUNT-1": "fail", "CE-COUNT-2": "pass", "SHARED-5": "fail"}


def test_a_later_pass_does_not_undo_a_skip_into_nothing():
    state = RunningTest(item=None)
    state.note({"SHARED-13": "skip"}, [], failed=False)
    state.note({"SHARED-13": "pass"}, [], failed=False)
    state.note({"SHARED-13": "skip"}, [], failed=False)
    assert state.record() == {"clauses": {"SHARED-13": "pass"}, "unattributed": [], "failed": False}
