"""Hypothesis strategies for the conformance domain: binary spikes, exact membranes, valid parameters.

Every draw is exactly representable in float16, bfloat16, float32 and float64, and
shrinks toward small shapes and zeros.
"""

from __future__ import annotations

import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ..backend import Domain
from ..ops import ESTIMATORS, OPS
from ..tensors import DTYPES, LABEL_DTYPES, RECORD_DTYPES

MAIN_CLAUSES = {name: spec.clauses for name, spec in OPS.items()}  # what a property test of each op checks

MEMBRANE_OPS = {"ce_rate_loss", "ce_max_membrane_loss", "mse_membrane_loss"}
RECORD_NAME = {name: spec.inputs[0] for name, spec in OPS.items()}  # spk_out, mem_out or spk_rec


WHOLE_DOMAIN = Domain()


def domain_of(within) -> Domain:
    """The declared domain of ``within`` (the backend's handle), or the whole domain."""
    return getattr(within, "domain", None) or WHOLE_DOMAIN


def dims(
    max_steps: int = 8, max_batch: int = 4, max_outputs: int = 5, min_batch: int = 1, domain: Domain = WHOLE_DOMAIN
):
    """``(T, B, N)``, inside the backend's declared sizes."""
    max_steps = min(max_steps, domain.max_steps or max_steps)
    max_batch = max(min_batch, min(max_batch, domain.max_batch or max_batch))
    max_outputs = min(max_outputs, domain.max_neurons or max_outputs)
    return st.tuples(st.integers(1, max_steps), st.integers(min_batch, max_batch), st.integers(1, max_outputs))


def record_dtypes(within=None) -> st.SearchStrategy[torch.dtype]:
    """A record dtype the backend declares (all of them when it declares none of the domain's)."""
    declared = [DTYPES[name] for name in getattr(within, "dtypes", ()) if name in DTYPES]
    return st.sampled_from([d for d in RECORD_DTYPES if d in declared] or list(RECORD_DTYPES))


def label_dtypes(domain: Domain) -> st.SearchStrategy[torch.dtype]:
    return st.sampled_from([DTYPES[name] for name in domain.label_dtypes] or list(LABEL_DTYPES))


def spike_record(shape, dtype: torch.dtype = torch.float32) -> st.SearchStrategy[torch.Tensor]:
    return arrays(np.float32, shape, elements=st.sampled_from([0.0, 1.0])).map(lambda a: torch.from_numpy(a).to(dtype))


def membrane_record(shape, dtype: torch.dtype = torch.float32) -> st.SearchStrategy[torch.Tensor]:
    return arrays(np.int16, shape, elements=st.integers(-64, 64)).map(
        lambda a: (torch.from_numpy(a.astype(np.float32)) / 16).to(dtype)
    )


def labels(batch: int, classes: int, dtype: torch.dtype = torch.int64) -> st.SearchStrategy[torch.Tensor]:
    return arrays(np.int64, (batch,), elements=st.integers(0, classes - 1)).map(lambda a: torch.from_numpy(a).to(dtype))


def class_weight(classes: int, dtype: torch.dtype = torch.float32) -> st.SearchStrategy[torch.Tensor]:
    return arrays(np.int16, (classes,), elements=st.integers(2, 16)).map(
        lambda a: (torch.from_numpy(a.astype(np.float32)) / 8).to(dtype)
    )


# Targets and rates over the whole real range: negative, zero, above 1, integers and floats (exact in float16).
LEVELS = st.sampled_from([-2, -1, -0.5, 0, 0.25, 0.5, 1, 1.25, 2, 3])
RATES = st.sampled_from([-0.5, 0, 0.1, 0.25, 0.29, 0.5, 0.57, 0.75, 1, 1.5])


