"""reference/temporal.py: mse_temporal_loss and ce_temporal_loss against the NumPy oracle."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import reference as SF

from . import oracle
from .helpers import grad_of, labels, spikes, weight

SHAPES = [(1, 1, 1), (5, 3, 4), (6, 3, 3), (20, 2, 6)]
REDUCTIONS = ["mean", "sum", "none"]


@pytest.mark.clause("TMP-MSE-1", "TMP-MSE-2", "TMP-MSE-3", "ST-TGT-1", "ST-TOL-1")
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("on", "off", "tolerance"), [(0, -1, 0), (1, 4, 0), (3, -1, 2), (-1, 2, 0), (0, -1, 3)])
@pytest.mark.parametrize("weighted", [False, True])
def test_mse_temporal_matches_oracle(shape, reduction, on, off, tolerance, weighted):
    T, B, N = shape
    x, y = spikes(T, B, N, seed=T), labels(B, N)
    w = weight(N) if weighted else None
    loss = SF.mse_temporal_loss(on_target=on, off_target=off, tolerance=tolerance, reduction=reduction, weight=w)
    expected = oracle.mse_temporal(
        x.numpy(), y.numpy(), on, off, tolerance, None if w is None else w.numpy(), reduction
    )
    np.testing.assert_allclose(loss(x, y).numpy(), expected, rtol=1e-12)


@pytest.mark.clause("TMP-MSE-1", "ST-FIRST-2")
def test_mse_temporal_surrogate_gradient():
    T, B, N = 6, 2, 3
    x, y = spikes(T, B, N, seed=4), torch.tensor([0, 2])
    _, grad = grad_of(SF.mse_temporal_loss(), x, y)
    times = torch.as_tensor(oracle.first_spike(x.numpy()))
    target = torch.as_tensor(oracle.label_times(y.numpy(), N, 0, -1, T))
    dloss_dtime = 2 * (times - target) / (T * T * B * N)
    expected = torch.zeros_like(x).scatter_(0, times.long().unsqueeze(0), -dloss_dtime.unsqueeze(0))
    torch.testing.assert_close(grad, expected)


@pytest.mark.clause("TMP-MSE-3", "ST-MULTI-1", "ST-TGT-2")
def test_mse_temporal_multi_spike_shape():
    x, y = spikes(8, 2, 3, seed=2), torch.tensor([1, 0])
    loss = SF.mse_temporal_loss(multi_spike=True, on_target=[1, 4], off_target=[3, 7], reduction="none")
    assert loss(x, y).shape == (2, 2, 3)


@pytest.mark.clause("TMP-MSE-2", "SHARED-12")
def test_tmp_mse_2_weight_with_time_targets_is_rejected():
    with pytest.raises(ValueError, match="weight"):
        SF.mse_temporal_loss(target_is_time=True, weight=torch.ones(2))


@pytest.mark.clause("TMP-MSE-2", "SHARED-4")
def test_tmp_mse_2_weight_is_per_sample_row():
    x = torch.zeros(4, 2, 2)
    w = torch.tensor([1.0, 10.0])
    got = SF.mse_temporal_loss(on_target=0, off_target=0, reduction="none", weight=w)(x, torch.tensor([1, 0]))
    assert torch.allclose(got, torch.tensor([[10.0, 10.0], [1.0, 1.0]]) * (3 / 4) ** 2)


@pytest.mark.clause("TMP-CE-1", "TMP-CE-2")
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("inverse", ["negate", "reciprocal"])
@pytest.mark.parametrize("weighted", [False, True])
def test_ce_temporal_matches_oracle(shape, reduction, inverse, weighted):
    T, B, N = shape
    x, y = spikes(T, B, N, seed=T + 1), labels(B, N)
    w = weight(N) if weighted else None
    got = SF.ce_temporal_loss(inverse=inverse, reduction=reduction, weight=w)(x, y)
    expected = oracle.ce_temporal(x.numpy(), y.numpy(), inverse, None if w is None else w.numpy(), reduction)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)


@pytest.mark.clause("TMP-CE-1")
def test_tmp_ce_1_logits_are_raw_steps():
    s = torch.zeros(5, 1, 2)
    s[1, 0, 0] = 1
    negate = torch.nn.functional.cross_entropy(torch.tensor([[-1.0, -4.0]]), torch.tensor([0]))
    reciprocal = torch.nn.functional.cross_entropy(torch.tensor([[1 / 2, 1 / 5]]), torch.tensor([0]))
    assert SF.ce_temporal_loss()(s, torch.tensor([0])).item() == pytest.approx(negate.item())
    assert SF.ce_temporal_loss(inverse="reciprocal")(s, torch.tensor([0])).item() == pytest.approx(reciprocal.item())


@pytest.mark.clause("TMP-CE-3", "SHARED-12")
@pytest.mark.parametrize("inverse", ["Negate", "log", None])
def test_inverse_is_validated(inverse):
    with pytest.raises(ValueError, match="inverse"):
        SF.ce_temporal_loss(inverse=inverse)


@pytest.mark.clause("TMP-CE-1", "ST-FIRST-2")
def test_ce_temporal_reciprocal_gradient():
    T, B, N = 5, 2, 3
    x, y = spikes(T, B, N, seed=6), torch.tensor([2, 1])
    _, grad = grad_of(SF.ce_temporal_loss(inverse="reciprocal"), x, y)
    times = torch.as_tensor(oracle.first_spike(x.numpy()))
    z = 1 / (times + 1)
    dz = (torch.softmax(z, -1) - torch.nn.functional.one_hot(y, N)) / B
    dtime = -dz / (times + 1) ** 2
    expected = torch.zeros_like(x).scatter_(0, times.long().unsqueeze(0), -dtime.unsqueeze(0))
    torch.testing.assert_close(grad, expected)


@pytest.mark.clause("SHARED-6", "SHARED-8", "SHARED-2")
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.float16, torch.bfloat16])
def test_temporal_dtype_and_no_mutation(dtype):
    x, y = spikes(4, 2, 3, dtype=dtype), torch.tensor([0, 2], dtype=torch.int32)
    before = (x.clone(), y.clone())
    assert SF.mse_temporal_loss()(x, y).dtype == dtype
    assert SF.ce_temporal_loss()(x, y).dtype == dtype
    assert torch.equal(before[0], x) and torch.equal(before[1], y)
