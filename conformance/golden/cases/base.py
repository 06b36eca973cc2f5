"""What every golden case is made of: the :class:`Case` record and the exact-input builders.

Inputs are exact in every dtype a case is meant for: spikes are 0/1, membrane values
are multiples of 1/16 in [-4, 4], weights multiples of 1/8 in [0.25, 2].
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import torch

from ...ops import LOSSES, OPS
from ...vocabulary import REDUCTIONS  # noqa: F401 (the cases import it from here)

F16, BF16, F32, F64 = torch.float16, torch.bfloat16, torch.float32, torch.float64


@dataclass(kw_only=True)
class Case:
    """One golden case: an op, its constructor params and call inputs, and the clause and LB ids it checks."""

    op: str
    params: dict
    inputs: dict
    clauses: tuple[str, ...]
    flags: tuple[str, ...] = ()
    comment: str = ""
    tolerance: dict | None = None
    may_modify: tuple[str, ...] = ()  # inputs snntorch-1.0 may rewrite in place (LB-10)


def gen(*key: object) -> torch.Generator:
    return torch.Generator().manual_seed(zlib.crc32(repr(key).encode()))


def spikes(T: int, B: int, N: int, rate: float = 0.3, dtype=F32, seed: object = 0) -> torch.Tensor:
    return (torch.rand(T, B, N, generator=gen("spikes", T, B, N, rate, seed)) < rate).to(dtype)


def membrane(T: int, B: int, N: int, dtype=F32, seed: object = 0) -> torch.Tensor:
    return (torch.randint(-64, 65, (T, B, N), generator=gen("membrane", T, B, N, seed)) / 16).to(dtype)


def labels(B: int, K: int, seed: object = 0) -> torch.Tensor:
    return torch.randint(0, K, (B,), generator=gen("labels", B, K, seed))


def weight(K: int, dtype=F32, seed: object = 0) -> torch.Tensor:
    return (torch.randint(2, 17, (K,), generator=gen("weight", K, seed)) / 8).to(dtype)


def target_only(T: int, y: torch.Tensor, N: int, dtype=F32) -> torch.Tensor:
    """Only the labelled neuron of each sample fires, at every step."""
    return torch.nn.functional.one_hot(y, N).to(dtype).expand(T, -1, -1).clone()


HALF_TOLERANCE = {
    "rtol": 2e-2,
    "atol": 2e-2,
    "reason": "bfloat16 keeps 8 significant bits; an implementation that accumulates in bfloat16 "
    "rather than float32 differs by a few units in the last place",
}


def membrane_input(T, B, N, dtype, seed):
    return membrane(T, B, N, dtype, seed)


def spike_input(T, B, N, dtype, seed):
    return spikes(T, B, N, 0.4, dtype, seed)


def record_with(T: int, B: int, N: int, fires: dict) -> torch.Tensor:
    """A spike record with spikes at ``fires[(b, n)] = [t, ...]``."""
    spk = torch.zeros(T, B, N)
    for (b, n), steps in fires.items():
        spk[list(steps), b, n] = 1.0
    return spk


def long_record(T: int, dtype=F32) -> torch.Tensor:
    """Two samples, three neurons: late spikes (past 127, 255 and 32767 where T allows) and a silent neuron."""
    fires = {(0, 0): [T - 2], (0, 1): [min(129, T - 3), T - 1], (1, 0): [T // 2 + 1], (1, 2): [min(256, T - 4)]}
    return record_with(T, 2, 3, fires).to(dtype)


LONG_T = 32770  # past int16's largest value


NARROW_LABELS = (torch.int32, torch.int16, torch.int8, torch.uint8)


CE_OPS = ("ce_rate_loss", "ce_count_loss", "ce_max_membrane_loss", "ce_temporal_loss")


LOSS_RECORD = {name: OPS[name].inputs[0] for name in LOSSES}  # spk_out, mem_out or spk_rec
