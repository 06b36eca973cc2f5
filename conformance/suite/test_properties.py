"""Property tests: differential (backend against the reference) and metamorphic relations.

A differential property turns the reference's result on the drawn input into a vector case
(:mod:`conformance.suite.cases`) and the judge decides it under the run's profile, as it decides
a vector. Metamorphic relations compare the backend with itself, on parameters where the relation
holds in both profiles; the judge decides each call and the relation.
"""

from __future__ import annotations

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from ..ops import ESTIMATORS, LOSSES
from ..run.context import Context
from . import strategies as S
from .helpers import check_against_reference, check_relation, run
from .strategies import MAIN_CLAUSES

EVERY_OP = (*LOSSES, *ESTIMATORS)


def ops_param(ops, *extra: str):
    return [pytest.param(op, marks=pytest.mark.clause(*MAIN_CLAUSES[op][:1], *extra), id=op) for op in ops]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "device" in metafunc.fixturenames and "vector" not in metafunc.fixturenames:
        devices = Context.of(metafunc.config).devices
        if metafunc.function.__name__ == "test_cpu_matches_cuda":  # always listed, so a missing GPU shows as not run
            devices = [d for d in devices if d.startswith("cuda")] or ["cuda"]
        metafunc.parametrize("device", devices)


def _skip_unsupported(conformance: Context, op: str, device: str, dtype: str | None = None) -> None:
    """Skip at once what the backend's declarations exclude; each drawn case is then asked about (helpers.admit)."""
    backend = conformance.backend
    if op not in backend.ops:
        pytest.skip(f"declined: {backend.name} does not implement {op}")
    if torch.device(device).type not in backend.devices:
        pytest.skip(f"declined: {backend.name} does not run on {device}")
    if dtype is not None and dtype not in backend.dtypes:
        pytest.skip(f"declined: {backend.name} does not support {dtype} records")


def _plain_case(conformance: Context, op: str):
    """A case without class weights or population codes (where legacy behaviours live)."""
    if op in LOSSES:
        return S.loss_case(op, within=conformance.backend, weighted=False, population=False, dtypes=False)
    return S.estimator_case(op, dtypes=False, within=conformance.backend)


def _skip_outside_domain(conformance: Context, reductions: tuple[str, ...] = (), population: bool = False) -> None:
    """Skip a relation that needs what the backend's declared domain excludes (it declines all such draws)."""
    domain = S.domain_of(conformance.backend)
    missing = [r for r in reductions if r not in domain.reductions]
    if missing:
        pytest.skip(f"declined: outside the declared domain: reduction={missing[0]!r}")
    if population and not domain.population_code:
        pytest.skip("declined: outside the declared domain: population_code=True")


@pytest.mark.parametrize(
    "op", [pytest.param(op, marks=pytest.mark.clause(*MAIN_CLAUSES[op], "SHARED-8"), id=op) for op in EVERY_OP]
)
@given(data=st.data())
def test_matches_reference(conformance: Context, op: str, device: str, data) -> None:
    """Differential: value and (surrogate) gradient equal the reference's; inputs are never modified."""
    _skip_unsupported(conformance, op, device)
    params, inputs = data.draw(S.any_case(op, within=conformance.backend), label="case")
    check_against_reference(conformance, op, params, inputs, device, "test_matches_reference")


ODD_AND_LARGE = [(1, 1, 1), (3, 5, 7), (61, 3, 33), (257, 17, 9)]
SPIKE_TIME_OPS = ("first_spike", "multi_spike", "tolerance", "spike_time", "mse_temporal_loss", "ce_temporal_loss")
RECORD_ESTIMATORS = ("first_spike", "multi_spike")  # called on the record alone
LONG_RECORDS = [  # (T, dtype): times past int8 (127), uint8 (255) and int16 (32767); half precision to its exact range
    (257, torch.bfloat16),
    (300, torch.bfloat16),  # T - t rounds in bfloat16 above 256: early spikes expose double rounding
    (257, torch.float16),
    (32768, torch.float32),  # the first T whose steps 0 .. T do not all fit in int16
    (32770, torch.float32),
]


BOUNDARIES = {"T1": (1, 3, 4), "B0": (3, 0, 4), "N1": (3, 2, 1), "B1": (4, 1, 3)}