@st.composite
def loss_case(
    draw,
    op: str,
    weighted: bool | None = None,
    population: bool | None = None,
    min_batch: int = 1,
    reductions=("mean", "sum", "none"),
    dtypes: bool = True,
    within=None,
):
    """``(params, inputs)`` for a loss; ``weighted``/``population`` force a choice when not ``None``.

    ``dtypes``: draw the record's float dtype and the labels' integer dtype too (else float32, int64).
    ``within``: the backend's handle; draws stay inside its declared dtypes and :class:`Domain`
    (a test that needs what the domain excludes skips before it draws).
    """
    domain = domain_of(within)
    T, B, N = draw(dims(min_batch=min_batch, domain=domain))
    dtype = draw(record_dtypes(within)) if dtypes else torch.float32
    label_dtype = draw(label_dtypes(domain)) if dtypes else torch.int64
    params = {"reduction": draw(st.sampled_from([r for r in reductions if r in domain.reductions] or reductions))}
    classes = N
    if not domain.population_code:
        population = False
    if op in ("ce_rate_loss", "ce_count_loss", "mse_count_loss") and (
        population or (population is None and draw(st.booleans()))
    ):
        most = domain.max_neurons or 9
        classes = draw(st.integers(1, min(3, most)))
        N = classes * draw(st.integers(1, max(1, min(3, most // classes))))
        params.update(population_code=True, num_classes=classes)
    if op == "mse_count_loss":
        params.update(correct_rate=draw(RATES), incorrect_rate=draw(RATES))
    if op == "mse_membrane_loss":
        params.update(on_target=draw(scalar(LEVELS)), off_target=draw(scalar(LEVELS)))
    if op == "mse_temporal_loss":
        params.update(on_target=draw(scalar(target_time(T))), off_target=draw(scalar(target_time(T))))
        tolerance = draw(st.sampled_from([None, 0, 1, 2, 2.5] if domain.tolerance else [None, 0]))  # None: the default
        params.update({} if tolerance is None else {"tolerance": tolerance})
    if op == "ce_temporal_loss":
        params["inverse"] = draw(st.sampled_from(["negate", "reciprocal"]))
    if domain.weight and (weighted or (weighted is None and draw(st.booleans()))):
        params["weight"] = draw(class_weight(classes, dtype))
    shape = (T, B, N)
    record = draw(membrane_record(shape, dtype) if op in MEMBRANE_OPS else spike_record(shape, dtype))
    inputs = {RECORD_NAME[op]: record, "targets": draw(labels(B, classes, label_dtype))}
    return params, inputs


@st.composite
def estimator_case(draw, op: str, dtypes: bool = True, within=None):
    domain = domain_of(within)
    T, B, N = draw(dims(domain=domain))
    dtype = draw(record_dtypes(within)) if dtypes else torch.float32
    if op == "tolerance":
        times = arrays(np.int16, (B, N), elements=st.integers(0, T - 1)).map(
            lambda a: torch.from_numpy(a.astype(np.float32)).to(dtype)
        )
        params = {"tolerance": draw(st.sampled_from([-1, 0, 1, 2, 2.5] if domain.tolerance else [0]))}
        return params, {"spk_time": draw(times), "target": draw(times)}
    if op == "spike_time":
        targets = draw(labels(B, N, draw(label_dtypes(domain))))
        return draw(spike_time_case(T, B, N, dtype, targets, domain))
    params = {"spk_count": draw(st.integers(1, 3))} if op == "multi_spike" else {}
    return params, {"spk_rec": draw(spike_record((T, B, N), dtype))}


def target_time(T: int):
    """A target time over the whole range the spec allows: negative (wrapped once), 0, past T, whole or half."""
    return st.one_of(st.integers(-T, T + 1), st.integers(-2 * T, 2 * T).map(lambda v: v / 2))


def scalar(values: st.SearchStrategy) -> st.SearchStrategy:
    """A real value as a Python number, a 0-d tensor or a 1-element tensor (the spec reads each as its value).

    Only for values exact in float32 (targets): a float32 tensor holds them as the Python float does.
    """
    return values.flatmap(lambda v: st.sampled_from([v, torch.tensor(float(v)), torch.tensor([float(v)])]))


@st.composite
def spike_time_case(
    draw, T: int, B: int, N: int, dtype: torch.dtype, label_targets: torch.Tensor, domain: Domain = WHOLE_DOMAIN
):
    """``SpikeTime``'s constructor parameters over their domain, and matching targets.

    ST-TGT-1, ST-TGT-2, ST-TGT-3, ST-TGT-4.

    Multi-spike targets come as lists or 1-D tensors of ``F`` times (``F = 1`` included); explicit target
    times broadcast to ``[B, N]`` or ``[F, B, N]``, with ``F`` unrelated to ``B``.
    """
    multi = domain.multi_spike and draw(st.booleans())
    params: dict = {"multi_spike": multi} if multi or draw(st.booleans()) else {}
    if draw(st.booleans()):
        params["tolerance"] = draw(st.sampled_from([0, 1, 2.5, -1] if domain.tolerance else [0]))
    count = draw(st.integers(1, 3))
    if multi:  # on/off are sequences whenever multi_spike is set, even when targets are times
        on = [draw(target_time(T)) for _ in range(count)]
        off = [draw(target_time(T)) for _ in range(count)]
        as_tensor = draw(st.booleans())
        params.update(
            on_target=torch.tensor(on) if as_tensor else on, off_target=torch.tensor(off) if as_tensor else off
        )
    if domain.target_is_time and draw(st.booleans()):  # explicit target times
        params["target_is_time"] = True
        leading = (count,) if multi else ()
        shape = draw(st.sampled_from([(*leading, B, N), (*leading, 1, N), (*leading, 1, 1)]))
        times = arrays(np.int32, shape, elements=st.integers(-T, T - 1))
        return params, {"spk_out": draw(spike_record((T, B, N), dtype)), "targets": torch.from_numpy(
            draw(times).astype(np.float32)
        ).to(dtype)}  # fmt: skip
    if not multi and draw(st.booleans()):
        params.update(on_target=draw(scalar(target_time(T))), off_target=draw(scalar(target_time(T))))
    return params, {"spk_out": draw(spike_record((T, B, N), dtype)), "targets": label_targets}


def any_case(op: str, within=None, **kwargs):
    return estimator_case(op, within=within) if op in ESTIMATORS else loss_case(op, within=within, **kwargs)
