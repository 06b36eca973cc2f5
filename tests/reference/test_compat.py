"""reference.compat: each legacy behaviour LB-n on its upstream reproducer (values printed by snnTorch 1.0.0)."""

from __future__ import annotations

import pytest
import torch

import reference as SPEC
import reference.compat as SF


@pytest.mark.clause("LB-1")
def test_lb1_clamped_targets():
    s = torch.zeros(5, 1, 3)
    s[0, 0, 1] = 1
    s[4, 0, 0] = 1
    assert SF.SpikeTime()(s, torch.tensor([1]))[1].tolist() == [[0.0, 0.0, 0.0]]
    assert SF.mse_temporal_loss()(s, torch.tensor([1])).item() == pytest.approx(0.4267, abs=1e-4)
    assert SPEC.mse_temporal_loss()(s, torch.tensor([1])).item() == 0.0


@pytest.mark.clause("LB-2", "LB-3")
def test_lb2_lb3_float32_one_element_results():
    x = torch.rand(3, 2, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    y = torch.tensor([0, 1])
    value = SF.ce_rate_loss()(x, y)
    assert value.dtype == torch.float32 and value.shape == (1,)
    exact = SPEC.ce_rate_loss()(x, y)
    assert exact.dtype == torch.float64 and value.item() != exact.item()
    assert value.item() == pytest.approx(exact.item(), rel=1e-6)
    assert SF.mse_membrane_loss()(x, y).shape == (1,)
    assert SF.mse_count_loss()(x.half(), y).dtype == torch.float32
    assert SF.ce_count_loss(population_code=True, num_classes=3)(x, y).dtype == torch.float32


@pytest.mark.clause("LB-4")
def test_lb4_weight_on_last_axis():
    x, y, w = torch.zeros(2, 2, 2), torch.tensor([1, 0]), torch.tensor([1.0, 10.0])
    assert SF.mse_membrane_loss(reduction="none", weight=w)(x, y).tolist() == [[0.0, 1.0], [10.0, 0.0]]
    with pytest.raises(RuntimeError):
        SF.mse_count_loss(weight=torch.ones(5))(torch.zeros(2, 3, 5), torch.tensor([0, 1, 2]))


@pytest.mark.clause("LB-5", "LB-6")
def test_lb5_lb6_weighted_sum_and_invalid_reduction_do_not_reduce():
    x = torch.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    y, w = torch.tensor([0, 2]), torch.tensor([1.0, 2.0, 3.0])
    assert SF.ce_count_loss(reduction="sum", weight=w)(x, y).shape == (2,)
    assert SF.ce_count_loss(reduction="avg", weight=w)(torch.zeros(2, 2, 3), torch.tensor([0, 1])).shape == (2,)
    with pytest.raises(ValueError):
        SF.ce_count_loss(reduction="avg")


@pytest.mark.clause("LB-7")
def test_lb7_ce_rate_population_code_does_not_pool():
    x = torch.randn(4, 3, 6, generator=torch.Generator().manual_seed(1))
    y = torch.tensor([1, 5, 0])
    pop = SF.ce_rate_loss(population_code=True, num_classes=2, weight=torch.tensor([2.0, 3.0]))(x, y)
    plain = SF.ce_rate_loss(weight=torch.tensor([2.0, 2.0, 2.0, 3.0, 3.0, 3.0]))(x, y)
    assert pop.item() == plain.item() == pytest.approx(5.2242, abs=1e-4)
    with pytest.raises(TypeError):
        SF.ce_rate_loss(population_code=True, num_classes=2)(x, y)


@pytest.mark.clause("LB-8")
@pytest.mark.filterwarnings("ignore:Using a target size")
def test_lb8_time_var_targets_index_samples():
    got = SF.mse_membrane_loss(time_var_targets=True, reduction="none")(torch.zeros(3, 3, 4), torch.tensor([0, 1, 2]))
    assert torch.allclose(got, torch.tensor([[1 / 3, 1 / 3, 1 / 3, 0.0]] * 3))
    with pytest.raises(IndexError):
        SF.mse_membrane_loss(time_var_targets=True)(torch.zeros(4, 3, 4), torch.tensor([0, 1, 2]))


@pytest.mark.clause("LB-9")
def test_lb9_multi_spike_zeroes_whole_steps_and_assigns():
    s = torch.zeros(6, 1, 2)
    s[[0, 2], 0, 0] = 1
    s[[2, 4], 0, 1] = 1
    assert SF.MultiSpike.apply(s, 2, s.device)[:, 0, :].tolist() == [[0, 2], [5, 4]]
    z = torch.zeros(4, 1, 1, requires_grad=True)
    SF.MultiSpike.apply(z, 2, z.device).backward(torch.tensor([[[1.0]], [[10.0]]]))
    assert z.grad[:, 0, 0].tolist() == [0, 0, 0, -10]


@pytest.mark.clause("LB-10", "SHARED-8")
def test_lb10_compat_does_not_mutate_time_targets():
    t = torch.tensor([[0.0, -1.0, 2.0]])
    SF.mse_temporal_loss(target_is_time=True)(torch.zeros(5, 1, 3), t)
    assert t.tolist() == [[0.0, -1.0, 2.0]]


@pytest.mark.clause("LB-11")
def test_lb11_weight_indexed_by_target_times():
    s = torch.zeros(5, 1, 2)
    s[1, 0, 0] = 1
    tt, w = torch.tensor([[0, 4]]), torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])
    got = SF.mse_temporal_loss(target_is_time=True, weight=w, reduction="none")(s, tt)
    assert torch.allclose(got, torch.tensor([[0.04, 0.0]]))


