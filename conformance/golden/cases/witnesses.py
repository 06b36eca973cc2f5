"""Each legacy behaviour witnessed under every reduction it affects, weighted and unweighted.

A port of the ``snntorch-1.0`` profile that gets an LB right under ``'mean'`` can still get it wrong
under ``'sum'`` or with a weight, where upstream takes another path (LB-4, LB-5). A :class:`Sweep`
is one input shown under several ``(reduction, weighted)`` situations; every row writes out the
clause and LB ids of its case. The coverage matrix (``docs/coverage.md``) counts the witnesses per
LB and situation and gives the reason where an LB cannot arise.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .base import BF16, F32, Case, membrane, spikes, weight

Row = tuple[str, bool, tuple[str, ...]]  # (reduction, weighted, the case's clause and LB ids)


@dataclass(frozen=True, kw_only=True)
class Sweep:
    """One input under several reductions, with and without a per-class weight of ``classes`` entries."""

    op: str
    what: str
    params: dict
    inputs: dict
    rows: tuple[Row, ...]
    classes: int = 3
    weight_dtype: torch.dtype = F32
    flags: tuple[str, ...] = ()
    may_modify: tuple[str, ...] = ()

    def cases(self) -> list[Case]:
        return [
            Case(
                op=self.op,
                params={
                    **self.params,
                    "reduction": reduction,
                    **(
                        {"weight": weight(self.classes, self.weight_dtype, seed=(self.what, reduction))}
                        if weighted
                        else {}
                    ),
                },
                inputs=self.inputs,
                clauses=clauses,
                flags=(*self.flags, *(("weighted",) if weighted else ())),
                comment=f"{self.what}; reduction={reduction}, {'weighted' if weighted else 'unweighted'}",
                may_modify=self.may_modify,
            )
            for reduction, weighted, clauses in self.rows
        ]


def _time_steps_record() -> torch.Tensor:
    """``[T = 257, B = 3, N = 3]`` bfloat16: neuron 2 never fires, so its time T - 1 = 256 is LB-18's trap."""
    record = torch.zeros(257, 3, 3, dtype=BF16)
    record[3, :, 0] = 1
    record[200, :, 1] = 1
    return record


