"""The golden cases of ``ce_temporal_loss``."""

from __future__ import annotations

import torch

from .base import F64, REDUCTIONS, Case, labels, record_with, spikes, weight

OP = "ce_temporal_loss"


def cases() -> list[Case]:
    op = OP
    x, y = spikes(6, 3, 4, 0.25, seed="cet"), labels(3, 4, "cet")
    out = []
    for inverse in ("negate", "reciprocal"):
        for reduction in REDUCTIONS:
            out.append(
                Case(
                    op=op,
                    params={"inverse": inverse, "reduction": reduction},
                    inputs={"spk_rec": x, "targets": y},
                    clauses=("TMP-CE-1", "TMP-CE-2", "ST-FIRST-1", "ST-FIRST-2", "SHARED-8", "SHARED-14"),
                    comment=f"logits {'-t' if inverse == 'negate' else '1/(t+1)'}; reduction={reduction}",
                )
            )
            out.append(
                Case(
                    op=op,
                    params={"inverse": inverse, "reduction": reduction, "weight": weight(4, seed=reduction)},
                    inputs={"spk_rec": x, "targets": y},
                    clauses=("TMP-CE-2", "SHARED-4"),
                    flags=("weighted",),
                    comment=f"torch's weighted reduction (mean divides by the sum of weights); reduction={reduction}",
                )
            )
    out += [
        Case(
            op=op,
            params={},
            inputs={"spk_rec": record_with(5, 2, 3, {(0, 0): [4], (1, 1): [2]}), "targets": torch.tensor([0, 1])},
            clauses=("TMP-CE-1", "ST-FIRST-1"),
            flags=("silent_neurons",),
            comment="a silent neuron looks like a spike at T-1",
        ),
        Case(
            op=op,
            params={"inverse": "reciprocal"},
            inputs={"spk_rec": torch.zeros(4, 2, 3), "targets": torch.tensor([0, 2])},
            clauses=("TMP-CE-1",),
            flags=("no_spikes",),
            comment="no spikes: every time is T-1",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_rec": torch.ones(4, 2, 3), "targets": torch.tensor([0, 2])},
            clauses=("TMP-CE-1",),
            flags=("all_spikes",),
            comment="all spikes: every time is 0",
        ),
        Case(
            op=op,
            params={"inverse": "Negate"},
            inputs={"spk_rec": x, "targets": y},
            clauses=("TMP-CE-3", "SHARED-12"),
            flags=("invalid",),
            comment="inverse is case-sensitive",
        ),
        Case(
            op=op,
            params={},
            inputs={"spk_rec": x, "targets": torch.tensor([0, 4, 1])},
            clauses=("SHARED-2", "SHARED-12"),
            flags=("invalid",),
            comment="a label equal to N",
        ),
        Case(
            op=op,
            params={"reduction": "none"},
            inputs={"spk_rec": spikes(5, 2, 3, 0.4, F64, "d"), "targets": torch.tensor([1, 0])},
            clauses=("SHARED-6",),
            flags=("float64",),
            comment="a float64 record",
        ),
    ]
    for entries in (5, 3):  # N = 4 classes: one weight too many, one too few
        out.append(
            Case(
                op=op,
                params={"weight": weight(entries, seed=("count", entries))},
                inputs={"spk_rec": spikes(4, 2, 4, 0.3, seed="wcount"), "targets": torch.tensor([3, 0])},
                clauses=("TMP-CE-2", "SHARED-4", "SHARED-12"),
                flags=("invalid", "weighted"),
                comment=f"a weight with {entries} entries for 4 classes",
            )
        )
    return out