@pytest.mark.parametrize("boundary", sorted(BOUNDARIES))
@pytest.mark.parametrize("op", ops_param(EVERY_OP, "SHARED-11"))
def test_boundaries(conformance: Context, op: str, device: str, boundary: str) -> None:
    """Every op at its edges: one time step, an empty batch, one neuron, one sample (and F = 1 for multi_spike)."""
    _skip_unsupported(conformance, op, device)
    T, B, N = BOUNDARIES[boundary]
    generator = torch.Generator().manual_seed(T * 100 + B * 10 + N)
    spikes = (torch.rand(T, B, N, generator=generator) < 0.5).float()
    if op == "tolerance":
        times = torch.randint(0, 4, (B, N), generator=generator).float()
        params, inputs = {"tolerance": 1.5}, {"spk_time": times, "target": times.flip(0) if B else times}
    elif op in RECORD_ESTIMATORS:
        params, inputs = ({"spk_count": 1} if op == "multi_spike" else {}), {"spk_rec": spikes}
    else:
        record = torch.randint(-64, 65, (T, B, N), generator=generator) / 16 if op in S.MEMBRANE_OPS else spikes
        params = {
            "mse_temporal_loss": {"on_target": 0, "off_target": T - 1},
            "spike_time": {"multi_spike": True, "on_target": [0], "off_target": [T - 1]},  # F = 1
        }.get(op, {})
        targets = torch.randint(0, N, (B,), generator=generator)
        inputs = {S.RECORD_NAME[op]: record, "targets": targets}
    check_against_reference(conformance, op, params, inputs, device, "test_boundaries")


