"""The golden cases of ``spike_time``."""

from __future__ import annotations

import torch

from .base import Case, record_with

OP = "spike_time"


def cases() -> list[Case]:
    """``SpikeTime(...)(spk_out, targets)``: the pair ``(spk_time, target_time)``, judged stacked ``[2, *]``."""
    op = OP
    x = record_with(5, 3, 3, {(0, 2): [1, 4], (1, 0): [0], (1, 1): [2, 3], (2, 1): [4]})
    y = torch.tensor([2, 0, 1])
    times = torch.tensor([[1.0, -1.0, 4.0], [2.0, 2.0, -3.0], [0.0, 1.0, 3.0]])
    return [
        Case(
            op=op,
            params={},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-1", "ST-TGT-4", "ST-FIRST-1", "ST-FIRST-2", "SHARED-14", "LB-1"),
            comment="defaults: the label fires at step 0, the others at -1, that is T-1",
        ),
        Case(
            op=op,
            params={"on_target": 2, "off_target": 5},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-1", "ST-FIRST-1", "ST-FIRST-2", "LB-1"),
            comment="on 2, off 5: float target times in the record's dtype",
        ),
        Case(
            op=op,
            params={"on_target": -2, "off_target": 1.5, "tolerance": 1},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-1", "ST-TGT-4", "ST-TOL-1", "ST-TOL-2", "LB-1"),
            comment="a negative on target wraps once; times within 1 of their target snap to it",
        ),
        Case(
            op=op,
            params={"target_is_time": True},
            inputs={"spk_out": x, "targets": times},
            clauses=("ST-TGT-3", "ST-TGT-4", "ST-FIRST-1", "LB-10"),
            comment="explicit target times [B, N], negative ones wrapped (upstream rewrites them in place)",
            may_modify=("targets",),
        ),
        Case(
            op=op,
            params={"target_is_time": True, "tolerance": 2},
            inputs={"spk_out": x, "targets": torch.tensor([3.0, 0.0, 4.0])},
            clauses=("ST-TGT-3", "ST-TOL-1", "ST-FIRST-1"),
            comment="target times [N] broadcast along the batch",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "on_target": [0, 3], "off_target": [4, 5]},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-2", "ST-MULTI-1", "ST-MULTI-2", "LB-9"),
            flags=("multi_spike",),
            comment="two target spikes per neuron, on and off as lists",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "on_target": torch.tensor([1.0]), "off_target": torch.tensor([-1.0])},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-2", "ST-TGT-4", "ST-MULTI-1", "ST-MULTI-2", "LB-9"),
            flags=("multi_spike",),
            comment="F = 1, on and off as 1-D tensors",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "target_is_time": True, "on_target": [0, 0], "off_target": [0, 0]},
            inputs={"spk_out": x, "targets": torch.tensor([[[1.0, 2.0, 0.0]], [[4.0, 3.0, -1.0]]])},
            clauses=("ST-TGT-3", "ST-TGT-4", "ST-MULTI-1", "ST-MULTI-2", "LB-9", "LB-10"),
            flags=("multi_spike",),
            comment="explicit multi-spike target times [F, 1, N] with F = 2 != B = 3",
            may_modify=("targets",),
        ),
        Case(
            op=op,
            params={"multi_spike": True, "on_target": [0, 1], "off_target": [2]},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-2", "SHARED-12"),
            flags=("invalid", "multi_spike"),
            comment="on and off lists of different lengths",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "on_target": [1], "off_target": [2, 3]},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-2", "SHARED-12"),
            flags=("invalid", "multi_spike"),
            comment="on_target shorter than off_target",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "on_target": 1, "off_target": 4},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-2", "SHARED-12"),
            flags=("invalid", "multi_spike"),
            comment="scalar targets with multi_spike",
        ),
        Case(
            op=op,
            params={"on_target": 1.5, "off_target": 3},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-1", "ST-TOL-3", "ST-FIRST-1", "LB-1"),
            comment="half-step targets with the default tolerance 0: nothing snaps",
        ),
        Case(
            op=op,
            params={"target_is_time": True},
            inputs={"spk_out": x, "targets": torch.tensor([[-7.0, -5.0, 1.0], [-6.0, 2.0, -1.0], [0.0, -9.0, 3.0]])},
            clauses=("ST-TGT-3", "ST-TGT-4", "ST-FIRST-1", "LB-10"),
            flags=("negative_target_time", "time_targets"),
            comment="target times below -T wrap once (T = 5: -7 is -2, -9 is -4), not modulo T",
            may_modify=("targets",),
        ),
        Case(
            op=op,
            params={"multi_spike": True, "target_is_time": True, "on_target": [0], "off_target": [0]},
            inputs={"spk_out": x, "targets": torch.zeros(3, 3)},
            clauses=("ST-TGT-3", "SHARED-12", "LB-19"),
            flags=("invalid", "multi_spike", "time_targets"),
            comment="multi-spike target times must be [F, B, N]: [B, N] is rejected",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "target_is_time": True, "on_target": [0], "off_target": [0]},
            inputs={"spk_out": x, "targets": torch.zeros(0, 3, 3)},
            clauses=("ST-TGT-3", "SHARED-12"),
            flags=("invalid", "multi_spike", "time_targets"),
            comment="multi-spike target times with F = 0",
        ),
    ]
