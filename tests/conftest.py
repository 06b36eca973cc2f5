"""Shared test configuration: the equivalence summary (the ``clause`` marker is the plugin's)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

EQUIVALENCE_KEY = pytest.StashKey[dict]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[EQUIVALENCE_KEY] = {}


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    counts = config.stash.get(EQUIVALENCE_KEY, {})
    if not counts:
        return
    total = sum(c["cases"] for c in counts.values())
    identical = sum(c["identical"] for c in counts.values())
    raised = sum(c["both_raised"] for c in counts.values())
    terminalreporter.section("upstream equivalence (reference.compat vs snntorch 1.0.0)")
    for name, c in sorted(counts.items()):
        terminalreporter.write_line(
            f"{name:28s} {c['cases']:5d} cases, {c['identical']:5d} bit-identical, {c['both_raised']:4d} raised in both"
        )
    terminalreporter.write_line(
        f"{'total':28s} {total:5d} cases, {identical:5d} bit-identical, {raised:4d} raised in both"
    )