@pytest.mark.parametrize("length", LONG_RECORDS, ids=lambda p: f"T{p[0]}-{str(p[1]).removeprefix('torch.')}")
@pytest.mark.parametrize("op", ops_param(SPIKE_TIME_OPS, "SHARED-6"))
def test_long_records(conformance: Context, op: str, device: str, length) -> None:
    """Long records with late spikes and silent neurons: times past every narrow integer type, in every dtype."""
    _skip_unsupported(conformance, op, device)
    T, dtype = length
    B, N = 3, 3
    spikes = torch.zeros(T, B, N, dtype=dtype)
    late = torch.tensor([[T - 2, 129, -1], [T // 2 + 1, -1, min(256, T - 4)], [0, 1, 255]])  # -1: silent
    for b in range(B):
        for n in range(N):
            if late[b, n] >= 0:
                spikes[late[b, n], b, n] = 1
                spikes[min(T - 1, late[b, n] + 3), b, n] = 1  # a second spike for multi_spike
    targets = torch.tensor([0, 2, 1])
    if op == "tolerance":
        times = late.clamp(min=0).to(dtype) + 1
        params, inputs = {"tolerance": 2}, {"spk_time": times, "target": late.clamp(min=0).to(dtype)}
    elif op in ("first_spike", "multi_spike"):
        params, inputs = ({"spk_count": 2} if op == "multi_spike" else {}), {"spk_rec": spikes}
    else:
        params = {"on_target": T - 5, "off_target": 7} if op in ("mse_temporal_loss", "spike_time") else {}
        inputs = {S.RECORD_NAME[op]: spikes, "targets": targets}
    check_against_reference(conformance, op, params, inputs, device, "test_long_records")


@pytest.mark.parametrize("shape", ODD_AND_LARGE, ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("op", ops_param(EVERY_OP, "SHARED-1"))
def test_odd_and_large_shapes(conformance: Context, op: str, device: str, shape) -> None:
    """Differential on shapes that are not multiples of any tile size (kernel tiling bugs)."""
    _skip_unsupported(conformance, op, device)
    T, B, N = shape
    generator = torch.Generator().manual_seed(T * 1000 + B * 10 + N)
    spikes = (torch.rand(T, B, N, generator=generator) < 0.1).float()
    if op == "tolerance":
        times = torch.randint(0, T, (B, N), generator=generator).float()
        params, inputs = (
            {"tolerance": 2},
            {"spk_time": times, "target": torch.randint(0, T, (B, N), generator=generator).float()},
        )
    elif op in RECORD_ESTIMATORS:
        params, inputs = ({"spk_count": 2} if op == "multi_spike" else {}), {"spk_rec": spikes}
    else:
        record = torch.randint(-64, 65, (T, B, N), generator=generator) / 16 if op in S.MEMBRANE_OPS else spikes
        params = {"on_target": 0, "off_target": T - 1} if op in ("mse_temporal_loss", "spike_time") else {}
        inputs = {S.RECORD_NAME[op]: record, "targets": torch.randint(0, N, (B,), generator=generator)}
    check_against_reference(conformance, op, params, inputs, device, "test_odd_and_large_shapes")


@pytest.mark.parametrize("op", ops_param(LOSSES, "SHARED-5"))
@given(data=st.data())
def test_reduction_consistency(conformance: Context, op: str, device: str, data) -> None:
    """'sum' is the sum of 'none', 'mean' its mean (unweighted)."""
    _skip_unsupported(conformance, op, device)
    _skip_outside_domain(conformance, reductions=("none", "sum", "mean"))
    params, inputs = data.draw(
        S.loss_case(
            op, within=conformance.backend, weighted=False, population=False, reductions=("none",), dtypes=False
        )
    )
    test = "test_reduction_consistency"
    per_item = run(conformance, op, params, inputs, device, test).double()
    for reduction, expected in (("sum", per_item.sum()), ("mean", per_item.mean())):
        got = run(conformance, op, {**params, "reduction": reduction}, inputs, device, test)
        check_relation(
            conformance,
            op,
            {**params, "reduction": reduction},
            inputs,
            f"{reduction} vs reduced 'none'",
            got.reshape(()).double(),
            expected,
            test,
            {"rtol": 1e-5, "atol": 1e-5},
        )


@pytest.mark.parametrize("op", ops_param(LOSSES, "SHARED-5"))
@given(data=st.data())
def test_batch_splitting(conformance: Context, op: str, device: str, data) -> None:
    """The per-sample loss of a batch is the concatenation of its halves' (unweighted, 'none')."""
    _skip_unsupported(conformance, op, device)
    _skip_outside_domain(conformance, reductions=("none",))
    params, inputs = data.draw(
        S.loss_case(
            op,
            within=conformance.backend,
            weighted=False,
            population=False,
            min_batch=2,
            reductions=("none",),
            dtypes=False,
        )
    )
    record_name = next(k for k in inputs if k != "targets")
    batch = inputs["targets"].shape[0]
    split = data.draw(st.integers(1, batch - 1), label="split")
    test = "test_batch_splitting"
    whole = run(conformance, op, params, inputs, device, test)
    parts = [
        run(
            conformance,
            op,
            params,
            {record_name: inputs[record_name][:, sl], "targets": inputs["targets"][sl]},
            device,
            test,
        )
        for sl in (slice(0, split), slice(split, batch))
    ]
    check_relation(
        conformance,
        op,
        params,
        inputs,
        "halves vs whole",
        torch.cat(parts, 0),
        whole,
        test,
        {"rtol": 1e-5, "atol": 1e-6},
    )


TIME_INVARIANT = ("ce_rate_loss", "ce_count_loss", "ce_max_membrane_loss", "mse_count_loss", "mse_membrane_loss")


@pytest.mark.parametrize("op", ops_param(TIME_INVARIANT))
@given(data=st.data())
def test_time_permutation(conformance: Context, op: str, device: str, data) -> None:
    """Losses on counts, rates and maxima do not depend on the order of time steps."""
    _skip_unsupported(conformance, op, device)
    params, inputs = data.draw(
        S.loss_case(op, within=conformance.backend, weighted=False, population=False, dtypes=False)
    )
    record_name = next(k for k in inputs if k != "targets")
    steps = inputs[record_name].shape[0]
    order = torch.tensor(data.draw(st.permutations(range(steps)), label="order"))
    test = "test_time_permutation"
    base = run(conformance, op, params, inputs, device, test)
    shuffled = run(conformance, op, params, {**inputs, record_name: inputs[record_name][order]}, device, test)
    check_relation(conformance, op, params, inputs, "permuted time", shuffled, base, test, {"rtol": 1e-5, "atol": 1e-6})


def _first_spike_after_padding(conformance, device, data, where: str) -> None:
    params, inputs = data.draw(S.estimator_case("first_spike", dtypes=False, within=conformance.backend))
    spikes = inputs["spk_rec"]
    pad = data.draw(st.integers(1, 4), label="pad")
    zeros = torch.zeros((pad, *spikes.shape[1:]))
    padded = torch.cat([spikes, zeros] if where == "end" else [zeros, spikes])
    test = f"test_{'appended_silent_steps' if where == 'end' else 'time_shift'}"
    base = run(conformance, "first_spike", params, inputs, device, test).cpu()
    moved = run(conformance, "first_spike", params, {"spk_rec": padded}, device, test).cpu()
    fired = spikes.bool().any(0)
    last = spikes.shape[0] + pad - 1
    want = torch.where(fired, base + (pad if where == "start" else 0), torch.full_like(base, last))
    check_relation(
        conformance,
        "first_spike",
        params,
        {"spk_rec": padded},
        f"padding {pad} steps at the {where}",
        moved,
        want,
        test,
    )


@pytest.mark.clause("ST-FIRST-1")
@given(data=st.data())
def test_appended_silent_steps(conformance: Context, device: str, data) -> None:
    """Silent steps at the end keep first spikes; silent neurons move to the new last step."""
    _skip_unsupported(conformance, "first_spike", device)
    _first_spike_after_padding(conformance, device, data, "end")


@pytest.mark.clause("ST-FIRST-1")
@given(data=st.data())
def test_time_shift(conformance: Context, device: str, data) -> None:
    """Silent steps at the start delay every first spike by the same amount."""
    _skip_unsupported(conformance, "first_spike", device)
    _first_spike_after_padding(conformance, device, data, "start")


CLASS_SYMMETRIC = ("ce_rate_loss", "ce_count_loss", "ce_max_membrane_loss", "ce_temporal_loss")


@pytest.mark.parametrize("op", ops_param(CLASS_SYMMETRIC))
@given(data=st.data())
def test_class_permutation(conformance: Context, op: str, device: str, data) -> None:
    """Renaming the classes (permuting outputs and labels together) leaves every sample's loss unchanged."""
    _skip_unsupported(conformance, op, device)
    _skip_outside_domain(conformance, reductions=("none",))
    params, inputs = data.draw(
        S.loss_case(
            op, within=conformance.backend, weighted=False, population=False, reductions=("none",), dtypes=False
        )
    )
    record_name = next(k for k in inputs if k != "targets")
    outputs = inputs[record_name].shape[-1]
    order = torch.tensor(data.draw(st.permutations(range(outputs)), label="order"))
    new_label = torch.argsort(order)
    renamed = {record_name: inputs[record_name][..., order], "targets": new_label[inputs["targets"]]}
    test = "test_class_permutation"
    base = run(conformance, op, params, inputs, device, test)
    permuted = run(conformance, op, params, renamed, device, test)
    check_relation(
        conformance, op, params, renamed, "renamed classes", permuted, base, test, {"rtol": 1e-5, "atol": 1e-6}
    )


@pytest.mark.clause("SHARED-9", "CE-COUNT-2")
@given(data=st.data())
def test_population_code_equivalence(conformance: Context, device: str, data) -> None:
    """A population code equals the plain loss on the block sums."""
    op = "ce_count_loss"
    _skip_unsupported(conformance, op, device)
    _skip_outside_domain(conformance, population=True)
    params, inputs = data.draw(
        S.loss_case(op, within=conformance.backend, weighted=False, population=True, dtypes=False)
    )
    classes = params["num_classes"]
    pooled = inputs["spk_out"].unflatten(-1, (classes, -1)).sum(-1)
    plain = {k: v for k, v in params.items() if k not in ("population_code", "num_classes")}
    test = "test_population_code_equivalence"
    a = run(conformance, op, params, inputs, device, test)
    b = run(conformance, op, plain, {**inputs, "spk_out": pooled}, device, test)
    check_relation(conformance, op, params, inputs, "pooled vs plain", a.float(), b.float(), test)


@pytest.mark.parametrize("op", ops_param(EVERY_OP, "SHARED-6"))
@given(data=st.data())
def test_float32_matches_float64(conformance: Context, op: str, device: str, data) -> None:
    """The float32 result is the float64 result to float32 accuracy."""
    _skip_unsupported(conformance, op, device, "float64")
    params, inputs = data.draw(_plain_case(conformance, op))
    wide = {k: v.double() if v.is_floating_point() else v for k, v in inputs.items()}
    test = "test_float32_matches_float64"
    for case in (inputs, wide):  # each judged against the reference: dtype, value and gradient
        check_against_reference(conformance, op, params, case, device, test)
    narrow_value = run(conformance, op, params, inputs, device, test)
    wide_value = run(conformance, op, params, wide, device, test)
    check_relation(
        conformance,
        op,
        params,
        inputs,
        "float32 vs float64",
        narrow_value.double(),
        wide_value.double(),
        test,
        {"rtol": 1e-5, "atol": 1e-5},
    )


@pytest.mark.parametrize("op", ops_param(EVERY_OP, "SHARED-1"))
@given(data=st.data())
def test_non_contiguous_inputs(conformance: Context, op: str, device: str, data) -> None:
    """A non-contiguous record gives the same result as its contiguous copy."""
    _skip_unsupported(conformance, op, device)
    params, inputs = data.draw(_plain_case(conformance, op))
    name = next(iter(inputs))
    strided = inputs[name].transpose(0, -1).contiguous().transpose(0, -1)
    test = "test_non_contiguous_inputs"
    base = run(conformance, op, params, inputs, device, test)
    other = run(conformance, op, params, {**inputs, name: strided}, device, test)
    check_relation(
        conformance, op, params, inputs, "non-contiguous input", other, base, test, {"rtol": 1e-6, "atol": 1e-6}
    )


@pytest.mark.parametrize("op", ops_param(EVERY_OP, "SHARED-7"))
@given(data=st.data())
def test_cpu_matches_cuda(conformance: Context, op: str, device: str, data) -> None:
    """The same call on CPU and on a CUDA device agrees to the dtype's tolerance."""
    _skip_unsupported(conformance, op, device)
    _skip_unsupported(conformance, op, "cpu")
    params, inputs = data.draw(_plain_case(conformance, op))
    test = "test_cpu_matches_cuda"
    on_gpu = run(conformance, op, params, inputs, device, test)
    on_cpu = run(conformance, op, params, inputs, "cpu", test)
    check_relation(conformance, op, params, inputs, "CUDA vs CPU", on_gpu.cpu(), on_cpu, test)
