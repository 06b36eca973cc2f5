"""A backend's expectations file: known skips and xfails, each with a reason.

YAML, read with the safe loader::

    entries:
      - match: {op: mse_temporal_loss, device: cuda, dtype: float16}   # every key must match
        action: xfail            # or skip
        reason: "half-precision times are not exact above T = 2048"
        issue: https://example.org/mypkg/issues/12      # optional

Match keys: ``test`` (test function name), ``case`` (vector id), ``op``, ``device``,
``dtype``, ``clause`` (any of the item's clauses or LB ids), ``kind`` (vector or
property). An entry that matches no collected test produces a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..golden.load import UnsafeYamlError, safe_yaml

MATCH_KEYS = {"test", "case", "op", "device", "dtype", "clause", "kind"}
ACTIONS = {"skip", "xfail"}


class ExpectationsError(Exception):
    pass


@dataclass
class Entry:
    match: dict
    action: str
    reason: str
    issue: str | None = None
    used: int = field(default=0)

    def matches(self, meta: dict) -> bool:
        for key, wanted in self.match.items():
            if key == "clause":
                if wanted not in (*meta.get("clauses", ()), *meta.get("legacy", ())):
                    return False
            elif str(meta.get(key)) != str(wanted):
                return False
        return True

    def describe(self) -> str:
        return f"{self.action} {self.match}: {self.reason}"


def _entry(path, number: int, raw) -> Entry:
    where = f"{path}: entry {number}"
    if not isinstance(raw, dict):
        raise ExpectationsError(f"{where}: expected a mapping with match, action and reason, got {_kind(raw)}")
    unknown_fields = set(raw) - {"match", "action", "reason", "issue"}
    if unknown_fields:
        raise ExpectationsError(f"{where}: unknown field(s) {sorted(map(str, unknown_fields))}")
    if raw.get("action") not in ACTIONS:
        raise ExpectationsError(f"{where}: action must be skip or xfail, got {raw.get('action')!r}")
    if not isinstance(raw.get("reason"), str) or not raw["reason"].strip():
        raise ExpectationsError(f"{where}: reason must be a non-empty string")
    if raw.get("issue") is not None and not isinstance(raw["issue"], str):
        raise ExpectationsError(f"{where}: issue must be a string (a link), got {_kind(raw['issue'])}")
    match = raw.get("match")
    if not isinstance(match, dict) or not match:
        raise ExpectationsError(
            f"{where}: match must be a non-empty mapping of {sorted(MATCH_KEYS)}, got {_kind(match)}"
        )
    unknown = set(match) - MATCH_KEYS
    if unknown:
        raise ExpectationsError(f"{where}: unknown match key(s) {sorted(map(str, unknown))}; use {sorted(MATCH_KEYS)}")
    for key, value in match.items():
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ExpectationsError(f"{where}: match.{key} must be a string or number, got {_kind(value)}")
    return Entry(match=match, action=raw["action"], reason=raw["reason"], issue=raw.get("issue"))


def _kind(value) -> str:
    return f"{type(value).__name__} {value!r}"[:80]


def load_expectations(path: str | Path) -> list[Entry]:
    """The entries of an expectations file, type-checked; :class:`ExpectationsError` names the file and entry."""
    try:
        document = safe_yaml(Path(path), "expectations file")
    except (OSError, UnicodeDecodeError, yaml.YAMLError, UnsafeYamlError) as error:
        raise ExpectationsError(f"cannot read expectations file {path}: {error}") from error
    if document is None:
        return []
    if not isinstance(document, dict) or set(document) - {"entries"}:
        raise ExpectationsError(f"{path}: expected a mapping with one key, entries, got {_kind(document)}")
    entries = document.get("entries") or []
    if not isinstance(entries, list):
        raise ExpectationsError(f"{path}: entries must be a list, got {_kind(entries)}")
    return [_entry(path, number, raw) for number, raw in enumerate(entries, 1)]
