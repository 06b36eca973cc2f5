"""Hypothesis strategies for the conformance domain: binary spikes, exact membranes, valid parameters.

Every draw is exactly representable in float16, bfloat16, float32 and float64, and
shrinks toward small shapes and zeros.
"""

from __future__ import annotations

import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ..ops import ESTIMATORS

MAIN_CLAUSES = {
    "ce_rate_loss": ("CE-RATE-1", "CE-RATE-2", "CE-RATE-3"),
    "ce_count_loss": ("CE-COUNT-1", "CE-COUNT-2", "CE-COUNT-3"),
    "ce_max_membrane_loss": ("CE-MAX-1", "CE-MAX-2", "CE-MAX-3"),
    "mse_count_loss": ("MSE-COUNT-1", "MSE-COUNT-2", "MSE-COUNT-3", "MSE-COUNT-4"),
    "mse_membrane_loss": ("MSE-MEM-1", "MSE-MEM-4", "SHARED-10"),
    "mse_temporal_loss": ("TMP-MSE-1", "TMP-MSE-2", "TMP-MSE-3", "ST-TGT-1", "ST-TOL-1"),
    "ce_temporal_loss": ("TMP-CE-1", "TMP-CE-2"),
    "first_spike": ("ST-FIRST-1", "ST-FIRST-2"),
    "multi_spike": ("ST-MULTI-1", "ST-MULTI-2"),
    "tolerance": ("ST-TOL-1", "ST-TOL-2"),
}

MEMBRANE_OPS = {"ce_rate_loss", "ce_max_membrane_loss", "mse_membrane_loss"}
RECORD_NAME = {
    "ce_max_membrane_loss": "mem_out",
    "mse_membrane_loss": "mem_out",
    "mse_temporal_loss": "spk_rec",
    "ce_temporal_loss": "spk_rec",
}


def dims(max_steps: int = 8, max_batch: int = 4, max_outputs: int = 5, min_batch: int = 1):
    return st.tuples(st.integers(1, max_steps), st.integers(min_batch, max_batch), st.integers(1, max_outputs))


def spike_record(shape) -> st.SearchStrategy[torch.Tensor]:
    return arrays(np.float32, shape, elements=st.sampled_from([0.0, 1.0])).map(torch.from_numpy)


def membrane_record(shape) -> st.SearchStrategy[torch.Tensor]:
    return arrays(np.int16, shape, elements=st.integers(-64, 64)).map(
        lambda a: torch.from_numpy(a.astype(np.float32) / 16)
    )


def labels(batch: int, classes: int) -> st.SearchStrategy[torch.Tensor]:
    return arrays(np.int64, (batch,), elements=st.integers(0, classes - 1)).map(torch.from_numpy)


def class_weight(classes: int) -> st.SearchStrategy[torch.Tensor]:
    return arrays(np.int16, (classes,), elements=st.integers(2, 16)).map(
        lambda a: torch.from_numpy(a.astype(np.float32) / 8)
    )


@st.composite
def loss_case(
    draw,
    op: str,
    weighted: bool | None = None,
    population: bool | None = None,
    min_batch: int = 1,
    reductions=("mean", "sum", "none"),
):
    """``(params, inputs)`` for a loss; ``weighted``/``population`` force a choice when not ``None``."""
    T, B, N = draw(dims(min_batch=min_batch))
    params = {"reduction": draw(st.sampled_from(reductions))}
    classes = N
    if op in ("ce_rate_loss", "ce_count_loss", "mse_count_loss") and (
        population or (population is None and draw(st.booleans()))
    ):
        classes = draw(st.integers(1, 3))
        N = classes * draw(st.integers(1, 3))
        params.update(population_code=True, num_classes=classes)
    if op == "mse_count_loss":
        params.update(
            correct_rate=draw(st.sampled_from([1, 0.75, 0.5, 0.29, 0.57])),
            incorrect_rate=draw(st.sampled_from([0, 0.1, 0.25])),
        )
    if op == "mse_membrane_loss":
        on, off = draw(st.sampled_from([(1, 0), (1.25, 0.5), (-1, 1), (0, 1)]))
        params.update(on_target=on, off_target=off)
    if op == "mse_temporal_loss":
        params.update(
            on_target=draw(st.integers(0, T - 1)),
            off_target=draw(st.integers(0, T - 1)),
            tolerance=draw(st.sampled_from([0, 1, 2])),
        )
    if op == "ce_temporal_loss":
        params["inverse"] = draw(st.sampled_from(["negate", "reciprocal"]))
    if weighted or (weighted is None and draw(st.booleans())):
        params["weight"] = draw(class_weight(classes))
    shape = (T, B, N)
    record = draw(membrane_record(shape) if op in MEMBRANE_OPS else spike_record(shape))
    inputs = {RECORD_NAME.get(op, "spk_out"): record, "targets": draw(labels(B, classes))}
    return params, inputs


@st.composite
def estimator_case(draw, op: str):
    T, B, N = draw(dims())
    if op == "tolerance":
        times = arrays(np.int16, (B, N), elements=st.integers(0, T - 1)).map(
            lambda a: torch.from_numpy(a.astype(np.float32))
        )
        return {"tolerance": draw(st.sampled_from([0, 1, 2, 2.5]))}, {"spk_time": draw(times), "target": draw(times)}
    params = {"spk_count": draw(st.integers(1, 3))} if op == "multi_spike" else {}
    return params, {"spk_rec": draw(spike_record((T, B, N)))}


def any_case(op: str, **kwargs):
    return estimator_case(op) if op in ESTIMATORS else loss_case(op, **kwargs)
