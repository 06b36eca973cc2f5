"""The golden cases of ``mse_count_loss``."""

from __future__ import annotations

import torch

from .base import Case, spike_input, spikes, target_only, weight
from .shared import LossClauses, loss_cases

OP = "mse_count_loss"
SHARED = LossClauses(
    every=("MSE-COUNT-2",), unreduced=("MSE-COUNT-4",), weighted=("LB-4",), weighted_sum=("LB-5",), half=("LB-2",)
)  # the ids it adds to the shared loss cases


def cases() -> list[Case]:
    op = OP
    out = loss_cases(op, "spk_out", spike_input, SHARED)
    for T, rate, count in ((100, 0.29, 28), (100, 0.57, 56), (50, 0.58, 28)):
        x = torch.zeros(T, 1, 2)
        x[: count + 1, 0, 0] = 1
        out.append(
            Case(
                op=op,
                params={"correct_rate": rate},
                inputs={"spk_out": x, "targets": torch.tensor([0])},
                clauses=("MSE-COUNT-1",),
                flags=("truncation_trap",),
                comment=f"int({T} * {rate}) is {count} in binary64 (float32 would give {count + 1})",
            )
        )
    x, y = spikes(4, 3, 6, 0.5, seed="pop"), torch.tensor([0, 2, 1])
    w_square = weight(3, seed="sq")
    out += [
        Case(
            op=op,
            params={"correct_rate": 0.75, "incorrect_rate": 0.25, "population_code": True, "num_classes": 3},
            inputs={"spk_out": x, "targets": y},
            clauses=("MSE-COUNT-3", "SHARED-9", "LB-2"),
            flags=("population_code",),
            comment="targets int(4 * 0.75 * 2) = 6 and int(4 * 0.25 * 2) = 2",
        ),
        Case(
            op=op,
            params={"correct_rate": 0.8, "incorrect_rate": 0.1, "reduction": "none"},
            inputs={"spk_out": spikes(10, 2, 3, seed="r"), "targets": torch.tensor([2, 0])},
            clauses=("MSE-COUNT-1", "MSE-COUNT-4"),
            flags=(),
            comment="rates 0.8 and 0.1 over 10 steps",
        ),
        Case(
            op=op,
            params={"correct_rate": 1, "incorrect_rate": -0.5, "reduction": "none"},
            inputs={"spk_out": spikes(4, 2, 3, seed="neg"), "targets": torch.tensor([0, 1])},
            clauses=("MSE-COUNT-1", "SHARED-10", "LB-1"),
            flags=(),
            comment="a negative off count (-2) is used literally; upstream clamps it to 0",
        ),
        Case(
            op=op,
            params={"reduction": "none", "weight": w_square},
            inputs={"spk_out": spikes(3, 3, 3, seed="wsq"), "targets": torch.tensor([0, 2, 1])},
            clauses=("SHARED-4", "LB-4"),
            flags=("weighted", "square"),
            comment="B = N: upstream scales columns instead of rows",
        ),
        Case(
            op=op,
            params={"reduction": "none", "weight": weight(4, seed="b1")},
            inputs={"spk_out": spikes(3, 1, 4, seed="wb1"), "targets": torch.tensor([3])},
            clauses=("SHARED-4", "MSE-COUNT-4"),
            flags=("weighted", "b1"),
            comment="B = 1: upstream is right here",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_out": spikes(3, 2, 3, seed="fl"), "targets": torch.tensor([0.0, 2.0])},
            clauses=("SHARED-2", "LB-12"),
            flags=("invalid",),
            comment="float labels are rejected (upstream truncates them)",
        ),
        Case(
            op=op,
            params={"reduction": "none"},
            inputs={"spk_out": target_only(1000, torch.tensor([1]), 3), "targets": torch.tensor([1])},
            clauses=("MSE-COUNT-1", "MSE-COUNT-2"),
            flags=("large_count", "only_target_fires"),
            comment="T = 1000 with the default rates: loss 0",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_out": torch.zeros(5, 2, 2), "targets": torch.tensor([0, 1])},
            clauses=("MSE-COUNT-2",),
            flags=("no_spikes",),
            comment="no spikes: the on target is missed by T",
        ),
    ]
    return out
