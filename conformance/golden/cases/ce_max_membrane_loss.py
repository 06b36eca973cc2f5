"""The golden cases of ``ce_max_membrane_loss``."""

from __future__ import annotations

import torch

from .base import Case, labels, membrane, membrane_input, spikes
from .shared import LossClauses, loss_cases

OP = "ce_max_membrane_loss"
SHARED = LossClauses(every=("CE-MAX-1",), unreduced=("CE-MAX-3",))  # the ids it adds to the shared loss cases


def cases() -> list[Case]:
    op = OP
    out = loss_cases(op, "mem_out", membrane_input, SHARED)
    tie = torch.zeros(3, 1, 3)
    tie[1, 0, 0] = tie[2, 0, 0] = 1.0
    out += [
        Case(
            op=op,
            params={},
            inputs={"mem_out": tie, "targets": torch.tensor([1])},
            clauses=("CE-MAX-2",),
            flags=("tie",),
            comment="neuron 0 peaks at steps 1 and 2, neurons 1 and 2 are flat: gradients go to steps 1, 0, 0",
        ),
        Case(
            op=op,
            params={"reduction": "none"},
            inputs={"mem_out": spikes(6, 3, 4, 0.5, seed="tie"), "targets": labels(3, 4, "tie")},
            clauses=("CE-MAX-1", "CE-MAX-2"),
            flags=("tie",),
            comment="binary membranes: almost every maximum is tied",
        ),
        Case(
            op=op,
            params={},
            inputs={"mem_out": membrane(5, 2, 3, seed="neg") - 5, "targets": torch.tensor([0, 2])},
            clauses=("CE-MAX-1",),
            flags=(),
            comment="all potentials negative",
        ),
    ]
    return out
