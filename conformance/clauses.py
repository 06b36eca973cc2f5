"""The clause registry: every clause and LB id of the specification, its title, and where ids are named.

Every normative statement in ``docs/spec/*.md`` starts with its id in bold brackets and an
italic title, ``**[CE-COUNT-1]** *Cross-entropy of spike counts.* ...``. This module parses
that text once; everything else (reports, the traceability page, the project's checks)
asks it. Ids are always written out in full, ``SHARED-3, SHARED-4``, never as a range (two dots) or a
shorthand (a slash or a dash before the second number), so that a search for an id finds every place
that names it.

The spec pages ship with a source checkout and install with the package (``conformance.spec``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_PACKAGED_SPEC = Path(__file__).resolve().parent / "spec"  # an installed wheel carries the spec as conformance.spec
SPEC_DIR = _PACKAGED_SPEC if _PACKAGED_SPEC.is_dir() else Path(__file__).resolve().parents[1] / "docs" / "spec"
ID = r"[A-Z]+(?:-[A-Z]+)*-\d+"
DEFINITION = re.compile(rf"^\*\*\[(?P<id>{ID})\]\*\*\s*(?P<text>.+?)(?:\n\n|\Z)", re.S | re.M)
DEFINITION_START = re.compile(rf"^\*\*\[(?P<id>{ID})\]\*\*\s", re.M)  # where a definition starts, for the docs
TITLE = re.compile(r"\*(?P<title>[^*]+?)\*")
# A range or a shorthand of several ids: an id followed by two dots, a slash, an en or an em dash and a number.
DASHES = "\u2013\u2014"
RANGE = re.compile(rf"\b{ID}(?:\s*\.\.\s*(?:[A-Z]+-)*\d+|\s*[/{DASHES}]\s*\d+\b)+")


@dataclass(frozen=True)
class Clause:
    """One clause or legacy behaviour of the spec: its id, the page that defines it and its one-line title."""

    id: str
    page: str
    title: str

    @property
    def is_legacy(self) -> bool:
        return self.id.startswith("LB-")

    @property
    def anchor(self) -> str:
        """The HTML anchor of the clause on its spec page and on the traceability page: the id itself."""
        return self.id


def _title(text: str) -> str:
    """The italic title that leads the clause text, or ``""`` when the clause has none."""
    match = TITLE.match(" ".join(text.split()))
    return match.group("title").rstrip(".") if match else ""


def definitions(spec_dir: Path = SPEC_DIR) -> list[Clause]:
    """Every definition in the spec text, in page order, repeats included (a check reports them)."""
    return [
        Clause(match.group("id"), page.stem, _title(match.group("text")))
        for page in (sorted(spec_dir.glob("*.md")) if spec_dir.is_dir() else [])
        for match in DEFINITION.finditer(page.read_text())
    ]


@cache
def registry(spec_dir: Path = SPEC_DIR) -> dict[str, Clause]:
    """``id -> Clause`` for every clause and LB id of the spec text."""
    return {clause.id: clause for clause in definitions(spec_dir)}


def titles(spec_dir: Path = SPEC_DIR) -> dict[str, tuple[str, str]]:
    """``id -> (spec page stem, one-line title)``, for reports."""
    return {clause.id: (clause.page, clause.title) for clause in registry(spec_dir).values()}


def families(spec_dir: Path = SPEC_DIR) -> set[str]:
    """The id prefixes in use (``CE-COUNT``, ``LB``, ...): text that looks like ``<family>-<n>`` names an id."""
    return {clause.id.rsplit("-", 1)[0] for clause in registry(spec_dir).values()}


def mentioned_ids(text: str, spec_dir: Path = SPEC_DIR) -> set[str]:
    """Every ``<family>-<n>`` in ``text`` for a family of the spec, whether or not that id exists."""
    pattern = _mention_pattern(spec_dir)
    return set(pattern.findall(text)) if pattern else set()


@cache
def _mention_pattern(spec_dir: Path) -> re.Pattern | None:
    prefixes = "|".join(sorted(map(re.escape, families(spec_dir)), key=len, reverse=True))
    return re.compile(rf"(?<![A-Z-])(?:{prefixes})-\d+\b") if prefixes else None


def ranges(text: str) -> list[str]:
    """The id ranges and shorthands in ``text`` (an id, a slash and a number); the registry's rules forbid them."""
    return [match.group(0) for match in RANGE.finditer(text)]


@dataclass(frozen=True)
class Implementation:
    """A function or class whose docstring names clause ids: where the spec lives in code."""

    path: Path
    qualname: str
    line: int
    ids: tuple[str, ...]


def implementations(package_dir: Path, spec_dir: Path = SPEC_DIR) -> list[Implementation]:
    """Every function, method and class under ``package_dir`` whose docstring names clause or LB ids."""
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node, qualname in _definitions(tree):
            ids = mentioned_ids(ast.get_docstring(node) or "", spec_dir)
            if ids:
                found.append(Implementation(path, qualname, node.lineno, tuple(sorted(ids, key=sort_key))))
    return found


def _definitions(tree: ast.Module, prefix: str = "") -> list[tuple[ast.AST, str]]:
    nodes = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            qualname = f"{prefix}{node.name}"
            nodes.append((node, qualname))
            if isinstance(node, ast.ClassDef):
                nodes.extend(_definitions(node, f"{qualname}."))  # type: ignore[arg-type]
    return nodes


def legacy_functions(compat_dir: Path) -> dict[str, list[str]]:
    """``LB-n -> [names]`` of the top-level functions of ``compat_dir`` named ``lb<n>_...``."""
    named: dict[str, list[str]] = {}
    for path in sorted(compat_dir.rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            match = re.match(r"lb(\d+)_", getattr(node, "name", ""))
            if isinstance(node, ast.FunctionDef) and match:
                named.setdefault(f"LB-{int(match.group(1))}", []).append(node.name)
    return named


def sort_key(clause_id: str) -> tuple[str, int]:
    """Ids in reading order: ``SHARED-2`` before ``SHARED-10``."""
    family, number = clause_id.rsplit("-", 1)
    return family, int(number)
