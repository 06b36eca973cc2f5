"""The golden cases of ``tolerance``."""

from __future__ import annotations

import torch

from .base import Case, spikes

OP = "tolerance"


def cases() -> list[Case]:
    op = OP
    times = torch.tensor([[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]])
    target = torch.full((1, 6), 2.0)
    out = [
        Case(
            op=op,
            params={"tolerance": tol},
            inputs={"spk_time": times, "target": target},
            clauses=("ST-TOL-1", "ST-TOL-2", "SHARED-14", *extra),
            flags=flags,
            comment=why,
        )
        for tol, extra, flags, why in (
            (2, (), ("tolerance_boundary",), "strict: differences of exactly 2 are not snapped"),
            (1, ("ST-TOL-3",), ("tolerance_boundary",), "tolerance 1 changes no integer time"),
            (2.5, (), (), "tolerance 2.5 snaps differences up to 2"),
            (0, ("ST-TOL-3",), (), "tolerance 0 changes nothing"),
        )
    ]
    out.append(
        Case(
            op=op,
            params={"tolerance": 3},
            inputs={
                "spk_time": spikes(4, 3, 1, seed="tr").reshape(3, 4) * 4,
                "target": torch.tensor([1.0, 2.0, 3.0, 0.0]),
            },
            clauses=("ST-TOL-1", "ST-TOL-2"),
            flags=(),
            comment="targets broadcast along the batch",
        )
    )
    out.append(
        Case(
            op=op,
            params={"tolerance": 2},
            inputs={"spk_time": times.half(), "target": target},
            clauses=("ST-TOL-1", "ST-TOL-2", "SHARED-6", "LB-15"),
            flags=("half_precision",),
            comment="float16 spike times, float32 targets: the result is float16 (upstream raises in index_put)",
        )
    )
    return out
