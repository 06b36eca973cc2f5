"""Sphinx configuration: Markdown (MyST) pages, warnings are errors in tox -e docs.

Generated at every build, never written by hand (and kept out of git):

* ``traceability/``: the clause → code → vectors → tests page and the reference's code by clause
  (`tools/traceability.py`);
* ``figures/``: the spec's figures, drawn from the reference (``figures.py``);
* ``_generated/scoreboard/``: the scoreboard of a CI run (``tox -e scoreboard``, before ``tox -e docs``).

Math is MyST's ``$...$`` and ``$$...$$``, rendered by MathJax 3 from the ``sphinx-mathjax-offline``
package, which copies MathJax into the built site: the docs read offline, no CDN.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))  # a checkout builds its own reference and conformance
sys.path.insert(0, str(DOCS))
sys.path.insert(0, str(DOCS.parent / "tools"))  # the traceability rules and pages are dev tooling, not the package

from figures import draw_all  # noqa: E402
from traceability import write_pages  # noqa: E402

from conformance.clauses import DEFINITION_START, registry  # noqa: E402

project = "snnloss-conformance"
author = "snnloss-conformance developers"
extensions = ["myst_parser", "sphinx-mathjax-offline"]
myst_enable_extensions = ["dollarmath", "attrs_block"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "_generated"]
html_theme = "alabaster"
html_theme_options = {"page_width": "min(96vw, 1280px)", "sidebar_width": "220px", "fixed_sidebar": False}
html_static_path = ["_static"]
html_css_files = ["custom.css"]

write_pages(DOCS / "traceability")
draw_all(DOCS / "figures")

_scoreboard = DOCS / "_generated" / "scoreboard"
if not (_scoreboard / "scoreboard.md").exists():
    _scoreboard.mkdir(parents=True, exist_ok=True)
    (_scoreboard / "scoreboard.md").write_text(
        "# Conformance scoreboard\n\n"
        "This build ran without a scoreboard run: `tox -e scoreboard` generates the table, then `tox -e docs`.\n"
    )
html_extra_path = [str(_scoreboard)]


def link_clause_ids(app, docname: str, source: list[str]) -> None:
    """On the spec pages, each ``**[ID]**`` becomes an anchor ``#ID`` that links to the clause's traceability entry."""
    if not docname.startswith("spec/"):
        return
    known = registry()
    up = "../" * docname.count("/")

    def anchor(match: re.Match) -> str:
        clause_id = match.group("id")
        if clause_id not in known:
            return match.group(0)
        return (
            f'<a class="clause-id" id="{clause_id}" href="{up}traceability/index.html#{clause_id}" '
            f'title="code, vectors and tests of {clause_id}">[{clause_id}]</a> '
        )

    source[0] = DEFINITION_START.sub(anchor, source[0])


def setup(app) -> dict:
    app.connect("source-read", link_clause_ids)
    return {"parallel_read_safe": True}
