"""Clause titles from the specification text, for reports: ``{"SHARED-1": ("shared", "The record argument ...")}``.

Every normative statement in ``docs/spec/*.md`` starts with ``**[ID]**``; its title is
the first sentence after it. The spec pages ship with a source checkout; where they
are absent (an installed wheel), reports show clause ids without titles.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

SPEC_DIR = Path(__file__).resolve().parents[1] / "docs" / "spec"
CLAUSE = re.compile(r"^\*\*\[(?P<id>[A-Z]+(?:-[A-Z]+)*-\d+)\]\*\*\s*(?P<text>.+?)(?:\n\n|\Z)", re.S | re.M)


def _first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    italic = re.match(r"\*(.+?)\*", flat)  # legacy behaviours lead with an italic title
    if italic:
        return italic.group(1)
    match = re.match(r"(.+?[.:])(\s|$)", flat)
    sentence = match.group(1) if match else flat
    return sentence[:160] + ("…" if len(sentence) > 160 else "")


def definitions(spec_dir: Path = SPEC_DIR) -> list[tuple[str, str, str]]:
    """``(clause id, spec page stem, one-line title)`` for every definition in the spec text, repeats included."""
    return [
        (match.group("id"), page.stem, _first_sentence(match.group("text")))
        for page in (sorted(spec_dir.glob("*.md")) if spec_dir.is_dir() else [])
        for match in CLAUSE.finditer(page.read_text())
    ]


@cache
def titles(spec_dir: Path = SPEC_DIR) -> dict[str, tuple[str, str]]:
    """``clause id -> (spec page stem, one-line title)`` for every clause and LB id of the spec text."""
    return {clause: (page, title) for clause, page, title in definitions(spec_dir)}