@pytest.mark.clause("LB-12")
def test_lb12_float_labels_truncate():
    assert SF.mse_count_loss()(torch.zeros(2, 2, 3), torch.tensor([0.0, 2.0])).item() == pytest.approx(0.6667, abs=1e-4)


@pytest.mark.clause("LB-13")
def test_lb13_degenerate_values_at_zero_steps():
    x, y = torch.zeros(0, 2, 4), torch.tensor([0, 1])
    assert SF.ce_count_loss()(x, y).item() == pytest.approx(1.3863, abs=1e-4)
    assert torch.isnan(SF.mse_count_loss()(x, y))
    assert SF.ce_rate_loss()(x, y).shape == (1,) and torch.isnan(SF.ce_rate_loss()(x, y)).all()
    assert torch.isnan(SF.mse_membrane_loss()(x, y)).all()


@pytest.mark.clause("LB-14")
def test_lb14_first_spike_backward_rank4():
    z = torch.zeros(4, 1, 1, 2)
    z[1, 0, 0, 0] = 1
    z[3, 0, 0, 1] = 1
    z.requires_grad_(True)
    SF.SpikeTime.FirstSpike.apply(z, z.device).backward(torch.tensor([[[1.0, 2.0]]]))
    assert z.grad[:, 0, 0, :].T.tolist() == [[-0.0, -1.0, -0.0, -1.0], [-0.0, -2.0, -0.0, -2.0]]


@pytest.mark.clause("LB-15")
def test_lb15_dtype_crashes():
    x = torch.rand(3, 2, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    y = torch.tensor([0, 1])
    with pytest.raises(RuntimeError):
        SF.ce_rate_loss(population_code=True, num_classes=3, weight=torch.ones(3, dtype=torch.float64))(x, y)
    with pytest.raises(RuntimeError):
        SF.ce_count_loss(weight=torch.ones(3))(x, y)
    with pytest.raises(RuntimeError):
        SF.Tolerance.apply(torch.zeros(3, dtype=torch.float16), torch.ones(3), 2)
    assert SPEC.ce_rate_loss(weight=torch.ones(3, dtype=torch.float64))(x, y).dtype == torch.float64


@pytest.mark.clause("LB-16")
def test_lb16_ce_family_rejects_int32_labels():
    x, y = torch.zeros(2, 2, 3), torch.tensor([0, 1], dtype=torch.int32)
    with pytest.raises(RuntimeError):
        SF.ce_count_loss()(x, y)
    assert SPEC.ce_count_loss()(x, y).item() == pytest.approx(1.0986, abs=1e-4)


@pytest.mark.clause("LB-17")
def test_lb17_other_error_classes():
    with pytest.raises(IndexError):
        SF.ce_count_loss()(torch.zeros(2, 2, 3), torch.tensor([0, 3]))
    with pytest.raises(ValueError, match="targets"):
        SPEC.ce_count_loss()(torch.zeros(2, 2, 3), torch.tensor([0, 3]))


@pytest.mark.clause("LB-18")
def test_lb18_half_precision_times_are_rounded_twice():
    import snntorch.functional as upstream

    from reference.compat.legacy import recording

    record = torch.zeros(257, 1, 2, dtype=torch.bfloat16)
    record[3, 0, 0] = 1  # neuron 1 is silent: its time is T-1 = 256, exact in bfloat16
    with recording() as noted:
        legacy = SF.SpikeTime.FirstSpike.apply(record, "cpu")
    assert legacy.tolist() == [[3.0, 255.0]] and noted == {"LB-18"}
    assert torch.equal(legacy, upstream.SpikeTime.FirstSpike.apply(record, "cpu"))
    assert SPEC.SpikeTime.FirstSpike.apply(record, "cpu").tolist() == [[3.0, 256.0]]


@pytest.mark.clause("LB-18")
def test_lb18_a_time_rounded_past_the_record_makes_the_backward_raise_index_error():
    import snntorch.functional as upstream

    from reference.compat.legacy import recording

    record = torch.zeros(300, 1, 2, dtype=torch.bfloat16, requires_grad=True)  # silent: T-1 = 299 is 300 in bf16
    upstream_times = upstream.SpikeTime.FirstSpike.apply(record, "cpu")
    with pytest.raises(IndexError):
        upstream_times.sum().backward()
    times = SF.SpikeTime.FirstSpike.apply(record, "cpu")
    with recording() as noted, pytest.raises(IndexError, match="out of bounds"):
        times.sum().backward()
    assert noted == {"LB-18"} and torch.equal(times, upstream_times)
    spec_times = SPEC.SpikeTime.FirstSpike.apply(record, "cpu")
    spec_times.sum().backward()  # the spec's times are exact before the final rounding: no index past T-1
    assert record.grad is not None
