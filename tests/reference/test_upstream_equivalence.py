"""reference.compat against snnTorch 1.0.0 on generated cases: bit for bit.

For every case both implementations run on copies of the same inputs; the test
compares value, shape, dtype and the input gradient (a vector-Jacobian product
with a seeded cotangent) bit for bit, signed zeros and NaN payloads included.
Where upstream raises, compat must raise too, or return the spec value
(the ``snntorch-1.0`` profile accepts either). There is no documented class of
inexact cases: every valid case must be bit-identical.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
import torch

import reference
import reference.compat as compat
from conformance.ops import LOSSES

from ..conftest import EQUIVALENCE_KEY

upstream = pytest.importorskip("snntorch.functional", reason="snnTorch 1.0.0 is not installed (extra 'upstream')")

STEPS = [1, 1, 2, 3, 4, 5, 7, 10, 16, 25, 1000]
RATES = [0.0, 0.1, 0.3, 0.7, 1.0]
DTYPES = [torch.float32] * 6 + [torch.float64, torch.float16, torch.bfloat16]


@dataclass
class Case:
    """One call: ``call(module)`` returns the output; ``x`` is the differentiable input."""

    name: str
    call: Callable
    x: torch.Tensor
    extras: dict = field(default_factory=dict)


def _rng(seed: int) -> tuple[random.Random, torch.Generator]:
    return random.Random(seed), torch.Generator().manual_seed(seed)


def _shape(rng: random.Random, square: bool = False) -> tuple[int, int, int]:
    T = rng.choice(STEPS)
    B = rng.randint(1, 6)
    N = B if square else rng.randint(1, 6)
    return T, B, N


def _spikes(shape, rate, gen, dtype) -> torch.Tensor:
    return (torch.rand(shape, generator=gen) < rate).to(dtype)


def _real(shape, gen, dtype) -> torch.Tensor:
    return torch.randn(shape, generator=gen).to(dtype)


def _labels(B, K, gen) -> torch.Tensor:
    return torch.randint(0, K, (B,), generator=gen)


def _weight(K, gen, dtype) -> torch.Tensor:
    return (torch.rand(K, generator=gen) * 2 + 0.1).to(dtype)


def loss_case(name: str, kwargs: dict, x: torch.Tensor, y: torch.Tensor) -> Case:
    def call(module, x_in):
        return getattr(module, name)(**_clone(kwargs))(x_in, y.clone())

    return Case(f"{name}({_describe(kwargs)}) x{list(x.shape)} {x.dtype}", call, x)


def _clone(kwargs: dict) -> dict:
    return {k: v.clone() if isinstance(v, torch.Tensor) else v for k, v in kwargs.items()}


def _describe(kwargs: dict) -> str:
    return ", ".join(f"{k}={'w' + str(list(v.shape)) if isinstance(v, torch.Tensor) else v}" for k, v in kwargs.items())


def _common(rng: random.Random, gen, dtype, K: int, square_weight: bool) -> dict:
    kwargs = {"reduction": rng.choice(["mean", "sum", "none"])}
    if rng.random() < 0.4:
        kwargs["weight"] = _weight(K, gen, dtype)
    return kwargs


def ce_family_cases(count: int, seed: int) -> Iterator[Case]:
    for i in range(count):
        rng, gen = _rng(seed + i)
        name = ["ce_rate_loss", "ce_count_loss", "ce_max_membrane_loss"][i % 3]
        dtype = rng.choice(DTYPES)
        T, B, N = _shape(rng, square=rng.random() < 0.3)
        kwargs = _common(rng, gen, dtype, N, False)
        population = name != "ce_max_membrane_loss" and rng.random() < 0.3
        if population:
            C = rng.randint(1, 4)
            N = C * rng.randint(1, 3)
            kwargs.update(population_code=True, num_classes=C, weight=_weight(C, gen, dtype))
            if name == "ce_count_loss":
                kwargs["weight"] = kwargs["weight"].float()
        K = kwargs.get("num_classes", N) if name == "ce_count_loss" else N
        if "weight" in kwargs and not population:
            kwargs["weight"] = _weight(K, gen, dtype)
        rate = rng.choice(RATES)
        x = _spikes((T, B, N), rate, gen, dtype) if name == "ce_count_loss" else _real((T, B, N), gen, dtype)
        yield loss_case(name, kwargs, x, _labels(B, K, gen))


def mse_family_cases(count: int, seed: int) -> Iterator[Case]:
    for i in range(count):
        rng, gen = _rng(seed + i)
        name = ["mse_count_loss", "mse_membrane_loss"][i % 2]
        dtype = rng.choice(DTYPES)
        T, B, N = _shape(rng, square=rng.random() < 0.5)
        kwargs = _common(rng, gen, dtype, N, True)
        K = N
        if name == "mse_count_loss":
            kwargs.update(
                correct_rate=rng.choice([1, 0.75, 0.29, 0.57, 0.5, 0.99]), incorrect_rate=rng.choice([0, 0.1, 0.25])
            )
            if rng.random() < 0.3:
                C = rng.randint(1, 3)
                N = C * rng.randint(1, 3)
                K = C
                kwargs.update(population_code=True, num_classes=C)
                kwargs.pop("weight", None)
            x = _spikes((T, B, N), rng.choice(RATES), gen, dtype)
        else:
            on, off = rng.choice([(1, 0), (1.2, 0.5), (1, -1), (0.5, -0.5), (-1, 1), (0, 1)])
            kwargs.update(on_target=on, off_target=off)
            if rng.random() < 0.2 and T <= B:
                kwargs["time_var_targets"] = True
            x = _real((T, B, N), gen, dtype)
        if "weight" in kwargs:
            kwargs["weight"] = _weight(K, gen, dtype)
        yield loss_case(name, kwargs, x, _labels(B, K, gen))


def temporal_cases(count: int, seed: int) -> Iterator[Case]:
    for i in range(count):
        rng, gen = _rng(seed + i)
        dtype = rng.choice(DTYPES)
        T, B, N = _shape(rng, square=rng.random() < 0.5)
        T = min(T, 100) if rng.random() < 0.7 else T
        x = _spikes((T, B, N), rng.choice(RATES), gen, dtype)
        y = _labels(B, N, gen)
        if i % 2:
            kwargs = {"inverse": rng.choice(["negate", "reciprocal"]), "reduction": rng.choice(["mean", "sum", "none"])}
            if rng.random() < 0.4 and dtype == torch.float32:
                kwargs["weight"] = _weight(N, gen, dtype)
            yield loss_case("ce_temporal_loss", kwargs, x, y)
            continue
        kwargs = {"reduction": rng.choice(["mean", "sum", "none"]), "tolerance": rng.choice([0, 0, 1, 2, 2.5])}
        if rng.random() < 0.3:
            F = rng.randint(1, 3)
            kwargs.update(multi_spike=True, on_target=[rng.randint(-T, T - 1) for _ in range(F)])
            kwargs["off_target"] = [rng.randint(-T, T - 1) for _ in range(F)]
        else:
            kwargs.update(on_target=rng.choice([0, 1, -1, 2]), off_target=rng.choice([-1, T - 1, 3, -2]))
        if rng.random() < 0.3:
            kwargs["weight"] = _weight(N, gen, torch.float32)
        if rng.random() < 0.2 and "weight" not in kwargs:
            kwargs["target_is_time"] = True
            F = len(kwargs.get("on_target", [])) if kwargs.get("multi_spike") else 0
            shape = (F, B, N) if F else (B, N)
            y = torch.randint(-T, T, shape, generator=gen).to(rng.choice([torch.float32, torch.int64]))
        yield loss_case("mse_temporal_loss", kwargs, x, y)


def estimator_cases(count: int, seed: int) -> Iterator[Case]:
    for i in range(count):
        rng, gen = _rng(seed + i)
        dtype = rng.choice(DTYPES)
        T, B, N = _shape(rng)
        x = _spikes((T, B, N), rng.choice(RATES), gen, dtype)
        kind = i % 3
        if kind == 0:
            yield Case(f"FirstSpike x{[T, B, N]} {dtype}", lambda m, s: m.SpikeTime.FirstSpike.apply(s, s.device), x)
        elif kind == 1:
            F = rng.randint(1, 4)
            yield Case(
                f"MultiSpike F={F} x{[T, B, N]} {dtype}",
                lambda m, s, F=F: m.SpikeTime.MultiSpike.apply(s, F, s.device),
                x,
            )
        else:
            tol = rng.choice([1, 2, 2.5, 3])
            times = torch.randint(0, T, (B, N), generator=gen).to(dtype)
            target = torch.randint(0, T, (B, N), generator=gen).to(torch.float32)
            yield Case(
                f"Tolerance tol={tol} [{B}, {N}] {dtype}",
                lambda m, t, target=target, tol=tol: m.SpikeTime.Tolerance.apply(t, target.clone(), tol),
                times,
            )


def edge_cases() -> Iterator[Case]:
    """The corners where ports differ: no spikes, all spikes, B = N, T = 1, weights, population codes."""
    gen = torch.Generator().manual_seed(99)
    for T, B, N in [(1, 1, 1), (1, 3, 3), (5, 4, 4), (1000, 2, 3), (3, 1, 5), (2, 5, 1)]:
        for fill in (0.0, 1.0):
            x = torch.full((T, B, N), fill)
            y = _labels(B, N, gen)
            for name in LOSSES:
                for reduction in ["mean", "sum", "none"]:
                    yield loss_case(name, {"reduction": reduction}, x, y)
                    yield loss_case(name, {"reduction": reduction, "weight": _weight(N, gen, torch.float32)}, x, y)


def run(module, case: Case):
    """Value and input gradient, or the exception raised."""
    x = case.x.clone().requires_grad_(True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = case.call(module, x)
            grad = None
            if value.requires_grad:
                cotangent = torch.randn(value.shape, generator=torch.Generator().manual_seed(7)).to(value.dtype)
                (grad,) = torch.autograd.grad(value, x, cotangent, allow_unused=True)
    except Exception as error:
        return error
    return value.detach(), grad


def bitwise_equal(a: torch.Tensor | None, b: torch.Tensor | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if not a.is_floating_point():
        return torch.equal(a, b)
    bits = {2: torch.int16, 4: torch.int32, 8: torch.int64}[a.element_size()]
    return torch.equal(a.contiguous().view(bits), b.contiguous().view(bits))


def describe_difference(expected, got) -> str:
    if isinstance(expected, Exception) or isinstance(got, Exception):
        return f"upstream: {expected!r}; compat: {got!r}"
    (ev, eg), (gv, gg) = expected, got
    return f"value {ev!r} vs {gv!r}; grad equal: {bitwise_equal(eg, gg)}"


GROUPS = {
    "cross-entropy family": lambda: ce_family_cases(900, 10_000),
    "MSE family": lambda: mse_family_cases(700, 20_000),
    "temporal losses": lambda: temporal_cases(500, 30_000),
    "estimators": lambda: estimator_cases(300, 40_000),
    "edge cases": edge_cases,
}


@pytest.mark.clause("LB-1", "LB-2", "LB-3", "LB-4", "LB-5", "LB-9", "LB-11")
@pytest.mark.parametrize("group", list(GROUPS))
def test_compat_is_bit_identical_to_snntorch(group, request):
    counts = {"cases": 0, "identical": 0, "both_raised": 0}
    failures = []
    for case in GROUPS[group]():
        counts["cases"] += 1
        expected, got = run(upstream, case), run(compat, case)
        if isinstance(expected, Exception):
            if isinstance(got, Exception):
                counts["both_raised"] += 1
            elif not _is_spec_value(case, got):
                failures.append(f"{case.name}: upstream raised {expected!r}, compat returned {got[0]!r}")
            continue
        if isinstance(got, Exception) or not (
            bitwise_equal(expected[0], got[0]) and bitwise_equal(expected[1], got[1])
        ):
            failures.append(f"{case.name}: {describe_difference(expected, got)}")
            continue
        counts["identical"] += 1
    request.config.stash[EQUIVALENCE_KEY][group] = counts
    assert counts["cases"] - counts["both_raised"] > 0.6 * counts["cases"], "too few valid cases to mean anything"
    assert not failures, f"{len(failures)} of {counts['cases']} cases differ:\n" + "\n".join(failures[:20])


def _is_spec_value(case: Case, got) -> bool:
    spec = run(reference, case)
    return not isinstance(spec, Exception) and torch.allclose(spec[0].to(got[0].dtype), got[0], equal_nan=True)
