"""What a conformance test records on its pytest item, for the clause report.

Test items carry these as ``user_properties`` (so reports from pytest-xdist workers carry
them too). The plugin attaches what the running test noted on the run's context
(:class:`conformance.run.context.RunningTest`) under these keys; the report
(:mod:`conformance.reports.clause_report`) reads them.
"""

from __future__ import annotations

META_KEY = "snnloss_conformance"  # the test's op, case, device, dtype and named clauses
LEGACY_KEY = "snnloss_legacy_xfail"  # LB ids that explain an expected failure
CHECKS_KEY = "snnloss_checks"  # the kinds of check that ran, their outcomes, and the clauses each verifies
COUNTEREXAMPLE_KEY = "snnloss_counterexample"  # a failing property's example as a vector file
RERUN_KEY = "snnloss_rerun"  # the command that reruns a failed test
DECLINED_KEY = "snnloss_declined"  # reason -> draws or cases the backend declined
RAN_KEY = "snnloss_ran"  # {"kind": "vector" | "property", "calls": examples that made an accepted call, "declined": n}
