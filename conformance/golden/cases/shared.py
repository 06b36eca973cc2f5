"""Cases shared by several ops: the common loss cases, the coverage matrix, and the LB-1 witnesses."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .base import (
    BF16,
    CE_OPS,
    F16,
    F32,
    F64,
    HALF_TOLERANCE,
    LONG_T,
    LOSS_RECORD,
    NARROW_LABELS,
    REDUCTIONS,
    Case,
    labels,
    long_record,
    membrane,
    spikes,
    weight,
)


@dataclass(frozen=True, kw_only=True)
class LossClauses:
    """The ids an op adds to the shared loss cases, by situation; each op module declares its own.

    ``every`` case; ``unreduced`` ones (``reduction='none'``); ``one_element`` ones (valid, unweighted
    ``'mean'``/``'sum'``: LB-3's shape); ``weighted`` ones (valid, with ``weight``); ``weighted_sum`` ones;
    ``half`` ones (a float16 or bfloat16 record).
    """

    every: tuple[str, ...]
    unreduced: tuple[str, ...] = ()
    one_element: tuple[str, ...] = ()
    weighted: tuple[str, ...] = ()
    weighted_sum: tuple[str, ...] = ()
    half: tuple[str, ...] = ()

    def of(self, reduction: str, weighted: bool = False, valid: bool = True, half: bool = False) -> tuple[str, ...]:
        """The ids of a case with this reduction, weighting and validity."""
        ids = self.every + (self.unreduced if reduction == "none" else ())
        if valid and not weighted and reduction in ("mean", "sum"):
            ids += self.one_element
        if valid and weighted:
            ids += self.weighted + (self.weighted_sum if reduction == "sum" else ())
        return ids + (self.half if half else ())


def loss_cases(op: str, record: str, make, extra: LossClauses) -> list[Case]:
    """Cases every rate/membrane loss shares: reductions, weights, shapes, dtypes, invalid arguments."""
    out = []
    for reduction in REDUCTIONS:
        x, y = make(3, 2, 4, F32, reduction), labels(2, 4, reduction)
        out.append(
            Case(
                op=op,
                params={"reduction": reduction},
                inputs={record: x, "targets": y},
                clauses=("SHARED-5", "SHARED-13", "SHARED-8", "SHARED-7", "SHARED-14", *extra.of(reduction)),
                comment=f"T, B, N all different; reduction={reduction}",
            )
        )
        w = weight(4, seed=reduction)
        out.append(
            Case(
                op=op,
                params={"reduction": reduction, "weight": w},
                inputs={record: x, "targets": y},
                clauses=("SHARED-4", "SHARED-5", "LB-5", *extra.of(reduction, weighted=True)),
                flags=("weighted",),
                comment=f"non-uniform class weights; reduction={reduction}",
            )
        )
    out.append(
        Case(
            op=op,
            params={},
            inputs={record: make(3, 3, 3, F32, "sq"), "targets": labels(3, 3, "sq")},
            clauses=("SHARED-5", *extra.of("mean")),
            flags=("square",),
            comment="T = B = N",
        )
    )
    out.append(
        Case(
            op=op,
            params={"reduction": "none"},
            inputs={record: make(1, 1, 1, F32, "one"), "targets": torch.tensor([0])},
            clauses=("SHARED-1", *extra.of("none")),
            flags=("t1", "b1", "n1"),
            comment="one step, one sample, one output",
        )
    )
    out.append(
        Case(
            op=op,
            params={},
            inputs={record: make(5, 1, 4, F32, "b1"), "targets": torch.tensor([3])},
            clauses=("SHARED-5", *extra.of("mean")),
            flags=("b1",),
            comment="a single sample",
        )
    )
    for dtype, flags, tol in (
        (F64, ("float64",), None),
        (F16, ("half_precision",), None),
        (BF16, ("half_precision",), HALF_TOLERANCE),
    ):
        out.append(
            Case(
                op=op,
                params={},
                inputs={record: make(4, 2, 3, dtype, str(dtype)), "targets": labels(2, 3, str(dtype))},
                clauses=("SHARED-6", *extra.of("mean", half=dtype in (F16, BF16))),
                flags=flags,
                comment=f"{str(dtype)[6:]} record: the result keeps its dtype",
                tolerance=tol,
            )
        )
    out.append(
        Case(
            op=op,
            params={"reduction": "avg"},
            inputs={record: make(2, 2, 3, F32, "bad"), "targets": torch.tensor([0, 1])},
            clauses=("SHARED-3", "SHARED-12", *extra.of("avg", valid=False)),
            flags=("invalid",),
            comment="an unknown reduction is rejected at construction",
        )
    )
    out.append(
        Case(
            op=op,
            params={"reduction": "avg", "weight": weight(3)},
            inputs={record: make(2, 2, 3, F32, "bad"), "targets": torch.tensor([0, 1])},
            clauses=("SHARED-3", "LB-6", *extra.of("avg", weighted=True, valid=False)),
            flags=("invalid", "weighted"),
            comment="with weight, upstream accepts any reduction",
        )
    )
    for bad, why in ((torch.tensor([0, 3]), "a label equal to N"), (torch.tensor([-1, 0]), "a negative label")):
        out.append(
            Case(
                op=op,
                params={},
                inputs={record: make(2, 2, 3, F32, "lbl"), "targets": bad},
                clauses=("SHARED-2", "SHARED-12", *extra.of("mean", valid=False)),
                flags=("invalid",),
                comment=f"{why} is out of range",
            )
        )
    out.append(
        Case(
            op=op,
            params={},
            inputs={record: make(2, 2, 3, F32, "lbl"), "targets": torch.tensor([0, 1], dtype=torch.int32)},
            clauses=("SHARED-2", "LB-16", *extra.of("mean")),
            flags=(),
            comment="int32 labels are accepted",
        )
    )
    out.append(
        Case(
            op=op,
            params={"weight": weight(4)},
            inputs={record: make(2, 2, 3, F32, "w"), "targets": torch.tensor([0, 1])},
            clauses=("SHARED-4", "SHARED-12", *extra.of("mean", weighted=True, valid=False)),
            flags=("invalid", "weighted"),
            comment="a weight with N+1 entries",
        )
    )
    out.append(
        Case(
            op=op,
            params={"weight": weight(2)},
            inputs={record: make(2, 2, 3, F32, "w"), "targets": torch.tensor([0, 1])},
            clauses=("SHARED-4", "SHARED-12", *extra.of("mean", weighted=True, valid=False)),
            flags=("invalid", "weighted"),
            comment="a weight with N-1 entries",
        )
    )
    out.append(
        Case(
            op=op,
            params={},
            inputs={record: torch.zeros(0, 2, 3), "targets": torch.tensor([0, 1])},
            clauses=("SHARED-1", "SHARED-12", "LB-13", *extra.of("mean", valid=False)),
            flags=("invalid",),
            comment="T = 0 is rejected (upstream returns a degenerate value)",
        )
    )
    for reduction in REDUCTIONS:
        out.append(
            Case(
                op=op,
                params={"reduction": reduction},
                inputs={record: torch.zeros(3, 0, 4), "targets": torch.zeros(0, dtype=torch.long)},
                clauses=("SHARED-11", "LB-13", *extra.of(reduction)),
                flags=("empty_batch",),
                comment=f"an empty batch with reduction={reduction}",
            )
        )
    return out


def coverage_cases(op: str) -> list[Case]:
    """Cases that complete the coverage matrix: every record dtype, every label dtype, long records."""
    return [*_dtype_cases(op), *_label_cases(op), *_long_cases(op)]


def _dtype_cases(op: str) -> list[Case]:
    if op not in ("ce_temporal_loss", "multi_spike", "tolerance", "first_spike", "mse_temporal_loss"):
        return []
    out = []
    for dtype in (F64, F16, BF16):
        name = str(dtype).removeprefix("torch.")
        flags = ("float64",) if dtype == F64 else ("half_precision",)
        if op == "tolerance":
            times = (spikes(5, 2, 3, 0.5, seed=("tt", name)).argmax(0)).to(dtype)
            target = torch.tensor([[0.0, 2.0, 4.0], [1.0, 3.0, 0.0]], dtype=dtype)
            inputs, params, clauses = {"spk_time": times, "target": target}, {"tolerance": 2}, ("ST-TOL-1", "ST-TOL-2")
        elif op in ("first_spike", "multi_spike"):
            inputs = {"spk_rec": spikes(6, 2, 3, 0.3, dtype, ("dt", op, name))}
            params = {"spk_count": 2} if op == "multi_spike" else {}
            clauses = ("ST-MULTI-1", "ST-MULTI-2", "LB-9") if op == "multi_spike" else ("ST-FIRST-1", "ST-FIRST-2")
        else:
            inputs = {"spk_rec": spikes(6, 2, 3, 0.3, dtype, ("dt", op, name)), "targets": torch.tensor([2, 0])}
            params = {"reduction": "none"}
            clauses = ("TMP-CE-1", "TMP-CE-2") if op == "ce_temporal_loss" else ("TMP-MSE-1", "TMP-MSE-3", "LB-2")
        out.append(
            Case(
                op=op,
                params=params,
                inputs=inputs,
                clauses=("SHARED-6", *clauses),
                flags=flags,
                comment=f"a {name} record: the result is {name}",
            )
        )
    return out


def _label_cases(op: str) -> list[Case]:
    if op not in LOSS_RECORD:
        return []
    record = LOSS_RECORD[op]
    x = (membrane if record == "mem_out" else spikes)(2, 4, 3, seed=("labels", op))
    out = []
    for dtype in NARROW_LABELS:
        name = str(dtype).removeprefix("torch.")
        y = torch.tensor([2, 0, 1, 2], dtype=dtype)
        legacy = ("LB-16",) if op in CE_OPS and dtype != torch.uint8 else ()
        legacy += ("LB-3", "LB-2") if op in ("ce_rate_loss", "mse_membrane_loss") else ()
        legacy += ("LB-1",) if op == "mse_temporal_loss" else ()
        out.append(
            Case(
                op=op,
                params={"reduction": "mean"},
                inputs={record: x, "targets": y},
                clauses=("SHARED-2", *legacy),
                comment=f"{name} labels are read as their values (2, 0, 1, 2), not as 0",
            )
        )
    return out


def _long_cases(op: str) -> list[Case]:
    if op not in ("first_spike", "multi_spike", "mse_temporal_loss", "ce_temporal_loss"):
        return []
    record = long_record(LONG_T)
    comment = f"T = {LONG_T}: late spikes past steps 127, 255 and 32767, and a silent neuron (shadow at T-1)"
    if op == "first_spike":
        half = long_record(257, BF16)
        return [
            Case(
                op=op,
                params={},
                inputs={"spk_rec": record},
                clauses=("ST-FIRST-1", "ST-FIRST-2"),
                flags=("silent_neurons",),
                comment=comment,
            ),
            Case(
                op=op,
                params={},
                inputs={"spk_rec": half},
                clauses=("ST-FIRST-1", "ST-FIRST-2", "SHARED-6", "LB-18"),
                flags=("half_precision", "silent_neurons"),
                comment="bfloat16, T = 257: times up to 256 are exact; upstream computes T-1 in bfloat16 and gets 255",
            ),
        ]
    if op == "multi_spike":
        clauses = ("ST-MULTI-1", "ST-MULTI-2", "LB-9")
        return [
            Case(
                op=op,
                params={"spk_count": 2},
                inputs={"spk_rec": record},
                clauses=clauses,
                flags=("multi_spike", "silent_neurons"),
                comment=comment,
            )
        ]
    params = {"reduction": "none"} if op == "ce_temporal_loss" else {"on_target": LONG_T - 5, "off_target": 300}
    clauses = ("TMP-CE-1",) if op == "ce_temporal_loss" else ("TMP-MSE-1", "ST-TGT-1", "LB-1")
    return [
        Case(
            op=op,
            params=params,
            inputs={"spk_rec": record, "targets": torch.tensor([0, 2])},
            clauses=clauses,
            flags=("silent_neurons",),
            comment=comment,
        )
    ]


# LB-1 (clamped class targets) under every reduction it affects, weighted and unweighted. Each row: the
# reduction, whether weighted, and the clauses and LB ids that case checks, written out in full.
LB1_MEMBRANE = (
    ("mean", False, ("MSE-MEM-1", "SHARED-5", "SHARED-10", "LB-1", "LB-2", "LB-3")),
    ("sum", False, ("MSE-MEM-1", "SHARED-5", "SHARED-10", "LB-1", "LB-2", "LB-3")),
    ("mean", True, ("MSE-MEM-1", "MSE-MEM-3", "SHARED-4", "SHARED-10", "LB-1", "LB-2", "LB-4")),
    ("sum", True, ("MSE-MEM-1", "MSE-MEM-3", "SHARED-4", "SHARED-10", "LB-1", "LB-2", "LB-4", "LB-5")),
    ("none", True, ("MSE-MEM-1", "MSE-MEM-3", "MSE-MEM-4", "SHARED-4", "SHARED-10", "LB-1", "LB-2", "LB-4")),
)


LB1_COUNT = (
    ("mean", False, ("MSE-COUNT-1", "MSE-COUNT-2", "SHARED-5", "SHARED-10", "LB-1")),
    ("sum", False, ("MSE-COUNT-1", "MSE-COUNT-2", "SHARED-5", "SHARED-10", "LB-1")),
    ("mean", True, ("MSE-COUNT-1", "MSE-COUNT-2", "SHARED-4", "SHARED-10", "LB-1", "LB-4")),
    ("sum", True, ("MSE-COUNT-1", "MSE-COUNT-2", "SHARED-4", "SHARED-10", "LB-1", "LB-4", "LB-5")),
    ("none", True, ("MSE-COUNT-1", "MSE-COUNT-4", "SHARED-4", "SHARED-10", "LB-1", "LB-4")),
)


LB1_TEMPORAL = (
    ("mean", True, ("TMP-MSE-1", "TMP-MSE-2", "ST-TGT-4", "SHARED-4", "LB-1", "LB-4")),
    ("sum", True, ("TMP-MSE-1", "TMP-MSE-2", "ST-TGT-4", "SHARED-4", "LB-1", "LB-4", "LB-5")),
    ("none", True, ("TMP-MSE-1", "TMP-MSE-2", "TMP-MSE-3", "ST-TGT-4", "SHARED-4", "LB-1", "LB-4")),
)


def lb1_witnesses(op: str) -> list[Case]:
    """LB-1 with ``on > 0 > off``: a port that builds its targets literally differs from upstream here.

    ``B = N`` so that upstream's weighted path (LB-4 indexes the last axis with the labels) runs at all.
    """
    if op == "mse_membrane_loss":
        rows, record, params = LB1_MEMBRANE, membrane(3, 3, 3, seed="lb1"), {"on_target": 1, "off_target": -1}
    elif op == "mse_count_loss":
        rows, record, params = LB1_COUNT, spikes(4, 3, 3, seed="lb1"), {"correct_rate": 1, "incorrect_rate": -0.5}
    elif op == "mse_temporal_loss":
        rows, record, params = LB1_TEMPORAL, spikes(6, 3, 3, 0.25, seed="lb1"), {"on_target": 2, "off_target": -1}
    else:
        return []
    record_name = LOSS_RECORD[op]
    return [
        Case(
            op=op,
            params={
                **params,
                "reduction": reduction,
                **({"weight": weight(3, seed=("lb1", reduction))} if weighted else {}),
            },
            inputs={record_name: record, "targets": torch.tensor([2, 0, 1])},  # B = N: upstream's LB-4 weight axis fits
            clauses=clauses,
            flags=("weighted",) if weighted else (),
            comment=f"LB-1 witness: on > 0 > off, reduction={reduction}, {'weighted' if weighted else 'unweighted'}",
        )
        for reduction, weighted, clauses in rows
    ]
