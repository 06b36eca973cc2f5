"""The golden cases of ``multi_spike``."""

from __future__ import annotations

from .base import Case, record_with, spikes

OP = "multi_spike"


def cases() -> list[Case]:
    op = OP
    both = record_with(6, 1, 2, {(0, 0): [0, 2], (0, 1): [2, 4]})
    coupled = record_with(6, 2, 1, {(0, 0): [1, 3], (1, 0): [3, 5]})
    return [
        Case(
            op=op,
            params={"spk_count": 2},
            inputs={"spk_rec": both},
            clauses=("ST-MULTI-1", "ST-MULTI-2", "SHARED-14", "LB-9"),
            flags=("multi_spike",),
            comment="neurons spiking at (0, 2) and (2, 4): true second spikes 2 and 4 (upstream: 5 and 4)",
        ),
        Case(
            op=op,
            params={"spk_count": 2},
            inputs={"spk_rec": coupled},
            clauses=("ST-MULTI-1", "LB-9"),
            flags=("multi_spike",),
            comment="samples do not interact (upstream loses sample 0's spike at 3)",
        ),
        Case(
            op=op,
            params={"spk_count": 1},
            inputs={"spk_rec": spikes(5, 2, 3, seed="f1")},
            clauses=("ST-MULTI-1", "ST-MULTI-2"),
            flags=("multi_spike",),
            comment="F = 1 equals the first spike",
        ),
        Case(
            op=op,
            params={"spk_count": 3},
            inputs={"spk_rec": record_with(4, 1, 2, {(0, 0): [1]})},
            clauses=("ST-MULTI-1", "ST-MULTI-2", "LB-9"),
            flags=("multi_spike", "multi_spike_fewer_than_f", "silent_neurons"),
            comment="fewer spikes than F: missing ones at T-1; gradients landing on the same step add up",
        ),
        Case(
            op=op,
            params={"spk_count": 3},
            inputs={"spk_rec": spikes(6, 2, 3, 0.4, seed="f3")},
            clauses=("ST-MULTI-1", "ST-MULTI-2", "LB-9"),
            flags=("multi_spike",),
            comment="a random record",
        ),
        Case(
            op=op,
            params={"spk_count": 0},
            inputs={"spk_rec": both},
            clauses=("ST-MULTI-1", "SHARED-12"),
            flags=("invalid",),
            comment="F must be positive",
        ),
    ]
