"""The golden cases of ``mse_temporal_loss``."""

from __future__ import annotations

import torch

from .base import F16, REDUCTIONS, Case, labels, record_with, spikes, weight

OP = "mse_temporal_loss"


def cases() -> list[Case]:
    op = OP
    x, y = spikes(6, 3, 4, 0.25, seed="tmp"), labels(3, 4, "tmp")
    out = []
    for reduction in REDUCTIONS:
        clauses = (
            "TMP-MSE-1",
            "TMP-MSE-3",
            "ST-TGT-1",
            "ST-TGT-4",
            "ST-FIRST-1",
            "ST-FIRST-2",
            "SHARED-5",
            "SHARED-8",
            "SHARED-14",
            "LB-1",
        )
        out.append(
            Case(
                op=op,
                params={"reduction": reduction},
                inputs={"spk_rec": x, "targets": y},
                clauses=clauses,
                comment=f"default targets: step 0 for the label, T-1 for the others; reduction={reduction}",
            )
        )
        out.append(
            Case(
                op=op,
                params={"reduction": reduction, "on_target": 1, "off_target": 4, "weight": weight(4, seed=reduction)},
                inputs={"spk_rec": x, "targets": y},
                clauses=("TMP-MSE-2", "TMP-MSE-3", "SHARED-4", "LB-4", "LB-5"),
                flags=("weighted",),
                comment=f"class weights scale each sample's row; reduction={reduction}",
            )
        )
    silent = record_with(5, 2, 3, {(0, 0): [1], (1, 2): [4]})
    out += [
        Case(
            op=op,
            params={"on_target": 0, "off_target": 4},
            inputs={"spk_rec": silent, "targets": torch.tensor([0, 2])},
            clauses=("TMP-MSE-1", "ST-FIRST-1", "ST-FIRST-2"),
            flags=("silent_neurons",),
            comment="silent neurons count as spiking at T-1",
        ),
        Case(
            op=op,
            params={"on_target": 2, "off_target": 5, "tolerance": 2, "reduction": "none"},
            inputs={
                "spk_rec": record_with(8, 1, 4, {(0, 0): [0], (0, 1): [3], (0, 2): [4], (0, 3): [7]}),
                "targets": torch.tensor([0]),
            },
            clauses=("ST-TOL-1", "ST-TOL-2", "TMP-MSE-1"),
            flags=("tolerance_boundary",),
            comment="differences 2, 2, 1, 2 against tolerance 2: only the difference of 1 is snapped",
        ),
        Case(
            op=op,
            params={"on_target": 2, "off_target": 5, "tolerance": 1, "reduction": "none"},
            inputs={
                "spk_rec": record_with(8, 1, 3, {(0, 0): [1], (0, 1): [6], (0, 2): [5]}),
                "targets": torch.tensor([0]),
            },
            clauses=("ST-TOL-1", "ST-TOL-3"),
            flags=("tolerance_boundary",),
            comment="tolerance 1 snaps nothing for integer times",
        ),
        Case(
            op=op,
            params={"on_target": 1, "off_target": 3, "tolerance": -1, "reduction": "none"},
            inputs={"spk_rec": spikes(5, 2, 3, seed="tneg"), "targets": torch.tensor([2, 1])},
            clauses=("ST-TOL-3",),
            flags=(),
            comment="a negative tolerance snaps nothing",
        ),
        Case(
            op=op,
            params={"on_target": -7, "off_target": -1, "reduction": "none"},
            inputs={"spk_rec": spikes(5, 2, 2, seed="neg"), "targets": torch.tensor([0, 1])},
            clauses=("ST-TGT-4", "LB-1"),
            flags=("negative_target_time",),
            comment="-7 wraps once to -2; -1 is T-1",
        ),
        Case(
            op=op,
            params={"on_target": -1, "off_target": 2, "reduction": "none"},
            inputs={"spk_rec": spikes(5, 2, 3, seed="neg2"), "targets": torch.tensor([1, 2])},
            clauses=("ST-TGT-4", "ST-TGT-1"),
            flags=("negative_target_time",),
            comment="on -1 means T-1",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "on_target": [0, 2], "off_target": [3, -1], "reduction": "none"},
            inputs={
                "spk_rec": record_with(6, 2, 2, {(0, 0): [0, 2], (0, 1): [2, 4], (1, 0): [1, 3], (1, 1): [3, 5]}),
                "targets": torch.tensor([0, 1]),
            },
            clauses=("ST-MULTI-1", "ST-MULTI-2", "ST-TGT-2", "TMP-MSE-3", "LB-9"),
            flags=("multi_spike",),
            comment="true per-neuron second spikes; upstream zeroes whole steps",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "on_target": [1, 2, 3], "off_target": [4, 5, -1], "reduction": "sum"},
            inputs={"spk_rec": record_with(6, 1, 2, {(0, 0): [1], (0, 1): [0, 5]}), "targets": torch.tensor([0])},
            clauses=("ST-MULTI-1", "ST-MULTI-2", "ST-TGT-2", "LB-9"),
            flags=("multi_spike", "multi_spike_fewer_than_f"),
            comment="fewer spikes than F: the missing ones sit at T-1 and their gradients add up",
        ),
        Case(
            op=op,
            params={"target_is_time": True, "reduction": "none"},
            inputs={
                "spk_rec": spikes(6, 2, 3, seed="tt"),
                "targets": torch.tensor([[0.0, -1.0, 2.0], [5.0, 1.0, -3.0]]),
            },
            clauses=("ST-TGT-3", "ST-TGT-4", "SHARED-8", "LB-10"),
            flags=("time_targets", "negative_target_time"),
            comment="explicit target times; negative ones wrap; the caller's tensor is kept",
            may_modify=("targets",),
        ),
        Case(
            op=op,
            params={"target_is_time": True},
            inputs={"spk_rec": spikes(6, 3, 3, seed="tb"), "targets": torch.tensor([1.0, 3.0, -1.0])},
            clauses=("ST-TGT-3", "LB-10"),
            flags=("time_targets",),
            comment="target times [N] broadcast over the batch",
            may_modify=("targets",),
        ),
        Case(
            op=op,
            params={"target_is_time": True, "weight": weight(6)},
            inputs={"spk_rec": spikes(6, 1, 2, seed="tw"), "targets": torch.tensor([[0, 4]])},
            clauses=("TMP-MSE-2", "SHARED-12", "LB-11"),
            flags=("invalid", "time_targets", "weighted"),
            comment="weight with time targets is rejected (upstream indexes the weight by the times)",
        ),
        Case(
            op=op,
            params={"target_is_time": True},
            inputs={"spk_rec": spikes(6, 3, 3, seed="t2b"), "targets": torch.zeros(2, 3, 3)},
            clauses=("ST-TGT-3", "SHARED-12", "LB-19"),
            flags=("invalid", "time_targets"),
            comment="target times [2, B, N] do not broadcast to [B, N] (B = 3; upstream broadcasts the error)",
        ),
        Case(
            op=op,
            params={"target_is_time": True},
            inputs={"spk_rec": spikes(6, 1, 3, seed="t21"), "targets": torch.zeros(2, 1, 3)},
            clauses=("ST-TGT-3", "SHARED-12", "LB-19"),
            flags=("invalid", "time_targets", "b1"),
            comment="target times [2, 1, N] do not broadcast to [1, N] (B = 1; upstream broadcasts the error)",
        ),
        Case(
            op=op,
            params={"target_is_time": True},
            inputs={"spk_rec": spikes(6, 2, 3, seed="tt"), "targets": torch.zeros(4)},
            clauses=("ST-TGT-3", "SHARED-12"),
            flags=("invalid", "time_targets"),
            comment="target times that do not broadcast to [B, N]",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "on_target": [1, 2], "off_target": [5]},
            inputs={"spk_rec": spikes(6, 1, 2, seed="m"), "targets": torch.tensor([0])},
            clauses=("ST-TGT-2", "SHARED-12"),
            flags=("invalid", "multi_spike"),
            comment="on/off lengths differ",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "on_target": 1, "off_target": 5},
            inputs={"spk_rec": spikes(6, 1, 2, seed="m"), "targets": torch.tensor([0])},
            clauses=("ST-TGT-2", "SHARED-12"),
            flags=("invalid", "multi_spike"),
            comment="scalar targets with multi_spike",
        ),
        Case(
            op=op,
            params={"on_target": 0, "off_target": 4},
            inputs={"spk_rec": spikes(5, 2, 3, 0.3, F16, "h"), "targets": torch.tensor([0, 1])},
            clauses=("SHARED-6", "LB-2"),
            flags=("half_precision",),
            comment="a float16 record",
        ),
        Case(
            op=op,
            params={"on_target": 0, "off_target": 4, "tolerance": 2},
            inputs={"spk_rec": spikes(5, 2, 3, 0.3, F16, "h"), "targets": torch.tensor([0, 1])},
            clauses=("SHARED-6", "ST-TOL-1", "LB-2", "LB-15"),
            flags=("half_precision",),
            comment="float16 with tolerance (upstream raises)",
        ),
        Case(
            op=op,
            params={"on_target": 0, "off_target": 9, "reduction": "none"},
            inputs={"spk_rec": torch.ones(10, 2, 2), "targets": torch.tensor([0, 1])},
            clauses=("TMP-MSE-1",),
            flags=("all_spikes",),
            comment="every neuron fires at step 0",
        ),
        Case(
            op=op,
            params={"on_target": 0, "off_target": 0},
            inputs={"spk_rec": torch.ones(1, 1, 1), "targets": torch.tensor([0])},
            clauses=("TMP-MSE-1",),
            flags=("t1", "b1", "n1"),
            comment="T = 1: every time is 0",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_rec": torch.zeros(0, 1, 2), "targets": torch.tensor([0])},
            clauses=("ST-1", "SHARED-1", "SHARED-12"),
            flags=("invalid",),
            comment="a record without time steps",
        ),
    ]
    out.append(
        Case(
            op=op,
            params={"on_target": 1.5, "off_target": 2.5, "reduction": "none"},
            inputs={
                "spk_rec": record_with(4, 2, 3, {(0, 0): [1], (0, 1): [2], (1, 2): [3]}),
                "targets": torch.tensor([0, 2]),
            },
            clauses=("TMP-MSE-1", "TMP-MSE-3", "ST-TGT-1", "ST-TOL-3"),
            comment="half-step targets with the default tolerance 0: no time is snapped, though each is within 1",
        )
    )
    for entries in (5, 3):  # N = 4 classes: one weight too many, one too few
        out.append(
            Case(
                op=op,
                params={"weight": weight(entries, seed=("count", entries))},
                inputs={"spk_rec": spikes(4, 2, 4, 0.3, seed="wcount"), "targets": torch.tensor([3, 0])},
                clauses=("TMP-MSE-2", "SHARED-4", "SHARED-12"),
                flags=("invalid", "weighted"),
                comment=f"a weight with {entries} entries for 4 classes",
            )
        )
    return out
