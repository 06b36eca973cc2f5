"""The golden cases of ``ce_rate_loss``."""

from __future__ import annotations

import torch

from .base import F64, Case, membrane_input, spikes, target_only
from .shared import LossClauses, loss_cases

OP = "ce_rate_loss"
SHARED = LossClauses(
    every=("CE-RATE-1", "LB-2"), unreduced=("CE-RATE-3",), one_element=("LB-3",), weighted=("CE-RATE-3",)
)  # the ids it adds to the shared loss cases


def cases() -> list[Case]:
    op = OP
    out = loss_cases(op, "spk_out", membrane_input, SHARED)
    x, y = spikes(3, 2, 6, 0.4, seed="pop"), torch.tensor([1, 0])
    out += [
        Case(
            op=op,
            params={"population_code": True, "num_classes": 2, "weight": torch.tensor([0.5, 2.0])},
            inputs={"spk_out": x, "targets": y},
            clauses=("CE-RATE-2", "SHARED-9", "LB-7"),
            flags=("population_code", "weighted"),
            comment="blocks of 3 neurons pooled per step",
        ),
        Case(
            op=op,
            params={"population_code": True, "num_classes": 3, "reduction": "none"},
            inputs={"spk_out": x, "targets": torch.tensor([2, 0])},
            clauses=("CE-RATE-2", "SHARED-9", "LB-7"),
            flags=("population_code",),
            comment="population code without weight (upstream raises)",
        ),
        Case(
            op=op,
            params={"population_code": True, "num_classes": 4},
            inputs={"spk_out": x, "targets": y},
            clauses=("SHARED-9", "SHARED-12"),
            flags=("invalid", "population_code"),
            comment="num_classes does not divide N",
        ),
        Case(
            op=op,
            params={"population_code": True, "num_classes": 2, "weight": torch.tensor([1.0, 2.0], dtype=F64)},
            inputs={"spk_out": x.double(), "targets": y},
            clauses=("CE-RATE-2", "SHARED-6", "LB-15"),
            flags=("population_code", "float64"),
            comment="a float64 population code (upstream raises)",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_out": torch.zeros(5, 2, 3), "targets": torch.tensor([0, 2])},
            clauses=("CE-RATE-1", "LB-3"),
            flags=("no_spikes",),
            comment="no spikes: uniform softmax at every step",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_out": torch.ones(5, 2, 3), "targets": torch.tensor([0, 2])},
            clauses=("CE-RATE-1", "LB-3"),
            flags=("all_spikes",),
            comment="all spikes: uniform softmax at every step",
        ),
        Case(
            op=op,
            params={"reduction": "none"},
            inputs={"spk_out": target_only(1000, torch.tensor([1]), 2), "targets": torch.tensor([1])},
            clauses=("CE-RATE-1", "CE-RATE-3"),
            flags=("large_count", "only_target_fires"),
            comment="T = 1000: the mean over steps of one small loss",
        ),
    ]
    return out
