"""The conformance report: every clause as pass, fail, xfail, skip or not-run.

Test items carry their clauses in ``user_properties`` (so reports from xdist
workers carry them too); :class:`ClauseReport` folds test reports into clause
statuses and writes the terminal table, JSON and Markdown.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from ..files import write_atomic
from ..judging.attribution import UNATTRIBUTED
from ..vocabulary import SPEC, STATUSES
from .progress import NO_OP
from .records import CHECKS_KEY, COUNTEREXAMPLE_KEY, DECLINED_KEY, LEGACY_KEY, META_KEY, RAN_KEY, RERUN_KEY

MESSAGE_LINES = 60


def _outcome(report) -> str:
    if report.failed:
        return "fail"
    if report.skipped:
        if hasattr(report, "wasxfail"):
            return "xfail"
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
        return "not-run" if "not run:" in reason else "skip"
    return "pass"


def _trimmed(text: str) -> str:
    """A failure message short enough to read: its last lines, where pytest puts the error."""
    lines = text.splitlines()
    if len(lines) <= MESSAGE_LINES:
        return text
    return "\n".join([f"... ({len(lines) - MESSAGE_LINES} earlier lines left out)", *lines[-MESSAGE_LINES:]])


def _summary(message: str) -> str:
    error_lines = [line[1:].strip() for line in message.splitlines() if line.startswith("E ")]
    return (error_lines or message.strip().splitlines()[-1:] or [""])[0][:300]


class ClauseReport:
    def __init__(self, profile: str = SPEC) -> None:
        self.profile = profile  # under snntorch-1.0 a case's LB ids are what it checks, so they can fail
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.cells: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
        self.known: set[str] = set()
        self.ops: dict[str, Counter] = defaultdict(Counter)  # per op: tests by outcome, and declined draws
        self.declined: dict[str, Counter] = defaultdict(Counter)  # per op: reason -> declined draws or cases
        self.exercised: dict[str, Counter] = defaultdict(Counter)  # per op: vectors and property examples that ran
        self.partly_declined: list[dict] = []  # property tests with declined draws: examples run, calls declined
        self.failures: list[dict] = []  # every failed test: where, which clauses, why, and how to rerun it
        self.legacy_items: list[dict] = []  # every expected failure explained by legacy behaviours
        self.unattributed: list[dict] = []  # failed tests that no clause explains, and why
        self.tests_seen = 0  # conformance tests that reported an outcome
        self.tests_ran = 0  # ... of which passed, failed or xfailed (not skipped, declined or not run)

    def add(self, report) -> None:
        props = dict(report.user_properties)
        meta = props.get(META_KEY)
        if meta is None or (report.when != "call" and not (report.skipped or report.failed)):
            return
        if report.when == "teardown" and not report.failed:
            return
        outcome = _outcome(report)
        if report.when != "teardown":
            self.tests_seen += 1
            self.tests_ran += outcome in ("pass", "fail", "xfail")
        clauses, legacy = list(meta.get("clauses", ())), list(meta.get("legacy", ()))
        self.known.update(clauses, legacy)
        self._count_op(meta.get("op") or NO_OP, outcome, props)
        self._note_declines(report.nodeid, outcome, props)
        targets, why_unattributed = self._targets(outcome, props, clauses, legacy)
        self._remember(report, meta, outcome, props, [c for c, status in targets if status == "fail"])
        if why_unattributed:
            targets.append((UNATTRIBUTED, "fail"))
            self.unattributed.append({"test": report.nodeid, "why": why_unattributed})
        for clause, status in targets:
            self.known.add(clause)
            self.counts[clause][status] += 1
            self.cells[(clause, meta.get("device", "-"), meta.get("dtype") or "-")][status] += 1

    def _targets(
        self, outcome: str, props: dict, clauses: list[str], legacy: list[str]
    ) -> tuple[list[tuple[str, str]], str | None]:
        """Each clause's status in this test, and why a failure is unattributed (``None`` if a clause explains it).

        A test's verdicts say which clauses their checks verified (:mod:`conformance.judging.attribution`); a test
        that failed without a failing clause, or outside the judge, is unattributed.
        """
        checks = props.get(CHECKS_KEY)
        if LEGACY_KEY in props:  # the item shows a legacy behaviour: only its LB ids are judged
            for clause in clauses:
                self.counts[clause]["covered by LB"] += 1
            return [(c, "xfail") for c in props[LEGACY_KEY]], None
        if outcome not in ("pass", "fail"):
            return [(c, outcome) for c in clauses], None
        if checks is None:
            if outcome == "fail":
                return [], "the test failed outside the judge (a harness or test error): see its message"
            return [(c, "pass") for c in clauses], None
        targets = list(checks["clauses"].items())
        if outcome == "pass":  # a passing case does not show the legacy behaviours it names: they pass too
            named_lb = [(c, "pass") for c in legacy if c not in checks["clauses"]]
            return [(c, "skip" if s == "fail" else s) for c, s in targets] + named_lb, None
        if not checks.get("failed"):
            return targets, "the test failed outside the judge after its checks passed: see its message"
        if not any(status == "fail" for _, status in targets):
            kinds = ", ".join(checks.get("unattributed") or ["unknown"])
            return targets, f"failed check(s) that verify no clause of this case: {kinds}"
        return targets, None

    def _remember(self, report, meta: dict, outcome: str, props: dict, failed_clauses: list[str]) -> None:
        if LEGACY_KEY in props:
            self.legacy_items.append({"test": report.nodeid, "ids": list(props[LEGACY_KEY])})
        if outcome != "fail":
            return
        counterexample = props.get(COUNTEREXAMPLE_KEY) or {}
        message = getattr(report, "longreprtext", "") or str(report.longrepr)
        self.failures.append(
            {
                "test": report.nodeid,
                "op": meta.get("op") or NO_OP,
                "case": meta.get("case"),
                "device": meta.get("device") or "-",
                "dtype": meta.get("dtype") or "-",
                "clauses": sorted(failed_clauses) or [UNATTRIBUTED],
                "message": _trimmed(message),
                "summary": _summary(message),
                "counterexample": counterexample.get("text"),
                "counterexample_path": counterexample.get("path"),
                "rerun": props.get(RERUN_KEY),
            }
        )

    def _count_op(self, op: str, outcome: str, props: dict) -> None:
        declined = props.get(DECLINED_KEY, {})
        if outcome == "skip" and declined:
            outcome = "declined"
        self.ops[op][outcome] += 1
        for reason, count in declined.items():
            self.declined[op][reason] += count
        ran = props.get(RAN_KEY)
        if isinstance(ran, dict) and outcome in ("pass", "fail", "xfail"):
            kind = "vectors" if ran.get("kind") == "vector" else "examples"
            self.exercised[op][kind] += int(ran.get("calls", 0))

    def _note_declines(self, test: str, outcome: str, props: dict) -> None:
        """A property test the backend declined draws of: how many examples ran and how many calls were declined."""
        ran = props.get(RAN_KEY)
        if isinstance(ran, dict) and ran.get("kind") == "property" and ran.get("declined"):
            self.partly_declined.append(
                {"test": test, "outcome": outcome, "examples_ran": ran.get("calls", 0), "declined": ran["declined"]}
            )

    def exercised_text(self, op: str) -> str:
        """How much of the backend ``op``'s tests really called: vectors and property examples that ran."""
        counter = self.exercised.get(op, Counter())
        return f"{counter['vectors']} vectors, {counter['examples']} property examples"

    def op_lines(self) -> list[str]:
        """One line per op: how its tests ended, and what the backend declined and why."""
        lines = []
        for op in sorted(self.ops):
            counter = self.ops[op]
            ran = sum(counter[s] for s in ("pass", "fail", "xfail"))
            parts = [f"ran {ran} ({self.exercised_text(op)})"]
            parts += [f"{counter[s]} {s}" for s in ("fail", "xfail", "skip", "not-run") if counter[s]]
            if self.declined.get(op):
                reasons = "; ".join(f"{reason} ({n})" for reason, n in self.declined[op].most_common(3))
                parts.append(f"declined {sum(self.declined[op].values())}: {reasons}")
            lines.append(f"{op:22s} " + ", ".join(parts))
        return lines

    @staticmethod
    def status(counter: Counter) -> str:
        for status in STATUSES:
            if counter.get(status):
                return status
        return "not-run"

    def rows(self) -> list[tuple[str, str, Counter]]:
        def order(clause: str) -> tuple:
            prefix, _, number = clause.rpartition("-")
            return (prefix.startswith("LB"), prefix, int(number) if number.isdigit() else 0)

        return [
            (c, self.status(self.counts.get(c, Counter())), self.counts.get(c, Counter()))
            for c in sorted(self.known, key=order)
        ]

    def totals(self) -> Counter:
        return Counter(status for _, status, _ in self.rows())

    def as_dict(self, header: dict) -> dict:
        cells = defaultdict(dict)
        for (clause, device, dtype), counter in sorted(self.cells.items()):
            cells[clause][f"{device}/{dtype}"] = {"status": self.status(counter), **counter}
        return {
            **header,
            "summary": dict(self.totals()),
            "failures": self.failures,
            "legacy_attributions": self.legacy_items,
            "unattributed": self.unattributed,
            "declined_property_tests": self.partly_declined,
            "ops": {
                op: {
                    **self.ops[op],
                    "vectors_ran": self.exercised[op]["vectors"],
                    "examples_ran": self.exercised[op]["examples"],
                    "declined_reasons": dict(self.declined.get(op, {})),
                }
                for op in sorted(self.ops)
            },
            "clauses": {
                c: {"status": s, **counter, "by_device_dtype": cells.get(c, {})} for c, s, counter in self.rows()
            },
        }

    def terminal_lines(self) -> list[str]:
        lines = []
        for clause, status, counter in self.rows():
            detail = ", ".join(f"{counter[s]} {s}" for s in (*STATUSES, "covered by LB") if counter.get(s))
            lines.append(f"{clause:14s} {status:8s} ({detail or 'no test'})")
        for entry in self.unattributed[:10]:
            lines.append(f"  {UNATTRIBUTED}: {entry['test']}: {entry['why']}")
        totals = self.totals()
        lines.append("clauses: " + ", ".join(f"{totals.get(s, 0)} {s}" for s in STATUSES))
        return lines

    def markdown(self, header: dict) -> str:
        lines = [f"# Conformance report: {header['backend']} ({header['profile']} profile)", ""]
        lines += [f"- {key}: {value}" for key, value in header.items()]
        totals = self.totals()
        lines += ["", "Summary: " + ", ".join(f"{totals.get(s, 0)} {s}" for s in STATUSES), ""]
        lines += [
            "| clause | status | pass | fail | xfail | skip | not-run | by device/dtype |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for clause, status, counter in self.rows():
            cells = "; ".join(
                f"{device}/{dtype}: {self.status(c)}"
                for (cl, device, dtype), c in sorted(self.cells.items())
                if cl == clause
            )
            lines.append(
                f"| {clause} | {status} | {counter['pass']} | {counter['fail']} | {counter['xfail']} "
                f"| {counter['skip']} | {counter['not-run']} | {cells} |"
            )
        lines += ["", "## Per op", "", *[f"- {line}" for line in self.op_lines()], ""]
        lines += [f"## Failures ({len(self.failures)})", ""]
        for failure in self.failures:
            lines.append(
                f"- `{failure['test']}` ({', '.join(failure['clauses']) or 'no clause'}): {failure['summary']}"
                + (f" Counterexample: `{failure['counterexample_path']}`." if failure["counterexample_path"] else "")
            )
        return "\n".join(lines) + "\n"

    def write(self, header: dict, json_path: str | None, md_path: str | None) -> list[str]:
        """Write the requested JSON and Markdown reports atomically; the paths written."""
        written = []
        if json_path:
            written.append(str(write_atomic(json_path, json.dumps(self.as_dict(header), indent=2) + "\n")))
        if md_path:
            written.append(str(write_atomic(md_path, self.markdown(header))))
        return written
