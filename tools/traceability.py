"""Spec → code → vectors → tests: who names each clause, the rules that keep it so, and the docs page.

Everything here reads source files; nothing is imported or run. The places that name ids:

* **code**: functions and classes of ``reference/`` (and ``reference/compat/``) whose docstrings cite ids
  (:func:`conformance.clauses.implementations`);
* **vectors**: the ``clauses`` and ``legacy`` lists of every case in ``vectors/*.yaml``;
* **tests**: ``pytest.mark.clause(...)`` on the project's tests and the conformance suite's, and the
  property tests of each op (:data:`conformance.ops.OPS`, whose ``clauses`` the suite marks them with).

:func:`problems` states the registry's rules; ``tox -e py`` runs them (``tests/test_traceability.py``), and
``docs/conf.py`` writes :func:`page` and :func:`source_page` into the docs at build time.
"""

from __future__ import annotations

import ast
import html
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from conformance.clauses import (
    Clause,
    Implementation,
    implementations,
    legacy_functions,
    mentioned_ids,
    ranges,
    registry,
)
from conformance.golden.load import SafeLoader

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("reference", "conformance", "tests", "benchmarks", "tools", "examples")
SKIPPED_PARTS = {"build", "__pycache__", ".tox", "node_modules"}
SOURCE_PAGE = "source"  # the docs page (in the traceability folder) that shows the reference's code


@dataclass(frozen=True)
class Layout:
    """Where a checkout keeps the things that name clauses (a test points it at a scratch copy)."""

    root: Path = ROOT

    @property
    def spec(self) -> Path:
        return self.root / "docs" / "spec"

    @property
    def reference(self) -> Path:
        return self.root / "reference"

    @property
    def compat(self) -> Path:
        return self.root / "reference" / "compat"

    @property
    def vectors(self) -> Path:
        return self.root / "vectors"

    def sources(self) -> list[Path]:
        """Every Python file that may name an id (code, tests, tools, examples; not build output)."""
        files = []
        for folder in SOURCE_DIRS:
            for path in sorted((self.root / folder).rglob("*.py")):
                if not SKIPPED_PARTS.intersection(path.relative_to(self.root).parts):
                    files.append(path)
        return files

    def docs(self) -> list[Path]:
        generated = {"_generated", "_build", "traceability"}  # written from the sources checked here
        return sorted(p for p in (self.root / "docs").glob("**/*.md") if not generated.intersection(p.parts))


@dataclass
class Trace:
    """One clause and everything that names it."""

    clause: Clause
    code: list[Implementation] = field(default_factory=list)
    vectors: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- who names which id


@cache
def _marked_tests_of(layout: Layout) -> dict[str, list[str]]:
    """:func:`marked_tests` of a layout's sources, read once per layout (callers copy before changing it)."""
    return marked_tests(layout.sources(), layout.root)


def marked_tests(paths: list[Path], root: Path) -> dict[str, list[str]]:
    """``id -> ["tests/x.py::test_y", ...]`` from ``clause(...)`` marks on test functions.

    Marks given through ``pytest.param(..., marks=...)`` in a ``parametrize`` decorator count too.
    """
    found: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        if not path.name.startswith("test_"):
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
                for clause_id in _marked_ids(node.decorator_list):
                    found[clause_id].append(f"{path.relative_to(root).as_posix()}::{node.name}")
    return found


