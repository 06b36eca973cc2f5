"""The self-contained HTML report (``--report-html FILE``): one file, no network, to attach to a CI run or a PR.

Rendered with Jinja2 (autoescaping on) from ``conformance/templates/report.html.j2``;
styles are inline, so the file works offline and anywhere it is copied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, select_autoescape

from ..clauses import titles
from ..judging.attribution import UNATTRIBUTED
from ..vocabulary import STATUSES

if TYPE_CHECKING:
    from .clause_report import ClauseReport

UNATTRIBUTED_TITLE = {UNATTRIBUTED: "Failures that no clause explains (see each failure's reason)"}
DEFAULT_SPEC_URL = "https://snnloss-conformance.invalid/spec"  # set --spec-url to where the built docs live


def render(header: dict, report: ClauseReport, spec_url: str = DEFAULT_SPEC_URL) -> str:
    environment = Environment(
        loader=PackageLoader("conformance", "templates"), autoescape=select_autoescape(["html", "j2"])
    )
    known = titles()
    clauses = [
        {
            "id": clause,
            "title": known.get(clause, ("", ""))[1] or UNATTRIBUTED_TITLE.get(clause, ""),
            "page": known.get(clause, ("index", ""))[0],
            "status": status,
            "detail": ", ".join(f"{counter[s]} {s}" for s in (*STATUSES, "covered by LB") if counter.get(s)),
        }
        for clause, status, counter in report.rows()
    ]
    ops = [
        {
            "name": op,
            **{s: report.ops[op][s] for s in STATUSES},
            "vectors_ran": report.exercised[op]["vectors"],
            "examples_ran": report.exercised[op]["examples"],
            "declined": report.declined[op].most_common(),
        }
        for op in sorted(report.ops)
    ]
    totals = report.totals()
    return environment.get_template("report.html.j2").render(
        header=header,
        summary=[(s, totals.get(s, 0)) for s in STATUSES],
        failures=report.failures,
        clauses=clauses,
        ops=ops,
        legacy=report.legacy_items,
        pages={clause: page for clause, (page, _) in known.items()},
        spec_url=spec_url.rstrip("/"),
    )