SWEEPS = (
    Sweep(
        op="ce_rate_loss",
        what="LB-7: population code, C = 2 blocks of 2",
        params={"population_code": True, "num_classes": 2},
        inputs={"spk_out": spikes(2, 3, 4, 0.4, seed="lb7"), "targets": torch.tensor([1, 0, 1])},
        classes=2,
        flags=("population_code",),
        rows=(
            ("mean", False, ("CE-RATE-2", "SHARED-5", "SHARED-9", "LB-7")),
            ("sum", False, ("CE-RATE-2", "SHARED-5", "SHARED-9", "LB-7")),
            ("sum", True, ("CE-RATE-2", "SHARED-4", "SHARED-5", "SHARED-9", "LB-5", "LB-7")),
            ("none", True, ("CE-RATE-2", "CE-RATE-3", "SHARED-4", "SHARED-9", "LB-7")),
        ),
    ),
    Sweep(
        op="mse_membrane_loss",
        what="LB-8: time_var_targets with labels [T, B]",
        params={"time_var_targets": True},
        inputs={
            "mem_out": membrane(4, 3, 3, seed="lb8"),
            "targets": torch.tensor([[0, 1, 2], [2, 2, 0], [1, 0, 0], [0, 2, 1]]),
        },
        flags=("time_varying_targets",),
        rows=(
            ("sum", False, ("MSE-MEM-2", "SHARED-5", "LB-8")),
            ("sum", True, ("MSE-MEM-2", "MSE-MEM-3", "SHARED-5", "LB-8")),
            ("none", True, ("MSE-MEM-2", "MSE-MEM-3", "MSE-MEM-4", "LB-8")),
        ),
    ),
    Sweep(
        op="mse_temporal_loss",
        what="LB-9: two target spikes per neuron",
        params={"multi_spike": True, "on_target": [0, 2], "off_target": [3, 5]},
        inputs={"spk_rec": spikes(6, 3, 3, 0.4, seed="lb9"), "targets": torch.tensor([2, 0, 1])},
        flags=("multi_spike",),
        rows=(
            ("mean", False, ("TMP-MSE-1", "ST-MULTI-1", "ST-MULTI-2", "ST-TGT-2", "LB-9")),
            ("mean", True, ("TMP-MSE-1", "TMP-MSE-2", "ST-MULTI-1", "ST-TGT-2", "SHARED-4", "LB-4", "LB-9")),
            ("sum", True, ("TMP-MSE-1", "TMP-MSE-2", "ST-MULTI-1", "ST-TGT-2", "SHARED-4", "LB-4", "LB-5", "LB-9")),
            ("none", True, ("TMP-MSE-2", "TMP-MSE-3", "ST-MULTI-1", "ST-TGT-2", "SHARED-4", "LB-4", "LB-9")),
        ),
    ),
    Sweep(
        op="mse_temporal_loss",
        what="LB-10: explicit target times, some negative",
        params={"target_is_time": True},
        inputs={"spk_rec": spikes(6, 2, 3, seed="lb10"), "targets": torch.tensor([[0.0, -1.0, 2.0], [5.0, 1.0, -3.0]])},
        flags=("time_targets", "negative_target_time"),
        may_modify=("targets",),
        rows=(("sum", False, ("ST-TGT-3", "ST-TGT-4", "SHARED-5", "SHARED-8", "LB-10")),),
    ),
    Sweep(
        op="mse_temporal_loss",
        what="LB-11: weight with explicit target times",
        params={"target_is_time": True},
        inputs={"spk_rec": spikes(6, 3, 3, seed="lb11"), "targets": torch.tensor([[0, 2, 1], [1, 0, 2], [2, 1, 0]])},
        classes=6,
        flags=("time_targets", "invalid"),
        rows=(
            ("sum", True, ("TMP-MSE-2", "SHARED-12", "LB-4", "LB-5", "LB-11")),
            ("none", True, ("TMP-MSE-2", "SHARED-12", "LB-4", "LB-11")),
        ),
    ),
    Sweep(
        op="mse_count_loss",
        what="LB-12: float labels",
        params={},
        inputs={"spk_out": spikes(3, 3, 3, seed="lb12"), "targets": torch.tensor([0.0, 2.0, 1.0])},
        flags=("invalid",),
        rows=(
            ("sum", False, ("SHARED-2", "SHARED-12", "LB-12")),
            ("none", False, ("SHARED-2", "SHARED-12", "LB-12")),
        ),
    ),
    Sweep(
        op="mse_count_loss",
        what="LB-13: an empty batch",
        params={},
        inputs={"spk_out": torch.zeros(3, 0, 3), "targets": torch.zeros(0, dtype=torch.int64)},
        flags=("empty_batch",),
        rows=(
            ("mean", True, ("SHARED-11", "SHARED-4", "LB-13")),
            ("sum", True, ("SHARED-11", "SHARED-4", "LB-13")),
            ("none", True, ("SHARED-11", "SHARED-4", "MSE-COUNT-4", "LB-13")),
        ),
    ),
    Sweep(
        op="ce_count_loss",
        what="LB-15: a float64 weight beside a float32 record",
        params={},
        inputs={"spk_out": spikes(4, 3, 3, seed="lb15"), "targets": torch.tensor([1, 2, 0])},
        weight_dtype=torch.float64,
        rows=(
            ("sum", True, ("CE-COUNT-1", "SHARED-4", "SHARED-5", "LB-15")),
            ("none", True, ("CE-COUNT-1", "CE-COUNT-3", "SHARED-4", "LB-15")),
        ),
    ),
    Sweep(
        op="ce_count_loss",
        what="LB-16: int32 labels",
        params={},
        inputs={"spk_out": spikes(4, 3, 3, seed="lb16"), "targets": torch.tensor([1, 2, 0], dtype=torch.int32)},
        rows=(
            ("mean", True, ("CE-COUNT-1", "SHARED-2", "SHARED-4", "LB-16")),
            ("sum", False, ("CE-COUNT-1", "SHARED-2", "SHARED-5", "LB-16")),
            ("sum", True, ("CE-COUNT-1", "SHARED-2", "SHARED-4", "SHARED-5", "LB-16")),
            ("none", False, ("CE-COUNT-1", "CE-COUNT-3", "SHARED-2", "LB-16")),
            ("none", True, ("CE-COUNT-1", "CE-COUNT-3", "SHARED-2", "SHARED-4", "LB-16")),
        ),
    ),
    Sweep(
        op="mse_count_loss",
        what="LB-17: a label out of range",
        params={},
        inputs={"spk_out": spikes(3, 3, 3, seed="lb17"), "targets": torch.tensor([0, 3, 1])},
        flags=("invalid",),
        rows=(
            ("sum", False, ("SHARED-2", "SHARED-12", "LB-17")),
            ("sum", True, ("SHARED-2", "SHARED-12", "LB-17")),
            ("none", False, ("SHARED-2", "SHARED-12", "LB-17")),
            ("none", True, ("SHARED-2", "SHARED-12", "LB-17")),
        ),
    ),
    Sweep(
        op="mse_temporal_loss",
        what="LB-18: bfloat16, T = 257, a silent neuron (time 256)",
        params={"on_target": 0, "off_target": 256},
        inputs={"spk_rec": _time_steps_record(), "targets": torch.tensor([0, 1, 2])},
        weight_dtype=BF16,
        flags=("half_precision", "silent_neurons"),
        rows=(  # upstream also returns float32 (LB-2) and its label target times are float32 (LB-1)
            ("mean", False, ("TMP-MSE-1", "ST-FIRST-1", "ST-FIRST-2", "SHARED-6", "LB-1", "LB-2", "LB-18")),
            ("mean", True, ("TMP-MSE-2", "ST-FIRST-1", "SHARED-4", "SHARED-6", "LB-1", "LB-2", "LB-4", "LB-18")),
            ("sum", False, ("TMP-MSE-1", "ST-FIRST-1", "ST-FIRST-2", "SHARED-5", "LB-1", "LB-2", "LB-18")),
            ("sum", True, ("TMP-MSE-2", "ST-FIRST-1", "SHARED-4", "SHARED-5", "LB-1", "LB-2", "LB-4", "LB-5", "LB-18")),
            ("none", False, ("TMP-MSE-3", "ST-FIRST-1", "ST-FIRST-2", "SHARED-6", "LB-1", "LB-2", "LB-18")),
            ("none", True, ("TMP-MSE-2", "TMP-MSE-3", "ST-FIRST-1", "SHARED-4", "LB-1", "LB-2", "LB-4", "LB-18")),
        ),
    ),
)


def witnesses(op: str) -> list[Case]:
    """The reduction sweeps of ``op``."""
    return [case for sweep in SWEEPS if sweep.op == op for case in sweep.cases()]


__all__ = ["SWEEPS", "Sweep", "witnesses"]
