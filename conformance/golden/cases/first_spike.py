"""The golden cases of ``first_spike``."""

from __future__ import annotations

import torch

from .base import F16, Case, record_with, spikes

OP = "first_spike"


def cases() -> list[Case]:
    op = OP
    base = ("ST-FIRST-1", "ST-FIRST-2")
    return [
        Case(
            op=op,
            params={},
            inputs={"spk_rec": spikes(6, 3, 4, 0.2, seed="fs")},
            clauses=(*base, "SHARED-14"),
            flags=(),
            comment="a random record [T, B, N]",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_rec": record_with(5, 1, 4, {(0, 0): [0], (0, 1): [2, 4], (0, 2): [4]})},
            clauses=base,
            flags=("silent_neurons",),
            comment="first spikes at 0, 2, 4 and a silent neuron at T-1 = 4",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_rec": torch.ones(3, 2, 2)},
            clauses=base,
            flags=("all_spikes",),
            comment="every neuron at step 0",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_rec": torch.zeros(3, 2, 2)},
            clauses=base,
            flags=("no_spikes",),
            comment="every neuron silent: T-1",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_rec": torch.ones(1, 1, 1)},
            clauses=base,
            flags=("t1", "b1", "n1"),
            comment="T = 1",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_rec": spikes(5, 4, 1, 0.3, seed="r2").reshape(5, 4)},
            clauses=("ST-1", *base, "LB-14"),
            flags=(),
            comment="a record [T, N] (rank 2; upstream's backward raises)",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_rec": torch.tensor([0.0, 0.0, 1.0, 0.0, 1.0])},
            clauses=("ST-1", *base, "LB-14"),
            flags=(),
            comment="a record [T] of one position (rank 1, the smallest ST-1 allows): time 2",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_rec": torch.tensor(1.0)},
            clauses=("ST-1", "SHARED-12"),
            flags=("invalid",),
            comment="a 0-d record has no time axis",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_rec": spikes(4, 1, 2, 0.4, seed="r4").reshape(4, 1, 1, 2)},
            clauses=("ST-1", *base, "LB-14"),
            flags=(),
            comment="a record of rank 4: each position gets its own surrogate",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_rec": spikes(6, 2, 3, 0.3, F16, "h")},
            clauses=("SHARED-6", *base),
            flags=("half_precision",),
            comment="float16",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_rec": torch.zeros(0, 2, 3)},
            clauses=("ST-1", "SHARED-12"),
            flags=("invalid",),
            comment="a record without time steps",
        ),
    ]
