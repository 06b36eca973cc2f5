"""The golden cases of ``mse_membrane_loss``."""

from __future__ import annotations

import torch

from .base import Case, gen, membrane, membrane_input, weight
from .shared import LossClauses, loss_cases

OP = "mse_membrane_loss"
SHARED = LossClauses(
    every=("MSE-MEM-1", "LB-2"),
    unreduced=("MSE-MEM-4",),
    one_element=("LB-3",),
    weighted=("LB-4", "MSE-MEM-3"),
    weighted_sum=("LB-5",),
)  # the ids it adds to the shared loss cases


def cases() -> list[Case]:
    op = OP
    out = loss_cases(op, "mem_out", membrane_input, SHARED)
    x = membrane(3, 2, 4, seed="tv")
    y_steps = torch.randint(0, 4, (3, 2), generator=gen("tv"))
    for on, off, clauses in (
        (1, -1, ("SHARED-10", "LB-1")),
        (-1, 1, ("SHARED-10",)),
        (0.5, -0.5, ("SHARED-10", "LB-1")),
        (1.25, 0.5, ("SHARED-10",)),
    ):
        out.append(
            Case(
                op=op,
                params={"on_target": on, "off_target": off, "reduction": "none"},
                inputs={"mem_out": membrane(3, 2, 3, seed=(on, off)), "targets": torch.tensor([2, 0])},
                clauses=("MSE-MEM-1", "LB-2", *clauses),
                flags=(),
                comment=f"on {on}, off {off} used literally",
            )
        )
    out += [
        Case(
            op=op,
            params={"time_var_targets": True, "reduction": "none"},
            inputs={"mem_out": x, "targets": y_steps},
            clauses=("MSE-MEM-2", "MSE-MEM-4", "LB-8"),
            flags=("time_varying_targets",),
            comment="labels [T, B]: one class per step and sample",
        ),
        Case(
            op=op,
            params={"time_var_targets": True, "weight": weight(4, seed="tvw")},
            inputs={"mem_out": x, "targets": y_steps},
            clauses=("MSE-MEM-2", "MSE-MEM-3", "LB-8"),
            flags=("time_varying_targets", "weighted"),
            comment="per-step weights weight[y[t, b]]",
        ),
        Case(
            op=op,
            params={"time_var_targets": True},
            inputs={"mem_out": membrane(3, 3, 4, seed="tvb"), "targets": torch.tensor([0, 1, 2])},
            clauses=("MSE-MEM-2", "SHARED-12", "LB-8"),
            flags=("invalid", "time_varying_targets"),
            comment="labels [B] with time_var_targets are rejected (upstream uses sample t's target at step t)",
        ),
    ]
    return out
