"""The coverage matrix: op x record dtype x label dtype x reduction -> golden vectors and property draws.

``python -m conformance.golden coverage --out docs/coverage.md`` writes it; a test checks
that the committed page is current and that every empty cell carries a written reason.
Vector counts come from the vector files; property coverage from the strategies'
own constants (what ``test_matches_reference`` can draw), so neither is kept by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..ops import ESTIMATORS, LOSSES, OPS
from ..tensors import DTYPE_NAMES, LABEL_DTYPES
from ..vocabulary import RECORD_DTYPE_NAMES, REDUCTIONS, SPEC
from .generate import VECTOR_DIR
from .load import iter_cases, load

RECORD_DTYPES = list(RECORD_DTYPE_NAMES)
LABEL_DTYPE_NAMES = [DTYPE_NAMES[d] for d in LABEL_DTYPES]
NO_LABELS = "-"

# Why a cell has neither a vector nor a property draw. Keys: (op or "*", record dtype or "*", label dtype or "*").
REASONS = {
    ("*", "*", NO_LABELS): "the estimators take no labels",
}


def _vector_cases(directory: Path) -> Iterator[tuple[str, dict, dict]]:
    """``(op, params, case)`` for every case of every vector file in ``directory``."""
    for path in sorted(directory.glob("*.yaml")):
        document = load(path)
        for params, case in iter_cases(document):
            yield document["op"], params, case


def vector_counts(directory: Path = VECTOR_DIR) -> Counter:
    """``(op, record dtype, label dtype, reduction) -> number of vectors``; invalid cases are not counted."""
    counts: Counter = Counter()
    for op, params, case in _vector_cases(directory):
        if case["expected"][SPEC].get("result") == "invalid":
            continue
        inputs = case["inputs"]
        record = inputs[OPS[op].differentiable]["dtype"]
        label = inputs["targets"]["dtype"] if "targets" in inputs and op in LOSSES else NO_LABELS
        reduction = params.get("reduction", "mean") if op in LOSSES else NO_LABELS
        counts[(op, record, label, reduction)] += 1
    return counts


# Where a legacy behaviour can show: each reduction without and with a weight, an invalid reduction string
# (with a weight: LB-6), and the estimators, which have no reduction.
SITUATIONS = ("mean", "mean+w", "sum", "sum+w", "none", "none+w", "other+w", "no reduction")
LOSS_SITUATIONS = SITUATIONS[:6]
# Why an LB has no witness in a situation: it cannot arise there.
LOSS_ONLY = ("LB-3", "LB-4", "LB-5", "LB-6", "LB-7", "LB-8", "LB-11", "LB-12", "LB-13", "LB-16")
ONE_REASON_FOR = {
    "needs a weight": [(lb, s) for lb in ("LB-4", "LB-5", "LB-11") for s in ("mean", "sum", "none")],
    "an invalid reduction string with a weight is its only case": [("LB-6", s) for s in LOSS_SITUATIONS],
    "a loss-only behaviour": [(lb, "no reduction") for lb in LOSS_ONLY],
    "weight needs label targets (TMP-MSE-2); with time targets it is LB-11": [
        ("LB-10", s) for s in ("mean+w", "sum+w", "none+w")
    ],
    "float labels cannot index the weight upstream either: both profiles raise": [
        ("LB-12", s) for s in ("mean+w", "sum+w", "none+w")
    ],
    "FirstSpike's backward on a record of rank 1, 2 or at least 4; the losses take rank 3": [
        ("LB-14", s) for s in LOSS_SITUATIONS
    ],
    "needs a second dtype: a weight of another dtype, or half-precision Tolerance targets": [
        ("LB-15", "sum"),
        ("LB-15", "none"),
    ],
    "'none' is never reduced to [1]": [("LB-3", "none"), ("LB-3", "none+w")],
    "the target times are checked before any reduction: 'mean' shows it": [("LB-19", "sum"), ("LB-19", "none")],
    "weight with target times is rejected at construction (TMP-MSE-2; upstream: LB-11)": [
        ("LB-19", s) for s in ("mean+w", "sum+w", "none+w")
    ],
}
# Keys: (LB id or "*", situation).
LB_REASONS = {
    **{cell: reason for reason, cells in ONE_REASON_FOR.items() for cell in cells},
    ("*", "other+w"): "only LB-6 lets an invalid reduction through; its vectors carry LB-6",
    ("LB-2", "no reduction"): "the estimators return the record's dtype upstream too",
    ("LB-3", "mean+w"): "with a weight upstream reduces through LB-5's path, to 0-d",
    ("LB-3", "sum+w"): "with a weight upstream does not reduce 'sum' (LB-5)",
    ("LB-5", "mean+w"): "'mean' with a weight is reduced upstream too",
    ("LB-5", "none+w"): "'none' is unreduced in both profiles",
}


def legacy_counts(directory: Path = VECTOR_DIR) -> Counter:
    """``(LB id, situation) -> number of vectors`` that carry the LB (the profiles differ there because of it)."""
    counts: Counter = Counter()
    for op, params, case in _vector_cases(directory):
        for lb in case["legacy"]:
            counts[(lb, _situation(op, params))] += 1
    return counts


def _situation(op: str, params: dict) -> str:
    if op not in LOSSES:
        return "no reduction"
    reduction = params.get("reduction", "mean")
    weighted = "+w" if params.get("weight") is not None else ""
    return f"{reduction}{weighted}" if reduction in REDUCTIONS else "other+w"


def legacy_reason(lb: str, situation: str) -> str | None:
    return LB_REASONS.get((lb, situation)) or LB_REASONS.get(("*", situation))


def legacy_ids() -> list[str]:
    from ..clauses import registry, sort_key

    return sorted((c for c in registry() if c.startswith("LB-")), key=sort_key)


def unexplained_legacy_gaps(counts: Counter, ids: list[str]) -> list[tuple[str, str]]:
    """``(LB id, situation)`` cells without a witness and without a reason."""
    return [(lb, s) for lb in ids for s in SITUATIONS if not counts[(lb, s)] and not legacy_reason(lb, s)]


def property_draws(op: str, record: str, label: str, reduction: str) -> bool:
    """Whether ``test_matches_reference`` can draw this cell (from the strategies' constants)."""
    if record not in RECORD_DTYPES:
        return False
    if op in ESTIMATORS:
        return label == NO_LABELS and reduction == NO_LABELS
    return label in LABEL_DTYPE_NAMES and reduction in REDUCTIONS


def reason_for(op: str, record: str, label: str) -> str | None:
    for (o, r, lab), reason in REASONS.items():
        if o in ("*", op) and r in ("*", record) and lab in ("*", label):
            return reason
    return None


def cells(counts: Counter) -> list[tuple[str, str, str, str, int, bool]]:
    """Every cell of the matrix: ``(op, record, label, reduction, vectors, property)``."""
    out = []
    for op in (*LOSSES, *ESTIMATORS):
        labels = LABEL_DTYPE_NAMES if op in LOSSES else [NO_LABELS]
        reductions = REDUCTIONS if op in LOSSES else (NO_LABELS,)
        for record in RECORD_DTYPES:
            for label in labels:
                for reduction in reductions:
                    n = counts[(op, record, label, reduction)]
                    out.append((op, record, label, reduction, n, property_draws(op, record, label, reduction)))
    return out


def unexplained_empty_cells(counts: Counter) -> list[tuple]:
    return [c for c in cells(counts) if not c[4] and not c[5] and not reason_for(c[0], c[1], c[2])]


def markdown(counts: Counter, legacy: Counter | None = None) -> str:
    lines = [
        "# Coverage matrix",
        "",
        "Generated by `python -m conformance.golden coverage --out docs/coverage.md` from `vectors/` and the",
        "property strategies; `tox -e py` fails when it is stale or when a cell is empty without a reason.",
        "",
        "Each cell gives the number of valid golden vectors per reduction (`mean/sum/none`; for the",
        "estimators, the number of vectors) and `P` where the differential property test",
        "(`test_matches_reference`) draws that combination. Invalid-input vectors are not counted.",
        "",
    ]
    by_op: dict[str, list] = {}
    for cell in cells(counts):
        by_op.setdefault(cell[0], []).append(cell)
    for op, op_cells in by_op.items():
        labels = LABEL_DTYPE_NAMES if op in LOSSES else [NO_LABELS]
        lines += [f"## {op}", "", "| record \\ labels | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
        for record in RECORD_DTYPES:
            row = [record]
            for label in labels:
                group = [c for c in op_cells if c[1] == record and c[2] == label]
                row.append(_cell_text(op, group))
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    return "\n".join(lines + _legacy_section(legacy_counts() if legacy is None else legacy))


def _legacy_section(legacy: Counter) -> list[str]:
    """Per legacy behaviour and situation: the vectors that witness it, or why it cannot arise there."""
    notes: dict[str, str] = {}  # reason -> its letter, in order of first use

    def cell(lb: str, situation: str) -> str:
        if legacy[(lb, situation)]:
            return str(legacy[(lb, situation)])
        reason = legacy_reason(lb, situation) or "NO REASON"
        return f"— ({notes.setdefault(reason, chr(ord('a') + len(notes)))})"

    rows = [f"| {lb} | " + " | ".join(cell(lb, s) for s in SITUATIONS) + " |" for lb in legacy_ids()]
    return [
        "## Legacy behaviours by reduction",
        "",
        "The number of golden vectors that carry each legacy behaviour (the profiles differ there because of",
        "it), by reduction without and with a class weight (`+w`), for an invalid reduction string, and for the",
        "estimators, which have no reduction. A dash names the reason the behaviour cannot arise there.",
        "",
        "{.wide-table}",
        "| LB | " + " | ".join(SITUATIONS) + " |",
        "|---" * (len(SITUATIONS) + 1) + "|",
        *rows,
        "",
        *[f"* ({letter}) {reason}" for reason, letter in notes.items()],
        "",
    ]


def _cell_text(op: str, group: list) -> str:
    counts = "/".join(str(c[4]) for c in group)
    drawn = " P" if any(c[5] for c in group) else ""
    if not any(c[4] for c in group) and not drawn:
        return f"— ({reason_for(op, group[0][1], group[0][2]) or 'NO REASON'})"
    return f"{counts}{drawn}"
