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


def load_expectations(path: str | Path) -> list[Entry]:
    try:
        document = yaml.safe_load(Path(path).read_text()) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ExpectationsError(f"cannot read expectations file {path}: {error}") from error
    entries = []
    for number, raw in enumerate(document.get("entries", []), 1):
        if not isinstance(raw, dict) or raw.get("action") not in ACTIONS or not raw.get("reason"):
            raise ExpectationsError(f"{path}: entry {number} needs action (skip or xfail) and a reason: {raw!r}")
        match = raw.get("match") or {}
        unknown = set(match) - MATCH_KEYS
        if not match or unknown:
            raise ExpectationsError(f"{path}: entry {number} has no match or unknown match keys {sorted(unknown)}")
        entries.append(Entry(match=match, action=raw["action"], reason=raw["reason"], issue=raw.get("issue")))
    return entries
