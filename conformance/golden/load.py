"""Reading vector files: safe YAML only, and a case index that error messages can cite."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

ID_LINE = re.compile(r"^\s*- id: (\S+)\s*$")


class VectorFileError(Exception):
    """A vector file that cannot be read; it names the file and, where known, the case."""

    def __init__(self, path: Path, case: str | None, message: str) -> None:
        super().__init__(f"{path}: case {case or '(before the first case)'}: {message}")
        self.path, self.case, self.message = path, case, message


def case_at_line(text: str, line: int) -> str | None:
    """The id of the case whose text contains ``line`` (0-based), if any."""
    current = None
    for number, content in enumerate(text.splitlines()):
        if number > line:
            break
        match = ID_LINE.match(content)
        if match:
            current = match.group(1)
    return current


def load(path: Path) -> dict:
    """Parse one vector file with PyYAML's safe loader (no ``!!python`` tags, no objects)."""
    text = Path(path).read_text()
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        case = case_at_line(text, mark.line) if mark else None
        where = f"line {mark.line + 1}" if mark else "unknown line"
        reason = getattr(error, "problem", None) or str(error)
        raise VectorFileError(path, case, f"{where}: not safe YAML: {reason}") from error


def iter_cases(document: dict) -> Iterator[tuple[dict, dict]]:
    """``(group params, case)`` for every case of a document."""
    for group in document.get("groups", []):
        for case in group.get("cases", []):
            yield group.get("params", {}), case


def resolve(expected: dict, profile: str) -> dict | None:
    """The expectation of ``profile``, following ``same_as``; ``None`` if the case has none for it."""
    outcome = expected.get(profile)
    if outcome is not None and "same_as" in outcome:
        return expected[outcome["same_as"]]
    return outcome
