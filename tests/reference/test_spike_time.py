"""reference/spike_time.py: estimators (forward and surrogate backward) and targets."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import reference as SF

from . import oracle
from .helpers import spikes

RECORDS = [(1, 1, 1), (5, 3, 4), (8, 2, 2), (30, 4, 7), (4, 2, 3, 2), (6, 5)]


@pytest.mark.clause("ST-FIRST-1")
@pytest.mark.parametrize("shape", RECORDS)
@pytest.mark.parametrize("rate", [0.0, 0.2, 1.0])
def test_first_spike_matches_oracle(shape, rate):
    spk = (torch.rand(shape, generator=torch.Generator().manual_seed(len(shape))) < rate).double()
    got = SF.FirstSpike.apply(spk)
    np.testing.assert_array_equal(got.numpy(), oracle.first_spike(spk.numpy()))
    assert got.dtype == spk.dtype and got.shape == spk.shape[1:]


@pytest.mark.clause("ST-FIRST-1", "ST-FIRST-2")
def test_st_first_1_silent_neuron_shadow_spike_and_gradient():
    s = torch.zeros(4, 1, 2)
    s[3, 0, 0] = 1
    s.requires_grad_(True)
    times = SF.FirstSpike.apply(s)
    times.backward(torch.tensor([[1.0, 2.0]]))
    assert times.tolist() == [[3.0, 3.0]]
    assert s.grad[:, 0, :].T.tolist() == [[0, 0, 0, -1], [0, 0, 0, -2]]


@pytest.mark.clause("ST-FIRST-2")
@pytest.mark.parametrize("shape", RECORDS)
def test_st_first_2_backward_at_any_rank(shape):
    spk = (torch.rand(shape, generator=torch.Generator().manual_seed(7)) < 0.3).double().requires_grad_(True)
    g = torch.randn(shape[1:], generator=torch.Generator().manual_seed(8), dtype=torch.float64)
    SF.FirstSpike.apply(spk).backward(g)
    first = torch.as_tensor(oracle.first_spike(spk.detach().numpy())).long()
    expected = torch.zeros_like(spk).scatter_(0, first.unsqueeze(0), -g.unsqueeze(0))
    assert torch.equal(spk.grad, expected)


@pytest.mark.clause("ST-1", "SHARED-12")
@pytest.mark.parametrize("value", [0.5, 2.0, -1.0, float("nan")])
def test_st_1_non_binary_records_are_rejected(value):
    spk = torch.zeros(5, 1, 1)
    spk[1, 0, 0] = value
    with pytest.raises(ValueError, match="spk_rec"):
        SF.FirstSpike.apply(spk)
    with pytest.raises(ValueError, match="spk_rec"):
        SF.mse_temporal_loss()(spk, torch.tensor([0]))
    with pytest.raises(ValueError, match="spk_rec"):
        SF.FirstSpike.apply(torch.zeros(0, 2))


@pytest.mark.clause("ST-MULTI-1")
@pytest.mark.parametrize("shape", RECORDS[:5])
@pytest.mark.parametrize("count", [1, 2, 3, 40])
def test_multi_spike_matches_oracle(shape, count):
    spk = (torch.rand(shape, generator=torch.Generator().manual_seed(count)) < 0.4).double()
    got = SF.MultiSpike.apply(spk, count)
    np.testing.assert_array_equal(got.numpy(), oracle.nth_spikes(spk.numpy(), count))


@pytest.mark.clause("ST-MULTI-1")
def test_st_multi_1_spike_times_are_per_neuron():
    s = torch.zeros(6, 1, 2)
    s[[0, 2], 0, 0] = 1
    s[[2, 4], 0, 1] = 1
    assert SF.MultiSpike.apply(s, 2)[:, 0, :].tolist() == [[0, 2], [2, 4]]
    assert torch.equal(SF.MultiSpike.apply(s, 1)[0], SF.FirstSpike.apply(s))


@pytest.mark.clause("ST-MULTI-2")
def test_st_multi_2_backward_accumulates():
    s = torch.zeros(4, 1, 1, requires_grad=True)
    SF.MultiSpike.apply(s, 2).backward(torch.tensor([[[1.0]], [[10.0]]]))
    assert s.grad[:, 0, 0].tolist() == [0, 0, 0, -11]


@pytest.mark.clause("ST-MULTI-1", "SHARED-12")
def test_multi_spike_count_must_be_positive():
    with pytest.raises(ValueError, match="spk_count"):
        SF.MultiSpike.apply(torch.zeros(3, 1, 1), 0)


@pytest.mark.clause("ST-TOL-1", "ST-TOL-2", "ST-TOL-3")
def test_st_tol_1_strict_snap_with_identity_backward():
    times = torch.tensor([0.0, 1.0, 2.0, 3.0, 4.0], requires_grad=True)
    target = torch.tensor([2.0] * 5)
    assert SF.Tolerance.apply(times, target, 1).tolist() == [0, 1, 2, 3, 4]
    assert SF.Tolerance.apply(times, target, 0).tolist() == [0, 1, 2, 3, 4]
    snapped = SF.Tolerance.apply(times, target, 2)
    assert snapped.tolist() == [0, 2, 2, 2, 4]
    assert SF.Tolerance.apply(times, target, 2.5).tolist() == [2, 2, 2, 2, 2]
    snapped.backward(torch.arange(5.0))
    assert times.grad.tolist() == [0, 1, 2, 3, 4]
    assert SF.Tolerance.apply(times, target, -1).tolist() == [0, 1, 2, 3, 4]


@pytest.mark.clause("ST-TGT-1", "ST-TGT-4", "SHARED-10")
def test_st_tgt_1_default_targets_are_zero_and_last_step():
    s = torch.zeros(5, 1, 3)
    s[0, 0, 1] = 1
    s[4, 0, 0] = 1
    spk_time, target_time = SF.SpikeTime()(s, torch.tensor([1]))
    assert target_time.tolist() == [[4.0, 0.0, 4.0]]
    assert spk_time.tolist() == [[4.0, 0.0, 4.0]]
    assert SF.mse_temporal_loss()(s, torch.tensor([1])).item() == 0.0


@pytest.mark.clause("ST-TGT-4")
def test_negative_times_wrap_once():
    _, target_time = SF.SpikeTime(on_target=-7, off_target=-1)(torch.zeros(5, 1, 2), torch.tensor([0]))
    assert target_time.tolist() == [[-2.0, 4.0]]


@pytest.mark.clause("ST-TGT-2", "SHARED-12")
def test_st_tgt_2_multi_spike_target_arguments():
    spk_time, target_time = SF.SpikeTime(multi_spike=True, on_target=[1, 2], off_target=[3, -1])(
        spikes(6, 2, 2, dtype=torch.float32), torch.tensor([0, 1])
    )
    assert target_time.shape == spk_time.shape == (2, 2, 2)
    assert target_time[:, 0, :].tolist() == [[1, 3], [2, 5]]
    with pytest.raises(ValueError, match="same length"):
        SF.SpikeTime(multi_spike=True, on_target=[1, 2], off_target=[5])
    with pytest.raises(TypeError, match="on_target"):
        SF.SpikeTime(multi_spike=True, on_target=1, off_target=5)
    with pytest.raises(ValueError, match="on_target"):
        SF.SpikeTime(multi_spike=True, on_target=[], off_target=[])
    with pytest.raises(TypeError, match="on_target"):
        SF.SpikeTime(on_target=torch.tensor((5, 10)), off_target=torch.tensor((100, 105)))


@pytest.mark.clause("ST-TGT-3", "ST-TGT-4", "SHARED-8")
def test_st_tgt_3_time_targets_are_not_mutated():
    t = torch.tensor([[0.0, -1.0, 2.0]])
    before = t.clone()
    _, target_time = SF.SpikeTime(target_is_time=True)(torch.zeros(5, 1, 3), t)
    assert torch.equal(t, before)
    assert target_time.tolist() == [[0.0, 4.0, 2.0]]
    _, broadcast = SF.SpikeTime(target_is_time=True)(torch.zeros(5, 2, 3), torch.tensor([1, 2, -1]))
    assert broadcast.shape == (2, 3)
    with pytest.raises(ValueError, match="targets"):
        SF.SpikeTime(target_is_time=True)(torch.zeros(5, 2, 3), torch.zeros(4))
    with pytest.raises(ValueError, match="targets"):
        SF.SpikeTime(target_is_time=True, multi_spike=True, on_target=[0], off_target=[1])(
            torch.zeros(5, 2, 3), torch.zeros(2, 3)
        )
