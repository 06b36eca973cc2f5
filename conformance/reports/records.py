"""What a conformance test records on its pytest item, for the clause report.

Test items carry these as ``user_properties`` (so reports from pytest-xdist workers carry
them too). The suite records through these functions; the report (:mod:`conformance.reports.clause_report`)
reads the same keys. Neither needs the plugin.
"""

from __future__ import annotations

META_KEY = "snnloss_conformance"  # the test's op, case, device, dtype and named clauses
LEGACY_KEY = "snnloss_legacy_xfail"  # LB ids that explain an expected failure
CHECKS_KEY = "snnloss_checks"  # the kinds of check that ran, their outcomes, and the clauses each verifies
COUNTEREXAMPLE_KEY = "snnloss_counterexample"  # a failing property's example as a vector file
RERUN_KEY = "snnloss_rerun"  # the command that reruns a failed test
DECLINED_KEY = "snnloss_declined"  # reason -> draws or cases the backend declined


def _item(request_or_item):
    return getattr(request_or_item, "node", request_or_item)


def record_legacy(request_or_item, legacy: list[str]) -> None:
    """Attribute an expected failure to legacy behaviours (called just before ``pytest.xfail``)."""
    _item(request_or_item).user_properties.append((LEGACY_KEY, sorted(legacy)))


def record_checks(request_or_item, checks: dict) -> None:
    """A verdict's checks (:meth:`conformance.judging.judge.Verdict.record`); the last one recorded counts."""
    _item(request_or_item).user_properties.append((CHECKS_KEY, checks))


def record_decline(request_or_item, reason: str) -> None:
    _item(request_or_item).user_properties.append((DECLINED_KEY, {reason: 1}))
