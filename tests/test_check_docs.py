"""tools/check_docs.py: what it reports from a browser's findings, and a real headless-browser run."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import check_docs

from conformance.clauses import registry as spec_registry

SPEC = Path(__file__).resolve().parents[1] / "docs" / "spec"


def registry():
    return spec_registry(SPEC)


def _clean_page(**changes) -> dict:
    page = {"ids": [], "math": 0, "unrendered": [], "raw": [], "images": [], "links": [], "wide": []}
    return {**page, **changes}


def _complete_site(build: Path) -> dict[str, dict]:
    """Findings of a site where every clause anchor exists: only what a test adds is wrong."""
    found = {"traceability/index.html": _clean_page(ids=list(registry()))}
    for clause in registry().values():
        found.setdefault(f"spec/{clause.page}.html", _clean_page())["ids"].append(clause.id)
    return found


def test_a_clean_site_has_no_problems(tmp_path: Path) -> None:
    assert check_docs.problems(tmp_path, _complete_site(tmp_path)) == []


def test_unrendered_math_raw_tex_and_broken_figures_are_reported(tmp_path: Path) -> None:
    found = _complete_site(tmp_path)
    found["spec/rate.html"].update(
        unrendered=["l_b = \\frac{1}{T}"], raw=["\\sum in: x"], images=[{"src": "../figures/a.png", "ok": False}]
    )
    reported = check_docs.problems(tmp_path, found)
    assert reported == [
        "spec/rate.html: math not rendered: 'l_b = \\\\frac{1}{T}'",
        "spec/rate.html: raw TeX in the page text: '\\\\sum in: x'",
        "spec/rate.html: figure does not load: ../figures/a.png",
    ]


def test_a_missing_clause_anchor_and_a_dangling_link_are_reported(tmp_path: Path) -> None:
    found = _complete_site(tmp_path)
    found["traceability/index.html"]["ids"].remove("CE-COUNT-1")
    found["quickstart.html"] = _clean_page(links=[(tmp_path / "traceability" / "index.html").as_uri() + "#CE-COUNT-1"])
    reported = check_docs.problems(tmp_path, found)
    assert "traceability/index.html: no anchor #CE-COUNT-1" in reported
    assert "quickstart.html: link to traceability/index.html#CE-COUNT-1 has no target" in reported


def test_a_wrapping_wide_table_is_reported(tmp_path: Path) -> None:
    found = _complete_site(tmp_path)
    found["benchmarks.html"] = _clean_page(wide=[{"width": 1100, "row": 60, "font": 13}])
    assert [line.split(":")[0] for line in check_docs.problems(tmp_path, found)] == ["benchmarks.html"]


@pytest.mark.skipif(
    not shutil.which("chromium"), reason="needs Debian's chromium (CI installs it; apt-get install chromium)"
)
@pytest.mark.subprocess
def test_the_browser_sees_raw_math_and_a_broken_figure(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<html><body><p>The loss is $l = \\sum_t x_t$.</p><img src="missing.png">'
        '<p id="here"><a href="#here">ok</a> <a href="#nowhere">dangling</a></p></body></html>'
    )
    found = check_docs.browse(tmp_path, shutil.which("chromium"))
    reported = [line for line in check_docs.problems(tmp_path, found) if line.startswith("index.html")]
    assert any("raw TeX" in line and "$" in line for line in reported), reported
    assert "index.html: figure does not load: missing.png" in reported
    assert "index.html: link to index.html#nowhere has no target" in reported
    assert not any("#here" in line for line in reported)
