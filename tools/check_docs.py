"""Check the built HTML docs in a headless browser, as a reader sees them (``tox -e docs`` runs it).

Debian's ``chromium`` opens every page of the build in a 1280 px wide frame of one harness page, waits
for MathJax and the images, and reports what it found. The checks:

* **math is rendered**: every ``.math`` element holds MathJax output, and no raw ``$``, ``\\sum``,
  ``\\frac`` or ``\\mathrm`` is left in the text a reader sees (code blocks excepted);
* **every figure loads**: each ``<img>`` has decoded pixels;
* **every anchor resolves**: each clause and LB id is an element id on its spec page and on the
  traceability page, and every link with a fragment into a built page finds its target there;
* **wide tables fit**: tables marked ``{.wide-table}`` are at most 1280 px wide with one line per row.

Nothing is fetched from the network: the docs and MathJax are local files.

    python tools/check_docs.py docs/_build/html [--chromium PATH]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from conformance.clauses import registry  # noqa: E402

SPEC = ROOT / "docs" / "spec"  # this checkout's spec, whichever copy of the package is imported

WIDTH = 1280
RAW_MATH = ("$", "\\sum", "\\frac", "\\mathrm")
SKIPPED_PAGES = {"genindex.html", "search.html"}

HARNESS = Path(__file__).with_suffix(".js")  # the browser side, run in a blank page


def pages(build: Path) -> list[Path]:
    return sorted(p for p in build.rglob("*.html") if p.name not in SKIPPED_PAGES and "_static" not in p.parts)


def browse(build: Path, chromium: str) -> dict[str, dict]:
    """Every page's findings, keyed by its path relative to ``build``."""
    urls = [p.resolve().as_uri() for p in pages(build)]
    with tempfile.TemporaryDirectory() as scratch:
        harness = Path(scratch) / "harness.html"
        values = {"__PAGES__": json.dumps(urls), "__RAW__": json.dumps(RAW_MATH), "__WIDTH__": str(WIDTH)}
        script = HARNESS.read_text()
        for placeholder, value in values.items():
            script = script.replace(placeholder, value)
        harness.write_text(f'<!DOCTYPE html><meta charset="utf-8"><body><script>{script}</script></body>')
        command = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
            f"--user-data-dir={scratch}/profile", f"--window-size={WIDTH + 40},1000",
            "--virtual-time-budget=120000", "--dump-dom", harness.as_uri(),
        ]  # fmt: skip
        dom = subprocess.run(command, capture_output=True, text=True, timeout=600).stdout
    marker = '<pre id="results">RESULTS'
    start, end = dom.find(marker), dom.rfind("END</pre>")
    if start < 0 or end < 0:
        raise SystemExit(f"check_docs: the browser returned no results (is {chromium} working?)\n{dom[-2000:]}")
    found = json.loads(_unescape(dom[start + len(marker) : end]))
    return {
        Path(unquote(urlsplit(url).path)).resolve().relative_to(build.resolve()).as_posix(): r
        for url, r in found.items()
    }


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def problems(build: Path, found: dict[str, dict]) -> list[str]:
    """What a reader would trip over, one line each."""
    out = []
    for page, result in sorted(found.items()):
        if "error" in result:
            out.append(f"{page}: the browser could not inspect it: {result['error']}")
            continue
        out += [f"{page}: math not rendered: {text!r}" for text in result["unrendered"]]
        out += [f"{page}: raw TeX in the page text: {text!r}" for text in result["raw"]]
        out += [f"{page}: figure does not load: {image['src']}" for image in result["images"] if not image["ok"]]
        for table in result["wide"]:
            if table["width"] > WIDTH or table["row"] > 2.2 * table["font"] + 8:
                out.append(f"{page}: a wide table does not fit {WIDTH} px on one line per row: {table}")
        out += _unresolved_links(page, result["links"], build, found)
    out += _clause_anchors(found)
    return out


def _unresolved_links(page: str, links: list[str], build: Path, found: dict[str, dict]) -> list[str]:
    out = []
    for link in links:
        parts = urlsplit(link)
        if parts.scheme != "file" or not parts.fragment:
            continue
        target = Path(unquote(parts.path)).resolve()
        try:
            name = target.relative_to(build.resolve()).as_posix()
        except ValueError:
            out.append(f"{page}: a link leaves the docs: {link}")
            continue
        if name in found and "ids" in found[name] and unquote(parts.fragment) not in found[name]["ids"]:
            out.append(f"{page}: link to {name}#{parts.fragment} has no target")
    return out


def _clause_anchors(found: dict[str, dict]) -> list[str]:
    """Every clause and LB id is an anchor on its spec page and on the traceability page."""
    out = []
    trace_ids = set(found.get("traceability/index.html", {}).get("ids", []))
    for clause in registry(SPEC).values():
        spec_ids = set(found.get(f"spec/{clause.page}.html", {}).get("ids", []))
        if clause.id not in spec_ids:
            out.append(f"spec/{clause.page}.html: no anchor #{clause.id}")
        if clause.id not in trace_ids:
            out.append(f"traceability/index.html: no anchor #{clause.id}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path, help="the Sphinx HTML output folder")
    parser.add_argument("--chromium", default=None, help="the browser (default: chromium or chromium-browser on PATH)")
    args = parser.parse_args(argv)
    if not (args.build / "index.html").is_file():
        parser.error(f"build: {args.build} has no index.html; run sphinx-build first")
    chromium = args.chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        parser.error("--chromium: no chromium on PATH (Debian: apt-get install chromium)")
    found = browse(args.build, chromium)
    issues = problems(args.build, found)
    math = sum(r.get("math", 0) for r in found.values())
    images = sum(len(r.get("images", [])) for r in found.values())
    anchors = len(registry(SPEC))
    print(f"check_docs: {len(found)} pages, {math} formulas, {images} figures, {anchors} clause anchors checked")
    for issue in issues:
        print(f"  {issue}")
    return 1 if issues else 0


if __name__ == "__main__":
    sys.exit(main())