def _marked_ids(decorators: list[ast.expr]) -> list[str]:
    """The string arguments of every ``*.clause(...)`` call inside ``decorators``."""
    ids = []
    for decorator in decorators:
        for node in ast.walk(decorator):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "clause":
                ids += [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
    return ids


def property_tests() -> dict[str, list[str]]:
    """``id -> ["property tests of <op>"]``: the suite marks each op's property tests with ``OPS[op].clauses``."""
    from conformance.ops import OPS

    found: dict[str, list[str]] = defaultdict(list)
    for name, spec in OPS.items():
        for clause_id in spec.clauses:
            found[clause_id].append(f"conformance/suite/test_properties.py (op {name})")
    return found


@cache
def vector_cases(vector_dir: Path) -> dict[str, list[str]]:
    """``id -> [case ids]`` from the ``clauses`` and ``legacy`` of every vector case."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(vector_dir.glob("*.yaml")):
        document = yaml.load(path.read_text(), Loader=SafeLoader)
        for group in document.get("groups", []):
            for case in group.get("cases", []):
                for clause_id in [*case.get("clauses", []), *case.get("legacy", [])]:
                    found[clause_id].append(case["id"])
    return found


def mentions(paths: list[Path], root: Path, known_families_from: Path) -> dict[str, list[str]]:
    """``id -> ["path:line", ...]`` for every id-shaped name (``<family>-<n>``) in ``paths``."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for clause_id in mentioned_ids(line, known_families_from):
                found[clause_id].append(f"{path.relative_to(root).as_posix()}:{number}")
    return found


def traces(layout: Layout = Layout()) -> list[Trace]:
    """Every clause of the spec, in page order, with its code, vectors and tests."""
    known = registry(layout.spec)
    by_id = {clause_id: Trace(clause) for clause_id, clause in known.items()}
    for implementation in implementations(layout.reference, layout.spec):
        for clause_id in implementation.ids:
            if clause_id in by_id:
                by_id[clause_id].code.append(implementation)
    for clause_id, cases in vector_cases(layout.vectors).items():
        if clause_id in by_id:
            by_id[clause_id].vectors += cases
    tests = {clause_id: list(names) for clause_id, names in _marked_tests_of(layout).items()}
    if (layout.root / "conformance" / "suite" / "test_properties.py").is_file():  # a checkout with the suite
        for clause_id, names in property_tests().items():
            tests.setdefault(clause_id, []).extend(names)
    for clause_id, names in tests.items():
        if clause_id in by_id:
            by_id[clause_id].tests += names
    return list(by_id.values())


# ---------------------------------------------------------------- the rules


def problems(layout: Layout = Layout()) -> list[str]:
    """Every way the checkout breaks the registry's rules, one line each; ``[]`` when it keeps them."""
    return [
        *unknown_ids(layout),
        *id_ranges(layout),
        *unimplemented_clauses(layout),
        *unnamed_legacy_behaviours(layout),
        *unchecked_clauses(layout),
    ]


def unknown_ids(layout: Layout) -> list[str]:
    """Ids named in code, tests, docs or vectors that the spec does not define."""
    known = registry(layout.spec)
    named = mentions([*layout.sources(), *layout.docs()], layout.root, layout.spec)
    for clause_id, names in _marked_tests_of(layout).items():
        named[clause_id] += names  # a marker may name an id of an unknown family ("FOO-1")
    for clause_id, cases in vector_cases(layout.vectors).items():
        named[clause_id] = named[clause_id] + [f"vector {case}" for case in cases]
    return [
        f"{clause_id} is not a clause of docs/spec, but {where[0]} names it"
        + (f" (and {len(where) - 1} more places)" if len(where) > 1 else "")
        for clause_id, where in sorted(named.items())
        if clause_id not in known
    ]


def id_ranges(layout: Layout) -> list[str]:
    """Ranges and shorthands (an id, two dots and a number) that a search for one id misses."""
    found = []
    for path in [*layout.sources(), *layout.docs()]:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for text in ranges(line):
                where = f"{path.relative_to(layout.root).as_posix()}:{number}"
                found.append(f"{where} writes {text!r}: name each id in full")
    return found


def unimplemented_clauses(layout: Layout) -> list[str]:
    """Clauses (not LBs) that no docstring in ``reference/`` outside ``compat/`` cites."""
    cited = {
        clause_id
        for implementation in implementations(layout.reference, layout.spec)
        if layout.compat not in implementation.path.parents
        for clause_id in implementation.ids
    }
    return [
        f"{clause.id} ({clause.page}.md) has no implementing function: no docstring in reference/ cites it"
        for clause in registry(layout.spec).values()
        if not clause.is_legacy and clause.id not in cited
    ]


def unnamed_legacy_behaviours(layout: Layout) -> list[str]:
    """LB ids without a function ``lb<n>_...`` in ``reference/compat/``."""
    named = legacy_functions(layout.compat)
    return [
        f"{clause.id} has no named function in reference/compat/ (expected a function lb{clause.id[3:]}_...)"
        for clause in registry(layout.spec).values()
        if clause.is_legacy and clause.id not in named
    ]


def unchecked_clauses(layout: Layout) -> list[str]:
    """Clauses that no vector and no test names."""
    return [
        f"{trace.clause.id} ({trace.clause.page}.md) has no vector and no test"
        for trace in traces(layout)
        if not trace.vectors and not trace.tests
    ]


# ---------------------------------------------------------------- the docs pages


def page(layout: Layout = Layout()) -> str:
    """The traceability page (MyST Markdown): per clause its title, spec text, code, vectors and tests.

    Each clause's entry carries the HTML anchor ``#<id>`` (``traceability/index.html#CE-COUNT-1``), for reports
    and messages to link to; the spec pages link each clause id here.
    """
    lines = [
        "# Traceability",
        "",
        "Every clause and legacy behaviour of the [specification](../spec/index.md), with the reference code",
        "that implements it, the golden vectors and the tests that check it. Generated from the sources when the",
        "docs are built (`conformance/traceability.py`), so it cannot go stale; `tox -e py` fails when a clause",
        "has no code, no vector and no test, or when code or tests name an id the spec lacks.",
        "",
        "Link to a clause as `traceability/index.html#<ID>`, for example `#CE-COUNT-1`.",
        "",
    ]
    current_page = None
    order = _page_order(layout.spec)
    for trace in sorted(traces(layout), key=lambda t: order.get(t.clause.page, len(order))):
        if trace.clause.page != current_page:
            current_page = trace.clause.page
            lines += [f"## {_page_title(layout.spec / f'{current_page}.md')}", ""]
        lines += _entry(trace, layout)
    return "\n".join(lines) + "\n"


def _page_order(spec_dir: Path) -> dict[str, int]:
    """The spec pages in the order of the spec's table of contents (``index.md``)."""
    index = spec_dir / "index.md"
    text = index.read_text() if index.exists() else ""
    toctree = text.split("```{toctree}", 1)[1].split("```", 1)[0] if "```{toctree}" in text else ""
    names = [line.strip() for line in toctree.splitlines() if line.strip() and not line.strip().startswith(":")]
    return {name: position for position, name in enumerate(names)}


def _inline(text: str) -> str:
    """A title's Markdown code spans as HTML, the rest escaped."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))


def _page_title(path: Path) -> str:
    first = path.read_text().splitlines()[0]
    return first.lstrip("# ").strip()


def _entry(trace: Trace, layout: Layout) -> list[str]:
    clause = trace.clause
    spec_link = f'<a href="../spec/{clause.page}.html#{clause.anchor}">spec text</a>'
    code = ", ".join(_code_link(implementation, layout) for implementation in trace.code) or "none"
    tests = "<br>".join(f"<code>{html.escape(name)}</code>" for name in sorted(set(trace.tests))) or "none"
    vectors = " ".join(f"<code>{html.escape(case)}</code>" for case in sorted(set(trace.vectors)))
    vector_cell = (
        f"<details><summary>{len(set(trace.vectors))} vectors</summary>{vectors}</details>" if vectors else "none"
    )
    return [
        f'<div class="clause-trace" id="{clause.anchor}">',
        f'<p class="clause-head"><a href="#{clause.anchor}"><strong>{clause.id}</strong></a> '
        f"{_inline(clause.title)} · {spec_link}</p>",
        "<table>",
        f"<tr><th>Code</th><td>{code}</td></tr>",
        f"<tr><th>Vectors</th><td>{vector_cell}</td></tr>",
        f"<tr><th>Tests</th><td>{tests}</td></tr>",
        "</table>",
        "</div>",
        "",
    ]


def _code_link(implementation: Implementation, layout: Layout) -> str:
    anchor = _source_anchor(implementation, layout)
    return f'<a href="{SOURCE_PAGE}.html#{anchor}"><code>{html.escape(anchor)}</code></a>'


def _source_anchor(implementation: Implementation, layout: Layout) -> str:
    """``reference.rate.mse_count_loss``: the dotted name of the object, also its anchor on the source page."""
    module = implementation.path.relative_to(layout.root).with_suffix("").as_posix().replace("/", ".")
    module = module.removesuffix(".__init__")
    return f"{module}.{implementation.qualname}"


def source_page(layout: Layout = Layout(), depth: int = 2) -> str:
    """The reference's code, one ``literalinclude`` per function or class that cites ids, each under its anchor.

    ``depth`` is how many folders the page sits below the checkout's root (``docs/traceability/``: 2).
    """
    up = "../" * depth
    lines = [
        "# Reference code by clause",
        "",
        "The functions and classes of `reference/` (the `spec` profile) and `reference/compat/` (the",
        "`snntorch-1.0` profile) whose docstrings cite clause or LB ids, as they are in this checkout.",
        "",
    ]
    current = None
    for implementation in sorted(implementations(layout.reference, layout.spec), key=lambda i: (str(i.path), i.line)):
        path = implementation.path.relative_to(layout.root).as_posix()
        if path != current:
            current = path
            lines += [f"## `{path}`", ""]
        anchor = _source_anchor(implementation, layout)
        cites = ", ".join(f'<a href="index.html#{i}">{i}</a>' for i in implementation.ids)
        lines += [
            f'<p class="source-head" id="{anchor}"><code>{html.escape(anchor)}</code> · {cites}</p>',
            "",
            f"```{{literalinclude}} {up}{path}",
            ":language: python",
            f":pyobject: {implementation.qualname}",
            ":lineno-match:",
            "```",
            "",
        ]
    return "\n".join(lines)


def write_pages(target: Path, layout: Layout = Layout()) -> list[Path]:
    """Write the traceability page and the source page into ``target`` (a folder of the docs)."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("index.md", page(layout)), (f"{SOURCE_PAGE}.md", source_page(layout))):
        path = target / name
        if not path.exists() or path.read_text() != text:  # unchanged files keep Sphinx's cache valid
            path.write_text(text)
        written.append(path)
    return written


__all__ = ["Layout", "Trace", "page", "problems", "source_page", "traces", "write_pages"]
