"""Small input builders shared by the reference tests."""

from __future__ import annotations

import torch


def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def spikes(T: int, B: int, N: int, rate: float = 0.3, seed: int = 0, dtype=torch.float64) -> torch.Tensor:
    return (torch.rand(T, B, N, generator=generator(seed)) < rate).to(dtype)


def membrane(T: int, B: int, N: int, seed: int = 0, dtype=torch.float64) -> torch.Tensor:
    return torch.randn(T, B, N, generator=generator(seed)).to(dtype)


def labels(B: int, K: int, seed: int = 0) -> torch.Tensor:
    return torch.randint(0, K, (B,), generator=generator(seed + 1))


def weight(K: int, seed: int = 0, dtype=torch.float64) -> torch.Tensor:
    return (torch.rand(K, generator=generator(seed + 2)) + 0.5).to(dtype)


def grad_of(loss_fn, x: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    x = x.clone().requires_grad_(True)
    value = loss_fn(x, targets)
    (grad,) = torch.autograd.grad(value.sum(), x)
    return value.detach(), grad
