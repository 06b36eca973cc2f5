"""The golden cases of ``ce_count_loss``."""

from __future__ import annotations

import torch

from .base import F64, Case, spike_input, spikes, target_only
from .shared import LossClauses, loss_cases

OP = "ce_count_loss"
SHARED = LossClauses(every=("CE-COUNT-1",), unreduced=("CE-COUNT-3",))  # the ids it adds to the shared loss cases


def cases() -> list[Case]:
    op = OP
    out = loss_cases(op, "spk_out", spike_input, SHARED)
    x = spikes(4, 3, 6, 0.5, seed="pop")
    y = torch.tensor([2, 0, 1])
    out += [
        Case(
            op=op,
            params={"population_code": True, "num_classes": 3},
            inputs={"spk_out": x, "targets": y},
            clauses=("CE-COUNT-2", "SHARED-9"),
            flags=("population_code",),
            comment="blocks of 2 neurons summed over neurons and time",
        ),
        Case(
            op=op,
            params={
                "population_code": True,
                "num_classes": 3,
                "reduction": "none",
                "weight": torch.tensor([0.5, 1.0, 2.0]),
            },
            inputs={"spk_out": x, "targets": y},
            clauses=("CE-COUNT-2", "CE-COUNT-3", "SHARED-9", "SHARED-4"),
            flags=("population_code", "weighted"),
            comment="weight has C entries",
        ),
        Case(
            op=op,
            params={"population_code": True, "num_classes": 3},
            inputs={"spk_out": x.double(), "targets": y},
            clauses=("CE-COUNT-2", "SHARED-6", "LB-2"),
            flags=("population_code", "float64"),
            comment="upstream pools in float32",
        ),
        Case(
            op=op,
            params={"population_code": True, "num_classes": 6},
            inputs={"spk_out": x, "targets": torch.tensor([5, 0, 3])},
            clauses=("CE-COUNT-2", "SHARED-9"),
            flags=("population_code",),
            comment="C = N: one neuron per class",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_out": torch.zeros(4, 2, 3), "targets": torch.tensor([1, 2])},
            clauses=("CE-COUNT-1",),
            flags=("no_spikes",),
            comment="no spikes: loss ln(N)",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_out": torch.ones(4, 2, 3), "targets": torch.tensor([1, 2])},
            clauses=("CE-COUNT-1",),
            flags=("all_spikes",),
            comment="all spikes: loss ln(N)",
        ),
        Case(
            op=op,
            params={"reduction": "none"},
            inputs={"spk_out": target_only(1000, torch.tensor([0, 1]), 3), "targets": torch.tensor([0, 1])},
            clauses=("CE-COUNT-1", "CE-COUNT-3"),
            flags=("large_count", "only_target_fires"),
            comment="counts of 1000: exp(1000) overflows a naive softmax; the loss is about exp(-1000)",
        ),
        Case(
            op=op,
            params={"reduction": "none"},
            inputs={"spk_out": target_only(1000, torch.tensor([0, 1]), 3), "targets": torch.tensor([2, 2])},
            clauses=("CE-COUNT-1", "CE-COUNT-3"),
            flags=("large_count",),
            comment="counts of 1000 against the wrong class: loss 1000",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_out": torch.zeros(3, 2, 3, dtype=torch.long), "targets": torch.tensor([0, 1])},
            clauses=("SHARED-1", "SHARED-12"),
            flags=("invalid",),
            comment="an integer record is rejected",
        ),
        Case(
            op=op,
            params={"weight": torch.ones(3, dtype=F64)},
            inputs={"spk_out": spikes(3, 2, 3, seed="wd"), "targets": torch.tensor([0, 1])},
            clauses=("SHARED-4", "LB-15"),
            flags=("weighted",),
            comment="a float64 weight on a float32 record (upstream raises)",
        ),
    ]
    return out
