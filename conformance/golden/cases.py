"""The golden cases: which inputs and parameters each op is checked on, and why.

Only inputs live here; expected values come from running the reference
(:mod:`conformance.golden.generate`). Inputs are exact in every dtype a case is
meant for: spikes are 0/1, membrane values are multiples of 1/16 in [-4, 4],
weights multiples of 1/8 in [0.25, 2].
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import torch

F16, BF16, F32, F64 = torch.float16, torch.bfloat16, torch.float32, torch.float64


@dataclass
class Case:
    op: str
    params: dict
    inputs: dict
    clauses: tuple[str, ...]
    flags: tuple[str, ...] = ()
    comment: str = ""
    tolerance: dict | None = None
    may_modify: tuple[str, ...] = ()  # inputs snntorch-1.0 may rewrite in place (LB-10)


def _gen(*key: object) -> torch.Generator:
    return torch.Generator().manual_seed(zlib.crc32(repr(key).encode()))


def spikes(T: int, B: int, N: int, rate: float = 0.3, dtype=F32, seed: object = 0) -> torch.Tensor:
    return (torch.rand(T, B, N, generator=_gen("spikes", T, B, N, rate, seed)) < rate).to(dtype)


def membrane(T: int, B: int, N: int, dtype=F32, seed: object = 0) -> torch.Tensor:
    return (torch.randint(-64, 65, (T, B, N), generator=_gen("membrane", T, B, N, seed)) / 16).to(dtype)


def labels(B: int, K: int, seed: object = 0) -> torch.Tensor:
    return torch.randint(0, K, (B,), generator=_gen("labels", B, K, seed))


def weight(K: int, dtype=F32, seed: object = 0) -> torch.Tensor:
    return (torch.randint(2, 17, (K,), generator=_gen("weight", K, seed)) / 8).to(dtype)


def target_only(T: int, y: torch.Tensor, N: int, dtype=F32) -> torch.Tensor:
    """Only the labelled neuron of each sample fires, at every step."""
    return torch.nn.functional.one_hot(y, N).to(dtype).expand(T, -1, -1).clone()


REDUCTIONS = ("mean", "sum", "none")
HALF_TOLERANCE = {
    "rtol": 2e-2,
    "atol": 2e-2,
    "reason": "bfloat16 keeps 8 significant bits; an implementation that accumulates in bfloat16 "
    "rather than float32 differs by a few units in the last place",
}


def _loss_cases(op: str, record: str, make) -> list[Case]:
    """Cases every rate/membrane loss shares: reductions, weights, shapes, dtypes, invalid arguments."""
    out = []
    for reduction in REDUCTIONS:
        x, y = make(3, 2, 4, F32, reduction), labels(2, 4, reduction)
        out.append(
            Case(
                op,
                {"reduction": reduction},
                {record: x, "targets": y},
                ("SHARED-5", "SHARED-13", "SHARED-8", "SHARED-7"),
                comment=f"T, B, N all different; reduction={reduction}",
            )
        )
        w = weight(4, seed=reduction)
        out.append(
            Case(
                op,
                {"reduction": reduction, "weight": w},
                {record: x, "targets": y},
                ("SHARED-4", "SHARED-5", "LB-5"),
                ("weighted",),
                f"non-uniform class weights; reduction={reduction}",
            )
        )
    out.append(
        Case(
            op,
            {},
            {record: make(3, 3, 3, F32, "sq"), "targets": labels(3, 3, "sq")},
            ("SHARED-5",),
            ("square",),
            "T = B = N",
        )
    )
    out.append(
        Case(
            op,
            {"reduction": "none"},
            {record: make(1, 1, 1, F32, "one"), "targets": torch.tensor([0])},
            ("SHARED-1",),
            ("t1", "b1", "n1"),
            "one step, one sample, one output",
        )
    )
    out.append(
        Case(
            op,
            {},
            {record: make(5, 1, 4, F32, "b1"), "targets": torch.tensor([3])},
            ("SHARED-5",),
            ("b1",),
            "a single sample",
        )
    )
    for dtype, flags, tol in (
        (F64, ("float64",), None),
        (F16, ("half_precision",), None),
        (BF16, ("half_precision",), HALF_TOLERANCE),
    ):
        out.append(
            Case(
                op,
                {},
                {record: make(4, 2, 3, dtype, str(dtype)), "targets": labels(2, 3, str(dtype))},
                ("SHARED-6",),
                flags,
                f"{str(dtype)[6:]} record: the result keeps its dtype",
                tol,
            )
        )
    out.append(
        Case(
            op,
            {"reduction": "avg"},
            {record: make(2, 2, 3, F32, "bad"), "targets": torch.tensor([0, 1])},
            ("SHARED-3", "SHARED-12"),
            ("invalid",),
            "an unknown reduction is rejected at construction",
        )
    )
    out.append(
        Case(
            op,
            {"reduction": "avg", "weight": weight(3)},
            {record: make(2, 2, 3, F32, "bad"), "targets": torch.tensor([0, 1])},
            ("SHARED-3", "LB-6"),
            ("invalid", "weighted"),
            "with weight, upstream accepts any reduction",
        )
    )
    for bad, why in ((torch.tensor([0, 3]), "a label equal to N"), (torch.tensor([-1, 0]), "a negative label")):
        out.append(
            Case(
                op,
                {},
                {record: make(2, 2, 3, F32, "lbl"), "targets": bad},
                ("SHARED-2", "SHARED-12"),
                ("invalid",),
                f"{why} is out of range",
            )
        )
    out.append(
        Case(
            op,
            {},
            {record: make(2, 2, 3, F32, "lbl"), "targets": torch.tensor([0, 1], dtype=torch.int32)},
            ("SHARED-2", "LB-16"),
            (),
            "int32 labels are accepted",
        )
    )
    out.append(
        Case(
            op,
            {"weight": weight(4)},
            {record: make(2, 2, 3, F32, "w"), "targets": torch.tensor([0, 1])},
            ("SHARED-4", "SHARED-12"),
            ("invalid", "weighted"),
            "a weight with N+1 entries",
        )
    )
    out.append(
        Case(
            op,
            {},
            {record: torch.zeros(0, 2, 3), "targets": torch.tensor([0, 1])},
            ("SHARED-1", "SHARED-12", "LB-13"),
            ("invalid",),
            "T = 0 is rejected (upstream returns a degenerate value)",
        )
    )
    for reduction in REDUCTIONS:
        out.append(
            Case(
                op,
                {"reduction": reduction},
                {record: torch.zeros(3, 0, 4), "targets": torch.zeros(0, dtype=torch.long)},
                ("SHARED-11", "LB-13"),
                ("empty_batch",),
                f"an empty batch with reduction={reduction}",
            )
        )
    return out


def _membrane_input(T, B, N, dtype, seed):
    return membrane(T, B, N, dtype, seed)


def _spike_input(T, B, N, dtype, seed):
    return spikes(T, B, N, 0.4, dtype, seed)


def ce_rate_loss() -> list[Case]:
    op = "ce_rate_loss"
    out = _loss_cases(op, "spk_out", _membrane_input)
    for case in out:
        if (
            case.params.get("reduction", "mean") in ("mean", "sum")
            and "weight" not in case.params
            and "invalid" not in case.flags
        ):
            case.clauses += ("CE-RATE-1", "LB-3", "LB-2")
        else:
            case.clauses += ("CE-RATE-1", "CE-RATE-3", "LB-2")
    x, y = spikes(3, 2, 6, 0.4, seed="pop"), torch.tensor([1, 0])
    out += [
        Case(
            op,
            {"population_code": True, "num_classes": 2, "weight": torch.tensor([0.5, 2.0])},
            {"spk_out": x, "targets": y},
            ("CE-RATE-2", "SHARED-9", "LB-7"),
            ("population_code", "weighted"),
            "blocks of 3 neurons pooled per step",
        ),
        Case(
            op,
            {"population_code": True, "num_classes": 3, "reduction": "none"},
            {"spk_out": x, "targets": torch.tensor([2, 0])},
            ("CE-RATE-2", "SHARED-9", "LB-7"),
            ("population_code",),
            "population code without weight (upstream raises)",
        ),
        Case(
            op,
            {"population_code": True, "num_classes": 4},
            {"spk_out": x, "targets": y},
            ("SHARED-9", "SHARED-12"),
            ("invalid", "population_code"),
            "num_classes does not divide N",
        ),
        Case(
            op,
            {"population_code": True, "num_classes": 2, "weight": torch.tensor([1.0, 2.0], dtype=F64)},
            {"spk_out": x.double(), "targets": y},
            ("CE-RATE-2", "SHARED-6", "LB-15"),
            ("population_code", "float64"),
            "a float64 population code (upstream raises)",
        ),
        Case(
            op,
            {},
            {"spk_out": torch.zeros(5, 2, 3), "targets": torch.tensor([0, 2])},
            ("CE-RATE-1", "LB-3"),
            ("no_spikes",),
            "no spikes: uniform softmax at every step",
        ),
        Case(
            op,
            {},
            {"spk_out": torch.ones(5, 2, 3), "targets": torch.tensor([0, 2])},
            ("CE-RATE-1", "LB-3"),
            ("all_spikes",),
            "all spikes: uniform softmax at every step",
        ),
        Case(
            op,
            {"reduction": "none"},
            {"spk_out": target_only(1000, torch.tensor([1]), 2), "targets": torch.tensor([1])},
            ("CE-RATE-1", "CE-RATE-3"),
            ("large_count", "only_target_fires"),
            "T = 1000: the mean over steps of one small loss",
        ),
    ]
    return out


def ce_count_loss() -> list[Case]:
    op = "ce_count_loss"
    out = _loss_cases(op, "spk_out", _spike_input)
    for case in out:
        case.clauses += ("CE-COUNT-1",) if case.params.get("reduction") != "none" else ("CE-COUNT-1", "CE-COUNT-3")
    x = spikes(4, 3, 6, 0.5, seed="pop")
    y = torch.tensor([2, 0, 1])
    out += [
        Case(
            op,
            {"population_code": True, "num_classes": 3},
            {"spk_out": x, "targets": y},
            ("CE-COUNT-2", "SHARED-9"),
            ("population_code",),
            "blocks of 2 neurons summed over neurons and time",
        ),
        Case(
            op,
            {"population_code": True, "num_classes": 3, "reduction": "none", "weight": torch.tensor([0.5, 1.0, 2.0])},
            {"spk_out": x, "targets": y},
            ("CE-COUNT-2", "CE-COUNT-3", "SHARED-9", "SHARED-4"),
            ("population_code", "weighted"),
            "weight has C entries",
        ),
        Case(
            op,
            {"population_code": True, "num_classes": 3},
            {"spk_out": x.double(), "targets": y},
            ("CE-COUNT-2", "SHARED-6", "LB-2"),
            ("population_code", "float64"),
            "upstream pools in float32",
        ),
        Case(
            op,
            {"population_code": True, "num_classes": 6},
            {"spk_out": x, "targets": torch.tensor([5, 0, 3])},
            ("CE-COUNT-2", "SHARED-9"),
            ("population_code",),
            "C = N: one neuron per class",
        ),
        Case(
            op,
            {},
            {"spk_out": torch.zeros(4, 2, 3), "targets": torch.tensor([1, 2])},
            ("CE-COUNT-1",),
            ("no_spikes",),
            "no spikes: loss ln(N)",
        ),
        Case(
            op,
            {},
            {"spk_out": torch.ones(4, 2, 3), "targets": torch.tensor([1, 2])},
            ("CE-COUNT-1",),
            ("all_spikes",),
            "all spikes: loss ln(N)",
        ),
        Case(
            op,
            {"reduction": "none"},
            {"spk_out": target_only(1000, torch.tensor([0, 1]), 3), "targets": torch.tensor([0, 1])},
            ("CE-COUNT-1", "CE-COUNT-3"),
            ("large_count", "only_target_fires"),
            "counts of 1000: exp(1000) overflows a naive softmax; the loss is about exp(-1000)",
        ),
        Case(
            op,
            {"reduction": "none"},
            {"spk_out": target_only(1000, torch.tensor([0, 1]), 3), "targets": torch.tensor([2, 2])},
            ("CE-COUNT-1", "CE-COUNT-3"),
            ("large_count",),
            "counts of 1000 against the wrong class: loss 1000",
        ),
        Case(
            op,
            {},
            {"spk_out": torch.zeros(3, 2, 3, dtype=torch.long), "targets": torch.tensor([0, 1])},
            ("SHARED-1", "SHARED-12"),
            ("invalid",),
            "an integer record is rejected",
        ),
        Case(
            op,
            {"weight": torch.ones(3, dtype=F64)},
            {"spk_out": spikes(3, 2, 3, seed="wd"), "targets": torch.tensor([0, 1])},
            ("SHARED-4", "LB-15"),
            ("weighted",),
            "a float64 weight on a float32 record (upstream raises)",
        ),
    ]
    return out


def ce_max_membrane_loss() -> list[Case]:
    op = "ce_max_membrane_loss"
    out = _loss_cases(op, "mem_out", _membrane_input)
    for case in out:
        case.clauses += ("CE-MAX-1",) if case.params.get("reduction") != "none" else ("CE-MAX-1", "CE-MAX-3")
    tie = torch.zeros(3, 1, 3)
    tie[1, 0, 0] = tie[2, 0, 0] = 1.0
    out += [
        Case(
            op,
            {},
            {"mem_out": tie, "targets": torch.tensor([1])},
            ("CE-MAX-2",),
            ("tie",),
            "neuron 0 peaks at steps 1 and 2, neurons 1 and 2 are flat: gradients go to steps 1, 0, 0",
        ),
        Case(
            op,
            {"reduction": "none"},
            {"mem_out": spikes(6, 3, 4, 0.5, seed="tie"), "targets": labels(3, 4, "tie")},
            ("CE-MAX-1", "CE-MAX-2"),
            ("tie",),
            "binary membranes: almost every maximum is tied",
        ),
        Case(
            op,
            {},
            {"mem_out": membrane(5, 2, 3, seed="neg") - 5, "targets": torch.tensor([0, 2])},
            ("CE-MAX-1",),
            (),
            "all potentials negative",
        ),
    ]
    return out


def mse_count_loss() -> list[Case]:
    op = "mse_count_loss"
    out = _loss_cases(op, "spk_out", _spike_input)
    for case in out:
        case.clauses += ("MSE-COUNT-2",) if case.params.get("reduction") != "none" else ("MSE-COUNT-2", "MSE-COUNT-4")
        if "weight" in case.params and "invalid" not in case.flags:
            case.clauses += ("LB-4",)
        if case.params.get("reduction") == "sum" and "weight" in case.params:
            case.clauses += ("LB-5",)
        if case.inputs["spk_out"].dtype in (F16, BF16):
            case.clauses += ("LB-2",)
    for T, rate, count in ((100, 0.29, 28), (100, 0.57, 56), (50, 0.58, 28)):
        x = torch.zeros(T, 1, 2)
        x[: count + 1, 0, 0] = 1
        out.append(
            Case(
                op,
                {"correct_rate": rate},
                {"spk_out": x, "targets": torch.tensor([0])},
                ("MSE-COUNT-1",),
                ("truncation_trap",),
                f"int({T} * {rate}) is {count} in binary64 (float32 would give {count + 1})",
            )
        )
    x, y = spikes(4, 3, 6, 0.5, seed="pop"), torch.tensor([0, 2, 1])
    w_square = weight(3, seed="sq")
    out += [
        Case(
            op,
            {"correct_rate": 0.75, "incorrect_rate": 0.25, "population_code": True, "num_classes": 3},
            {"spk_out": x, "targets": y},
            ("MSE-COUNT-3", "SHARED-9", "LB-2"),
            ("population_code",),
            "targets int(4 * 0.75 * 2) = 6 and int(4 * 0.25 * 2) = 2",
        ),
        Case(
            op,
            {"correct_rate": 0.8, "incorrect_rate": 0.1, "reduction": "none"},
            {"spk_out": spikes(10, 2, 3, seed="r"), "targets": torch.tensor([2, 0])},
            ("MSE-COUNT-1", "MSE-COUNT-4"),
            (),
            "rates 0.8 and 0.1 over 10 steps",
        ),
        Case(
            op,
            {"correct_rate": 1, "incorrect_rate": -0.5, "reduction": "none"},
            {"spk_out": spikes(4, 2, 3, seed="neg"), "targets": torch.tensor([0, 1])},
            ("MSE-COUNT-1", "SHARED-10", "LB-1"),
            (),
            "a negative off count (-2) is used literally; upstream clamps it to 0",
        ),
        Case(
            op,
            {"reduction": "none", "weight": w_square},
            {"spk_out": spikes(3, 3, 3, seed="wsq"), "targets": torch.tensor([0, 2, 1])},
            ("SHARED-4", "LB-4"),
            ("weighted", "square"),
            "B = N: upstream scales columns instead of rows",
        ),
        Case(
            op,
            {"reduction": "none", "weight": weight(4, seed="b1")},
            {"spk_out": spikes(3, 1, 4, seed="wb1"), "targets": torch.tensor([3])},
            ("SHARED-4", "MSE-COUNT-4"),
            ("weighted", "b1"),
            "B = 1: upstream is right here",
        ),
        Case(
            op,
            {},
            {"spk_out": spikes(3, 2, 3, seed="fl"), "targets": torch.tensor([0.0, 2.0])},
            ("SHARED-2", "LB-12"),
            ("invalid",),
            "float labels are rejected (upstream truncates them)",
        ),
        Case(
            op,
            {"reduction": "none"},
            {"spk_out": target_only(1000, torch.tensor([1]), 3), "targets": torch.tensor([1])},
            ("MSE-COUNT-1", "MSE-COUNT-2"),
            ("large_count", "only_target_fires"),
            "T = 1000 with the default rates: loss 0",
        ),
        Case(
            op,
            {},
            {"spk_out": torch.zeros(5, 2, 2), "targets": torch.tensor([0, 1])},
            ("MSE-COUNT-2",),
            ("no_spikes",),
            "no spikes: the on target is missed by T",
        ),
    ]
    return out


def mse_membrane_loss() -> list[Case]:
    op = "mse_membrane_loss"
    out = _loss_cases(op, "mem_out", _membrane_input)
    for case in out:
        case.clauses += (
            ("MSE-MEM-1", "LB-2") if case.params.get("reduction") != "none" else ("MSE-MEM-1", "MSE-MEM-4", "LB-2")
        )
        if case.params.get("reduction", "mean") != "none" and "weight" not in case.params:
            case.clauses += ("LB-3",)
        if "weight" in case.params and "invalid" not in case.flags:
            case.clauses += ("LB-4", "MSE-MEM-3")
        if case.params.get("reduction") == "sum" and "weight" in case.params:
            case.clauses += ("LB-5",)
    x = membrane(3, 2, 4, seed="tv")
    y_steps = torch.randint(0, 4, (3, 2), generator=_gen("tv"))
    for on, off, clauses in (
        (1, -1, ("SHARED-10", "LB-1")),
        (-1, 1, ("SHARED-10",)),
        (0.5, -0.5, ("SHARED-10", "LB-1")),
        (1.25, 0.5, ("SHARED-10",)),
    ):
        out.append(
            Case(
                op,
                {"on_target": on, "off_target": off, "reduction": "none"},
                {"mem_out": membrane(3, 2, 3, seed=(on, off)), "targets": torch.tensor([2, 0])},
                ("MSE-MEM-1", "LB-2", *clauses),
                (),
                f"on {on}, off {off} used literally",
            )
        )
    out += [
        Case(
            op,
            {"time_var_targets": True, "reduction": "none"},
            {"mem_out": x, "targets": y_steps},
            ("MSE-MEM-2", "MSE-MEM-4", "LB-8"),
            ("time_varying_targets",),
            "labels [T, B]: one class per step and sample",
        ),
        Case(
            op,
            {"time_var_targets": True, "weight": weight(4, seed="tvw")},
            {"mem_out": x, "targets": y_steps},
            ("MSE-MEM-2", "MSE-MEM-3", "LB-8"),
            ("time_varying_targets", "weighted"),
            "per-step weights weight[y[t, b]]",
        ),
        Case(
            op,
            {"time_var_targets": True},
            {"mem_out": membrane(3, 3, 4, seed="tvb"), "targets": torch.tensor([0, 1, 2])},
            ("MSE-MEM-2", "SHARED-12", "LB-8"),
            ("invalid", "time_varying_targets"),
            "labels [B] with time_var_targets are rejected (upstream uses sample t's target at step t)",
        ),
    ]
    return out


def _record(T: int, B: int, N: int, fires: dict) -> torch.Tensor:
    """A spike record with spikes at ``fires[(b, n)] = [t, ...]``."""
    spk = torch.zeros(T, B, N)
    for (b, n), steps in fires.items():
        spk[list(steps), b, n] = 1.0
    return spk


def mse_temporal_loss() -> list[Case]:
    op = "mse_temporal_loss"
    x, y = spikes(6, 3, 4, 0.25, seed="tmp"), labels(3, 4, "tmp")
    out = []
    for reduction in REDUCTIONS:
        clauses = (
            "TMP-MSE-1",
            "TMP-MSE-3",
            "ST-TGT-1",
            "ST-TGT-4",
            "ST-FIRST-1",
            "ST-FIRST-2",
            "SHARED-5",
            "SHARED-8",
            "LB-1",
        )
        out.append(
            Case(
                op,
                {"reduction": reduction},
                {"spk_rec": x, "targets": y},
                clauses,
                comment=f"default targets: step 0 for the label, T-1 for the others; reduction={reduction}",
            )
        )
        out.append(
            Case(
                op,
                {"reduction": reduction, "on_target": 1, "off_target": 4, "weight": weight(4, seed=reduction)},
                {"spk_rec": x, "targets": y},
                ("TMP-MSE-2", "TMP-MSE-3", "SHARED-4", "LB-4", "LB-5"),
                ("weighted",),
                f"class weights scale each sample's row; reduction={reduction}",
            )
        )
    silent = _record(5, 2, 3, {(0, 0): [1], (1, 2): [4]})
    out += [
        Case(
            op,
            {"on_target": 0, "off_target": 4},
            {"spk_rec": silent, "targets": torch.tensor([0, 2])},
            ("TMP-MSE-1", "ST-FIRST-1", "ST-FIRST-2"),
            ("silent_neurons",),
            "silent neurons count as spiking at T-1",
        ),
        Case(
            op,
            {"on_target": 2, "off_target": 5, "tolerance": 2, "reduction": "none"},
            {
                "spk_rec": _record(8, 1, 4, {(0, 0): [0], (0, 1): [3], (0, 2): [4], (0, 3): [7]}),
                "targets": torch.tensor([0]),
            },
            ("ST-TOL-1", "ST-TOL-2", "TMP-MSE-1"),
            ("tolerance_boundary",),
            "differences 2, 2, 1, 2 against tolerance 2: only the difference of 1 is snapped",
        ),
        Case(
            op,
            {"on_target": 2, "off_target": 5, "tolerance": 1, "reduction": "none"},
            {"spk_rec": _record(8, 1, 3, {(0, 0): [1], (0, 1): [6], (0, 2): [5]}), "targets": torch.tensor([0])},
            ("ST-TOL-1", "ST-TOL-3"),
            ("tolerance_boundary",),
            "tolerance 1 snaps nothing for integer times",
        ),
        Case(
            op,
            {"on_target": 1, "off_target": 3, "tolerance": -1, "reduction": "none"},
            {"spk_rec": spikes(5, 2, 3, seed="tneg"), "targets": torch.tensor([2, 1])},
            ("ST-TOL-3",),
            (),
            "a negative tolerance snaps nothing",
        ),
        Case(
            op,
            {"on_target": -7, "off_target": -1, "reduction": "none"},
            {"spk_rec": spikes(5, 2, 2, seed="neg"), "targets": torch.tensor([0, 1])},
            ("ST-TGT-4", "LB-1"),
            ("negative_target_time",),
            "-7 wraps once to -2; -1 is T-1",
        ),
        Case(
            op,
            {"on_target": -1, "off_target": 2, "reduction": "none"},
            {"spk_rec": spikes(5, 2, 3, seed="neg2"), "targets": torch.tensor([1, 2])},
            ("ST-TGT-4", "ST-TGT-1"),
            ("negative_target_time",),
            "on -1 means T-1",
        ),
        Case(
            op,
            {"multi_spike": True, "on_target": [0, 2], "off_target": [3, -1], "reduction": "none"},
            {
                "spk_rec": _record(6, 2, 2, {(0, 0): [0, 2], (0, 1): [2, 4], (1, 0): [1, 3], (1, 1): [3, 5]}),
                "targets": torch.tensor([0, 1]),
            },
            ("ST-MULTI-1", "ST-MULTI-2", "ST-TGT-2", "TMP-MSE-3", "LB-9"),
            ("multi_spike",),
            "true per-neuron second spikes; upstream zeroes whole steps",
        ),
        Case(
            op,
            {"multi_spike": True, "on_target": [1, 2, 3], "off_target": [4, 5, -1], "reduction": "sum"},
            {"spk_rec": _record(6, 1, 2, {(0, 0): [1], (0, 1): [0, 5]}), "targets": torch.tensor([0])},
            ("ST-MULTI-1", "ST-MULTI-2", "ST-TGT-2", "LB-9"),
            ("multi_spike", "multi_spike_fewer_than_f"),
            "fewer spikes than F: the missing ones sit at T-1 and their gradients add up",
        ),
        Case(
            op,
            {"target_is_time": True, "reduction": "none"},
            {"spk_rec": spikes(6, 2, 3, seed="tt"), "targets": torch.tensor([[0.0, -1.0, 2.0], [5.0, 1.0, -3.0]])},
            ("ST-TGT-3", "ST-TGT-4", "SHARED-8", "LB-10"),
            ("time_targets", "negative_target_time"),
            "explicit target times; negative ones wrap; the caller's tensor is kept",
            may_modify=("targets",),
        ),
        Case(
            op,
            {"target_is_time": True},
            {"spk_rec": spikes(6, 3, 3, seed="tb"), "targets": torch.tensor([1.0, 3.0, -1.0])},
            ("ST-TGT-3", "LB-10"),
            ("time_targets",),
            "target times [N] broadcast over the batch",
            may_modify=("targets",),
        ),
        Case(
            op,
            {"target_is_time": True, "weight": weight(6)},
            {"spk_rec": spikes(6, 1, 2, seed="tw"), "targets": torch.tensor([[0, 4]])},
            ("TMP-MSE-2", "SHARED-12", "LB-11"),
            ("invalid", "time_targets", "weighted"),
            "weight with time targets is rejected (upstream indexes the weight by the times)",
        ),
        Case(
            op,
            {"target_is_time": True},
            {"spk_rec": spikes(6, 2, 3, seed="tt"), "targets": torch.zeros(4)},
            ("ST-TGT-3", "SHARED-12"),
            ("invalid", "time_targets"),
            "target times that do not broadcast to [B, N]",
        ),
        Case(
            op,
            {"multi_spike": True, "on_target": [1, 2], "off_target": [5]},
            {"spk_rec": spikes(6, 1, 2, seed="m"), "targets": torch.tensor([0])},
            ("ST-TGT-2", "SHARED-12"),
            ("invalid", "multi_spike"),
            "on/off lengths differ",
        ),
        Case(
            op,
            {"multi_spike": True, "on_target": 1, "off_target": 5},
            {"spk_rec": spikes(6, 1, 2, seed="m"), "targets": torch.tensor([0])},
            ("ST-TGT-2", "SHARED-12"),
            ("invalid", "multi_spike"),
            "scalar targets with multi_spike",
        ),
        Case(
            op,
            {"on_target": 0, "off_target": 4},
            {"spk_rec": spikes(5, 2, 3, 0.3, F16, "h"), "targets": torch.tensor([0, 1])},
            ("SHARED-6", "LB-2"),
            ("half_precision",),
            "a float16 record",
        ),
        Case(
            op,
            {"on_target": 0, "off_target": 4, "tolerance": 2},
            {"spk_rec": spikes(5, 2, 3, 0.3, F16, "h"), "targets": torch.tensor([0, 1])},
            ("SHARED-6", "ST-TOL-1", "LB-2", "LB-15"),
            ("half_precision",),
            "float16 with tolerance (upstream raises)",
        ),
        Case(
            op,
            {"on_target": 0, "off_target": 9, "reduction": "none"},
            {"spk_rec": torch.ones(10, 2, 2), "targets": torch.tensor([0, 1])},
            ("TMP-MSE-1",),
            ("all_spikes",),
            "every neuron fires at step 0",
        ),
        Case(
            op,
            {"on_target": 0, "off_target": 0},
            {"spk_rec": torch.ones(1, 1, 1), "targets": torch.tensor([0])},
            ("TMP-MSE-1",),
            ("t1", "b1", "n1"),
            "T = 1: every time is 0",
        ),
        Case(
            op,
            {},
            {"spk_rec": torch.zeros(0, 1, 2), "targets": torch.tensor([0])},
            ("ST-1", "SHARED-1", "SHARED-12"),
            ("invalid",),
            "a record without time steps",
        ),
    ]
    return out


def ce_temporal_loss() -> list[Case]:
    op = "ce_temporal_loss"
    x, y = spikes(6, 3, 4, 0.25, seed="cet"), labels(3, 4, "cet")
    out = []
    for inverse in ("negate", "reciprocal"):
        for reduction in REDUCTIONS:
            out.append(
                Case(
                    op,
                    {"inverse": inverse, "reduction": reduction},
                    {"spk_rec": x, "targets": y},
                    ("TMP-CE-1", "TMP-CE-2", "ST-FIRST-1", "ST-FIRST-2", "SHARED-8"),
                    comment=f"logits {'-t' if inverse == 'negate' else '1/(t+1)'}; reduction={reduction}",
                )
            )
            out.append(
                Case(
                    op,
                    {"inverse": inverse, "reduction": reduction, "weight": weight(4, seed=reduction)},
                    {"spk_rec": x, "targets": y},
                    ("TMP-CE-2", "SHARED-4"),
                    ("weighted",),
                    f"torch's weighted reduction (mean divides by the sum of weights); reduction={reduction}",
                )
            )
    out += [
        Case(
            op,
            {},
            {"spk_rec": _record(5, 2, 3, {(0, 0): [4], (1, 1): [2]}), "targets": torch.tensor([0, 1])},
            ("TMP-CE-1", "ST-FIRST-1"),
            ("silent_neurons",),
            "a silent neuron looks like a spike at T-1",
        ),
        Case(
            op,
            {"inverse": "reciprocal"},
            {"spk_rec": torch.zeros(4, 2, 3), "targets": torch.tensor([0, 2])},
            ("TMP-CE-1",),
            ("no_spikes",),
            "no spikes: every time is T-1",
        ),
        Case(
            op,
            {},
            {"spk_rec": torch.ones(4, 2, 3), "targets": torch.tensor([0, 2])},
            ("TMP-CE-1",),
            ("all_spikes",),
            "all spikes: every time is 0",
        ),
        Case(
            op,
            {"inverse": "Negate"},
            {"spk_rec": x, "targets": y},
            ("TMP-CE-3", "SHARED-12"),
            ("invalid",),
            "inverse is case-sensitive",
        ),
        Case(
            op,
            {},
            {"spk_rec": x, "targets": torch.tensor([0, 4, 1])},
            ("SHARED-2", "SHARED-12"),
            ("invalid",),
            "a label equal to N",
        ),
        Case(
            op,
            {"reduction": "none"},
            {"spk_rec": spikes(5, 2, 3, 0.4, F64, "d"), "targets": torch.tensor([1, 0])},
            ("SHARED-6",),
            ("float64",),
            "a float64 record",
        ),
    ]
    return out


def first_spike() -> list[Case]:
    op = "first_spike"
    base = ("ST-FIRST-1", "ST-FIRST-2")
    return [
        Case(op, {}, {"spk_rec": spikes(6, 3, 4, 0.2, seed="fs")}, base, (), "a random record [T, B, N]"),
        Case(
            op,
            {},
            {"spk_rec": _record(5, 1, 4, {(0, 0): [0], (0, 1): [2, 4], (0, 2): [4]})},
            base,
            ("silent_neurons",),
            "first spikes at 0, 2, 4 and a silent neuron at T-1 = 4",
        ),
        Case(op, {}, {"spk_rec": torch.ones(3, 2, 2)}, base, ("all_spikes",), "every neuron at step 0"),
        Case(op, {}, {"spk_rec": torch.zeros(3, 2, 2)}, base, ("no_spikes",), "every neuron silent: T-1"),
        Case(op, {}, {"spk_rec": torch.ones(1, 1, 1)}, base, ("t1", "b1", "n1"), "T = 1"),
        Case(
            op,
            {},
            {"spk_rec": spikes(5, 4, 1, 0.3, seed="r2").reshape(5, 4)},
            ("ST-1", *base, "LB-14"),
            (),
            "a record [T, N] (rank 2; upstream's backward raises)",
        ),
        Case(
            op,
            {},
            {"spk_rec": spikes(4, 1, 2, 0.4, seed="r4").reshape(4, 1, 1, 2)},
            ("ST-1", *base, "LB-14"),
            (),
            "a record of rank 4: each position gets its own surrogate",
        ),
        Case(op, {}, {"spk_rec": spikes(6, 2, 3, 0.3, F16, "h")}, ("SHARED-6", *base), ("half_precision",), "float16"),
        Case(
            op,
            {},
            {"spk_rec": torch.zeros(0, 2, 3)},
            ("ST-1", "SHARED-12"),
            ("invalid",),
            "a record without time steps",
        ),
    ]


def multi_spike() -> list[Case]:
    op = "multi_spike"
    both = _record(6, 1, 2, {(0, 0): [0, 2], (0, 1): [2, 4]})
    coupled = _record(6, 2, 1, {(0, 0): [1, 3], (1, 0): [3, 5]})
    return [
        Case(
            op,
            {"spk_count": 2},
            {"spk_rec": both},
            ("ST-MULTI-1", "ST-MULTI-2", "LB-9"),
            ("multi_spike",),
            "neurons spiking at (0, 2) and (2, 4): true second spikes 2 and 4 (upstream: 5 and 4)",
        ),
        Case(
            op,
            {"spk_count": 2},
            {"spk_rec": coupled},
            ("ST-MULTI-1", "LB-9"),
            ("multi_spike",),
            "samples do not interact (upstream loses sample 0's spike at 3)",
        ),
        Case(
            op,
            {"spk_count": 1},
            {"spk_rec": spikes(5, 2, 3, seed="f1")},
            ("ST-MULTI-1", "ST-MULTI-2"),
            ("multi_spike",),
            "F = 1 equals the first spike",
        ),
        Case(
            op,
            {"spk_count": 3},
            {"spk_rec": _record(4, 1, 2, {(0, 0): [1]})},
            ("ST-MULTI-1", "ST-MULTI-2", "LB-9"),
            ("multi_spike", "multi_spike_fewer_than_f", "silent_neurons"),
            "fewer spikes than F: missing ones at T-1; gradients landing on the same step add up",
        ),
        Case(
            op,
            {"spk_count": 3},
            {"spk_rec": spikes(6, 2, 3, 0.4, seed="f3")},
            ("ST-MULTI-1", "ST-MULTI-2", "LB-9"),
            ("multi_spike",),
            "a random record",
        ),
        Case(op, {"spk_count": 0}, {"spk_rec": both}, ("ST-MULTI-1", "SHARED-12"), ("invalid",), "F must be positive"),
    ]


def tolerance() -> list[Case]:
    op = "tolerance"
    times = torch.tensor([[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]])
    target = torch.full((1, 6), 2.0)
    out = [
        Case(
            op, {"tolerance": tol}, {"spk_time": times, "target": target}, ("ST-TOL-1", "ST-TOL-2", *extra), flags, why
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
            op,
            {"tolerance": 3},
            {"spk_time": spikes(4, 3, 1, seed="tr").reshape(3, 4) * 4, "target": torch.tensor([1.0, 2.0, 3.0, 0.0])},
            ("ST-TOL-1", "ST-TOL-2"),
            (),
            "targets broadcast along the batch",
        )
    )
    return out


def spike_time() -> list[Case]:
    """``SpikeTime(...)(spk_out, targets)``: the pair ``(spk_time, target_time)``, judged stacked ``[2, *]``."""
    op = "spike_time"
    x = _record(5, 3, 3, {(0, 2): [1, 4], (1, 0): [0], (1, 1): [2, 3], (2, 1): [4]})
    y = torch.tensor([2, 0, 1])
    times = torch.tensor([[1.0, -1.0, 4.0], [2.0, 2.0, -3.0], [0.0, 1.0, 3.0]])
    return [
        Case(
            op=op,
            params={},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-1", "ST-TGT-4", "ST-FIRST-1", "ST-FIRST-2", "LB-1"),
            comment="defaults: the label fires at step 0, the others at -1, that is T-1",
        ),
        Case(
            op=op,
            params={"on_target": 2, "off_target": 5},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-1", "ST-FIRST-1", "ST-FIRST-2", "LB-1"),
            comment="on 2, off 5: float target times in the record's dtype",
        ),
        Case(
            op=op,
            params={"on_target": -2, "off_target": 1.5, "tolerance": 1},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-1", "ST-TGT-4", "ST-TOL-1", "ST-TOL-2", "LB-1"),
            comment="a negative on target wraps once; times within 1 of their target snap to it",
        ),
        Case(
            op=op,
            params={"target_is_time": True},
            inputs={"spk_out": x, "targets": times},
            clauses=("ST-TGT-3", "ST-TGT-4", "ST-FIRST-1", "LB-10"),
            comment="explicit target times [B, N], negative ones wrapped (upstream rewrites them in place)",
            may_modify=("targets",),
        ),
        Case(
            op=op,
            params={"target_is_time": True, "tolerance": 2},
            inputs={"spk_out": x, "targets": torch.tensor([3.0, 0.0, 4.0])},
            clauses=("ST-TGT-3", "ST-TOL-1", "ST-FIRST-1"),
            comment="target times [N] broadcast along the batch",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "on_target": [0, 3], "off_target": [4, 5]},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-2", "ST-MULTI-1", "ST-MULTI-2", "LB-9"),
            flags=("multi_spike",),
            comment="two target spikes per neuron, on and off as lists",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "on_target": torch.tensor([1.0]), "off_target": torch.tensor([-1.0])},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-2", "ST-TGT-4", "ST-MULTI-1", "ST-MULTI-2", "LB-9"),
            flags=("multi_spike",),
            comment="F = 1, on and off as 1-D tensors",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "target_is_time": True, "on_target": [0, 0], "off_target": [0, 0]},
            inputs={"spk_out": x, "targets": torch.tensor([[[1.0, 2.0, 0.0]], [[4.0, 3.0, -1.0]]])},
            clauses=("ST-TGT-3", "ST-TGT-4", "ST-MULTI-1", "ST-MULTI-2", "LB-9", "LB-10"),
            flags=("multi_spike",),
            comment="explicit multi-spike target times [F, 1, N] with F = 2 != B = 3",
            may_modify=("targets",),
        ),
        Case(
            op=op,
            params={"multi_spike": True, "on_target": [0, 1], "off_target": [2]},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-2", "SHARED-12"),
            flags=("invalid", "multi_spike"),
            comment="on and off lists of different lengths",
        ),
        Case(
            op=op,
            params={"multi_spike": True, "on_target": 1, "off_target": 4},
            inputs={"spk_out": x, "targets": y},
            clauses=("ST-TGT-2", "SHARED-12"),
            flags=("invalid", "multi_spike"),
            comment="scalar targets with multi_spike",
        ),
    ]


def _long_record(T: int, dtype=F32) -> torch.Tensor:
    """Two samples, three neurons: late spikes (past 127, 255 and 32767 where T allows) and a silent neuron."""
    fires = {(0, 0): [T - 2], (0, 1): [min(129, T - 3), T - 1], (1, 0): [T // 2 + 1], (1, 2): [min(256, T - 4)]}
    return _record(T, 2, 3, fires).to(dtype)


LONG_T = 32770  # past int16's largest value
NARROW_LABELS = (torch.int32, torch.int16, torch.int8, torch.uint8)
CE_OPS = ("ce_rate_loss", "ce_count_loss", "ce_max_membrane_loss", "ce_temporal_loss")


def coverage_cases(op: str) -> list[Case]:
    """Cases that complete the coverage matrix: every record dtype, every label dtype, long records."""
    return [*_dtype_cases(op), *_label_cases(op), *_long_cases(op)]


def _dtype_cases(op: str) -> list[Case]:
    if op not in ("ce_temporal_loss", "multi_spike", "tolerance", "first_spike", "mse_temporal_loss"):
        return []
    out = []
    for dtype in (F64, F16, BF16):
        name = str(dtype).removeprefix("torch.")
        flags = ("float64",) if dtype == F64 else ("half_precision",)
        if op == "tolerance":
            times = (spikes(5, 2, 3, 0.5, seed=("tt", name)).argmax(0)).to(dtype)
            target = torch.tensor([[0.0, 2.0, 4.0], [1.0, 3.0, 0.0]], dtype=dtype)
            inputs, params, clauses = {"spk_time": times, "target": target}, {"tolerance": 2}, ("ST-TOL-1", "ST-TOL-2")
        elif op in ("first_spike", "multi_spike"):
            inputs = {"spk_rec": spikes(6, 2, 3, 0.3, dtype, ("dt", op, name))}
            params = {"spk_count": 2} if op == "multi_spike" else {}
            clauses = ("ST-MULTI-1", "ST-MULTI-2", "LB-9") if op == "multi_spike" else ("ST-FIRST-1", "ST-FIRST-2")
        else:
            inputs = {"spk_rec": spikes(6, 2, 3, 0.3, dtype, ("dt", op, name)), "targets": torch.tensor([2, 0])}
            params = {"reduction": "none"}
            clauses = ("TMP-CE-1", "TMP-CE-2") if op == "ce_temporal_loss" else ("TMP-MSE-1", "TMP-MSE-3", "LB-2")
        out.append(Case(op, params, inputs, ("SHARED-6", *clauses), flags, f"a {name} record: the result is {name}"))
    return out


def _label_cases(op: str) -> list[Case]:
    if op not in LOSS_RECORD:
        return []
    record = LOSS_RECORD[op]
    x = (membrane if record == "mem_out" else spikes)(2, 4, 3, seed=("labels", op))
    out = []
    for dtype in NARROW_LABELS:
        name = str(dtype).removeprefix("torch.")
        y = torch.tensor([2, 0, 1, 2], dtype=dtype)
        legacy = ("LB-16",) if op in CE_OPS and dtype != torch.uint8 else ()
        legacy += ("LB-3", "LB-2") if op in ("ce_rate_loss", "mse_membrane_loss") else ()
        legacy += ("LB-1",) if op == "mse_temporal_loss" else ()
        out.append(
            Case(
                op,
                {"reduction": "mean"},
                {record: x, "targets": y},
                ("SHARED-2", *legacy),
                comment=f"{name} labels are read as their values (2, 0, 1, 2), not as 0",
            )
        )
    return out


def _long_cases(op: str) -> list[Case]:
    if op not in ("first_spike", "multi_spike", "mse_temporal_loss", "ce_temporal_loss"):
        return []
    record = _long_record(LONG_T)
    comment = f"T = {LONG_T}: late spikes past steps 127, 255 and 32767, and a silent neuron (shadow at T-1)"
    if op == "first_spike":
        half = _long_record(257, BF16)
        return [
            Case(op, {}, {"spk_rec": record}, ("ST-FIRST-1", "ST-FIRST-2"), ("silent_neurons",), comment),
            Case(
                op,
                {},
                {"spk_rec": half},
                ("ST-FIRST-1", "ST-FIRST-2", "SHARED-6", "LB-18"),
                ("half_precision", "silent_neurons"),
                "bfloat16, T = 257: times up to 256 are exact; upstream computes T-1 in bfloat16 and gets 255",
            ),
        ]
    if op == "multi_spike":
        clauses = ("ST-MULTI-1", "ST-MULTI-2", "LB-9")
        return [Case(op, {"spk_count": 2}, {"spk_rec": record}, clauses, ("multi_spike", "silent_neurons"), comment)]
    params = {"reduction": "none"} if op == "ce_temporal_loss" else {"on_target": LONG_T - 5, "off_target": 300}
    clauses = ("TMP-CE-1",) if op == "ce_temporal_loss" else ("TMP-MSE-1", "ST-TGT-1", "LB-1")
    return [
        Case(op, params, {"spk_rec": record, "targets": torch.tensor([0, 2])}, clauses, ("silent_neurons",), comment)
    ]


# LB-1 (clamped class targets) under every reduction it affects, weighted and unweighted. Each row: the
# reduction, whether weighted, and the clauses and LB ids that case checks, written out in full.
LB1_MEMBRANE = (
    ("mean", False, ("MSE-MEM-1", "SHARED-5", "SHARED-10", "LB-1", "LB-2", "LB-3")),
    ("sum", False, ("MSE-MEM-1", "SHARED-5", "SHARED-10", "LB-1", "LB-2", "LB-3")),
    ("mean", True, ("MSE-MEM-1", "MSE-MEM-3", "SHARED-4", "SHARED-10", "LB-1", "LB-2", "LB-4")),
    ("sum", True, ("MSE-MEM-1", "MSE-MEM-3", "SHARED-4", "SHARED-10", "LB-1", "LB-2", "LB-4", "LB-5")),
    ("none", True, ("MSE-MEM-1", "MSE-MEM-3", "MSE-MEM-4", "SHARED-4", "SHARED-10", "LB-1", "LB-2", "LB-4")),
)
LB1_COUNT = (
    ("mean", False, ("MSE-COUNT-1", "MSE-COUNT-2", "SHARED-5", "SHARED-10", "LB-1")),
    ("sum", False, ("MSE-COUNT-1", "MSE-COUNT-2", "SHARED-5", "SHARED-10", "LB-1")),
    ("mean", True, ("MSE-COUNT-1", "MSE-COUNT-2", "SHARED-4", "SHARED-10", "LB-1", "LB-4")),
    ("sum", True, ("MSE-COUNT-1", "MSE-COUNT-2", "SHARED-4", "SHARED-10", "LB-1", "LB-4", "LB-5")),
    ("none", True, ("MSE-COUNT-1", "MSE-COUNT-4", "SHARED-4", "SHARED-10", "LB-1", "LB-4")),
)
LB1_TEMPORAL = (
    ("mean", True, ("TMP-MSE-1", "TMP-MSE-2", "ST-TGT-4", "SHARED-4", "LB-1", "LB-4")),
    ("sum", True, ("TMP-MSE-1", "TMP-MSE-2", "ST-TGT-4", "SHARED-4", "LB-1", "LB-4", "LB-5")),
    ("none", True, ("TMP-MSE-1", "TMP-MSE-2", "TMP-MSE-3", "ST-TGT-4", "SHARED-4", "LB-1", "LB-4")),
)


def lb1_witnesses(op: str) -> list[Case]:
    """LB-1 with ``on > 0 > off``: a port that builds its targets literally differs from upstream here.

    ``B = N`` so that upstream's weighted path (LB-4 indexes the last axis with the labels) runs at all.
    """
    if op == "mse_membrane_loss":
        rows, record, params = LB1_MEMBRANE, membrane(3, 3, 3, seed="lb1"), {"on_target": 1, "off_target": -1}
    elif op == "mse_count_loss":
        rows, record, params = LB1_COUNT, spikes(4, 3, 3, seed="lb1"), {"correct_rate": 1, "incorrect_rate": -0.5}
    elif op == "mse_temporal_loss":
        rows, record, params = LB1_TEMPORAL, spikes(6, 3, 3, 0.25, seed="lb1"), {"on_target": 2, "off_target": -1}
    else:
        return []
    record_name = LOSS_RECORD[op]
    return [
        Case(
            op,
            {**params, "reduction": reduction, **({"weight": weight(3, seed=("lb1", reduction))} if weighted else {})},
            {record_name: record, "targets": torch.tensor([2, 0, 1])},  # B = N: upstream's LB-4 weight axis fits
            clauses,
            ("weighted",) if weighted else (),
            f"LB-1 witness: on > 0 > off, reduction={reduction}, {'weighted' if weighted else 'unweighted'}",
        )
        for reduction, weighted, clauses in rows
    ]


LOSS_RECORD = {
    "ce_rate_loss": "spk_out",
    "ce_count_loss": "spk_out",
    "ce_max_membrane_loss": "mem_out",
    "mse_count_loss": "spk_out",
    "mse_membrane_loss": "mem_out",
    "mse_temporal_loss": "spk_rec",
    "ce_temporal_loss": "spk_rec",
}


_BY_OP = {
    "ce_rate_loss": ce_rate_loss,
    "ce_count_loss": ce_count_loss,
    "ce_max_membrane_loss": ce_max_membrane_loss,
    "mse_count_loss": mse_count_loss,
    "mse_membrane_loss": mse_membrane_loss,
    "mse_temporal_loss": mse_temporal_loss,
    "ce_temporal_loss": ce_temporal_loss,
    "first_spike": first_spike,
    "multi_spike": multi_spike,
    "tolerance": tolerance,
    "spike_time": spike_time,
}

ALL = {op: (lambda op=op, make=make: [*make(), *coverage_cases(op), *lb1_witnesses(op)]) for op, make in _BY_OP.items()}
