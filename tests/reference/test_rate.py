"""reference/rate.py: ce_rate_loss, ce_count_loss, mse_count_loss against the NumPy oracle."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import reference as SF

from . import oracle
from .helpers import grad_of, labels, membrane, spikes, weight

SHAPES = [(1, 1, 1), (4, 3, 5), (3, 3, 3), (7, 2, 6), (25, 4, 10)]
REDUCTIONS = ["mean", "sum", "none"]


def _np(t: torch.Tensor | None):
    return None if t is None else t.detach().numpy()


@pytest.mark.clause("CE-RATE-1", "CE-RATE-3", "SHARED-5", "SHARED-4")
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_ce_rate_matches_oracle(shape, reduction, weighted):
    T, B, N = shape
    x, y = membrane(T, B, N, seed=T), labels(B, N, seed=N)
    w = weight(N) if weighted else None
    got = SF.ce_rate_loss(reduction=reduction, weight=w)(x, y)
    np.testing.assert_allclose(
        got.numpy(), oracle.ce_rate(_np(x), _np(y), weight=_np(w), reduction=reduction), rtol=1e-12
    )
    assert got.shape == ((B,) if reduction == "none" else ())


@pytest.mark.clause("CE-RATE-2", "SHARED-9")
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_ce_rate_population_code_pools_each_step(reduction):
    x, y = membrane(5, 3, 6, seed=3), torch.tensor([1, 0, 2])
    w = weight(3)
    got = SF.ce_rate_loss(population_code=True, num_classes=3, reduction=reduction, weight=w)(x, y)
    expected = oracle.ce_rate(_np(x), _np(y), num_classes=3, weight=_np(w), reduction=reduction)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)


@pytest.mark.clause("CE-COUNT-1", "CE-COUNT-3", "SHARED-5", "SHARED-4")
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_ce_count_matches_oracle(shape, reduction, weighted):
    T, B, N = shape
    x, y = spikes(T, B, N, seed=T), labels(B, N, seed=N)
    w = weight(N) if weighted else None
    got = SF.ce_count_loss(reduction=reduction, weight=w)(x, y)
    np.testing.assert_allclose(
        got.numpy(), oracle.ce_count(_np(x), _np(y), weight=_np(w), reduction=reduction), rtol=1e-12
    )


@pytest.mark.clause("CE-COUNT-2", "SHARED-9")
def test_ce_count_population_code_uses_contiguous_blocks():
    x = torch.arange(24, dtype=torch.float64).reshape(2, 2, 6) / 24
    y = torch.tensor([2, 0])
    got = SF.ce_count_loss(population_code=True, num_classes=3, reduction="none")(x, y)
    np.testing.assert_allclose(
        got.numpy(), oracle.ce_count(_np(x), _np(y), num_classes=3, reduction="none"), rtol=1e-12
    )
    pooled = SF.population_code(torch.arange(24.0).reshape(2, 2, 6), 3).sum(0)
    assert pooled.tolist() == [[26, 34, 42], [50, 58, 66]]


@pytest.mark.clause("MSE-COUNT-2", "MSE-COUNT-4", "SHARED-4", "SHARED-5")
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_mse_count_matches_oracle(shape, reduction, weighted):
    T, B, N = shape
    x, y = spikes(T, B, N, seed=T), labels(B, N, seed=N)
    w = weight(N) if weighted else None
    loss = SF.mse_count_loss(correct_rate=0.8, incorrect_rate=0.1, reduction=reduction, weight=w)
    expected = oracle.mse_count(_np(x), _np(y), 0.8, 0.1, weight=_np(w), reduction=reduction)
    np.testing.assert_allclose(loss(x, y).numpy(), expected, rtol=1e-12)
    assert loss(x, y).shape == ((B, N) if reduction == "none" else ())


@pytest.mark.clause("MSE-COUNT-1")
@pytest.mark.parametrize(
    ("T", "rate", "count"), [(100, 0.29, 28), (100, 0.57, 56), (10, 0.75, 7), (3, 0.5, 1), (50, 0.58, 28)]
)
def test_mse_count_targets_truncate_a_binary64_product(T, rate, count):
    assert SF.mse_count_loss(correct_rate=rate).count_targets(T, 2) == (count, 0)
    x = torch.zeros(T, 1, 2)
    x[:count, 0, 0] = 1
    assert SF.mse_count_loss(correct_rate=rate)(x, torch.tensor([0])).item() == 0.0


@pytest.mark.clause("MSE-COUNT-3", "SHARED-9")
def test_mse_count_population_targets_scale_with_block():
    x, y = spikes(4, 3, 6, rate=0.5, seed=5), torch.tensor([0, 2, 1])
    loss = SF.mse_count_loss(correct_rate=0.75, incorrect_rate=0.25, population_code=True, num_classes=3)
    assert loss.count_targets(4, 6) == (6, 2)
    expected = oracle.mse_count(_np(x), _np(y), 0.75, 0.25, num_classes=3)
    np.testing.assert_allclose(loss(x, y).numpy(), expected, rtol=1e-12)


@pytest.mark.clause("SHARED-13")
@pytest.mark.parametrize(
    "loss_fn",
    [
        SF.ce_rate_loss(),
        SF.ce_rate_loss(population_code=True, num_classes=2, reduction="sum"),
        SF.ce_count_loss(weight=torch.tensor([1.0, 2.0, 0.5, 1.5], dtype=torch.float64)),
        SF.mse_count_loss(correct_rate=0.5, reduction="none"),
    ],
)
def test_rate_gradients_are_exact(loss_fn):
    x = membrane(3, 2, 4, seed=9).requires_grad_(True)
    y = torch.tensor([1, 0])
    assert torch.autograd.gradcheck(lambda v: loss_fn(v, y), (x,))


@pytest.mark.clause("CE-RATE-1")
def test_ce_rate_gradient_formula():
    T, B, N = 6, 3, 4
    x, y = membrane(T, B, N, seed=1), labels(B, N)
    _, grad = grad_of(SF.ce_rate_loss(), x, y)
    expected = (torch.softmax(x, -1) - torch.nn.functional.one_hot(y, N)) / (B * T)
    torch.testing.assert_close(grad, expected)


# Corrected upstream quirks (spec profile): one test per quirk, on its reproducer.


@pytest.mark.clause("SHARED-5", "SHARED-4")
def test_shared_5_sum_with_weight_reduces():
    x = torch.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    y, w = torch.tensor([0, 2]), torch.tensor([1.0, 2.0, 3.0])
    total = SF.ce_count_loss(reduction="sum", weight=w)(x, y)
    assert total.shape == ()
    torch.testing.assert_close(total, torch.tensor(0.5514 + 4.6543), atol=1e-4, rtol=0)


@pytest.mark.clause("SHARED-5")
def test_shared_5_weighted_mean_divides_by_batch_not_weights():
    x = torch.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    y, w = torch.tensor([0, 2]), torch.tensor([1.0, 2.0, 3.0])
    assert SF.ce_count_loss(weight=w)(x, y).item() == pytest.approx(2.6028892993927, rel=1e-6)


@pytest.mark.clause("SHARED-5")
def test_shared_5_reduced_ce_rate_is_zero_dimensional():
    x, y = torch.zeros(2, 2, 3), torch.tensor([0, 1])
    assert SF.ce_rate_loss()(x, y).shape == ()
    assert SF.ce_rate_loss(reduction="sum")(x, y).shape == ()


@pytest.mark.clause("SHARED-6")
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.float16, torch.bfloat16])
@pytest.mark.parametrize("name", ["ce_rate_loss", "ce_count_loss", "mse_count_loss"])
def test_shared_6_output_dtype_is_input_dtype(dtype, name):
    x = torch.rand(3, 2, 4, generator=torch.Generator().manual_seed(0)).to(dtype)
    y = torch.tensor([0, 1])
    assert getattr(SF, name)()(x, y).dtype == dtype
    assert SF.ce_count_loss(population_code=True, num_classes=2)(x, y).dtype == dtype


@pytest.mark.clause("SHARED-6")
def test_shared_6_float64_keeps_precision():
    x = torch.rand(3, 2, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    y = torch.tensor([0, 1])
    expected = oracle.ce_rate(x.numpy(), y.numpy())
    assert SF.ce_rate_loss()(x, y).item() == pytest.approx(expected, rel=1e-14)


@pytest.mark.clause("SHARED-6")
def test_half_precision_counts_do_not_overflow():
    x = torch.ones(1000, 2, 3, dtype=torch.float16)
    value = SF.mse_count_loss(correct_rate=0)(x, torch.tensor([0, 1]))
    assert value.dtype == torch.float16 and torch.isfinite(value)


@pytest.mark.clause("CE-RATE-2")
def test_ce_rate_2_population_code_without_weight_pools():
    x = torch.randn(4, 3, 6, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    y = torch.tensor([1, 0, 1])
    got = SF.ce_rate_loss(population_code=True, num_classes=2)(x, y)
    np.testing.assert_allclose(got.item(), oracle.ce_rate(x.numpy(), y.numpy(), num_classes=2), rtol=1e-12)


@pytest.mark.clause("SHARED-3", "SHARED-12")
@pytest.mark.parametrize("name", ["ce_rate_loss", "ce_count_loss", "mse_count_loss"])
def test_shared_3_invalid_reduction_raises_at_construction(name):
    with pytest.raises(ValueError, match="reduction"):
        getattr(SF, name)(reduction="avg", weight=torch.ones(3))


@pytest.mark.clause("SHARED-2", "SHARED-12")
@pytest.mark.parametrize("name", ["ce_rate_loss", "ce_count_loss", "mse_count_loss"])
@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (torch.tensor([0, 3]), ValueError),
        (torch.tensor([0, -1]), ValueError),
        (torch.tensor([0.0, 2.0]), TypeError),
        (torch.tensor([True, False]), TypeError),
        (torch.tensor([0, 1, 2]), ValueError),
        ([0, 1], TypeError),
    ],
)
def test_shared_2_one_label_rule(name, bad, error):
    with pytest.raises(error, match="targets"):
        getattr(SF, name)()(torch.zeros(2, 2, 3), bad)


@pytest.mark.clause("SHARED-2")
@pytest.mark.parametrize("dtype", [torch.int8, torch.uint8, torch.int16, torch.int32, torch.int64])
def test_shared_2_any_integer_label_dtype(dtype):
    x = spikes(3, 2, 3)
    reference = SF.ce_count_loss()(x, torch.tensor([0, 2]))
    assert SF.ce_count_loss()(x, torch.tensor([0, 2], dtype=dtype)).item() == reference.item()


@pytest.mark.clause("SHARED-1", "SHARED-11", "SHARED-12")
@pytest.mark.parametrize("name", ["ce_rate_loss", "ce_count_loss", "mse_count_loss"])
def test_shared_1_empty_time_and_batch(name):
    with pytest.raises(ValueError, match="spk_out"):
        getattr(SF, name)()(torch.zeros(0, 2, 4), torch.tensor([0, 1]))
    empty = torch.zeros(3, 0, 4)
    no_labels = torch.zeros(0, dtype=torch.long)
    assert torch.isnan(getattr(SF, name)()(empty, no_labels))
    assert getattr(SF, name)(reduction="sum")(empty, no_labels).item() == 0
    assert getattr(SF, name)(reduction="none")(empty, no_labels).numel() == 0


@pytest.mark.clause("SHARED-9", "SHARED-12")
def test_population_code_arguments():
    with pytest.raises(ValueError, match="num_classes"):
        SF.ce_count_loss(population_code=True)
    with pytest.raises(ValueError, match="num_classes"):
        SF.ce_count_loss(population_code=True, num_classes=4)(torch.zeros(2, 2, 6), torch.tensor([0, 1]))


@pytest.mark.clause("SHARED-4", "SHARED-12")
def test_weight_arguments():
    with pytest.raises(TypeError, match="weight"):
        SF.ce_count_loss(weight=[1.0, 2.0])
    with pytest.raises(TypeError, match="weight"):
        SF.ce_count_loss(weight=torch.tensor([1, 2]))
    with pytest.raises(ValueError, match="weight"):
        SF.ce_count_loss(weight=torch.ones(2))(torch.zeros(2, 2, 3), torch.tensor([0, 1]))


@pytest.mark.clause("SHARED-1", "SHARED-12")
@pytest.mark.parametrize(
    "bad", [torch.zeros(2, 3), torch.zeros(2, 2, 3, dtype=torch.long), "spikes", torch.zeros(2, 2, 0)]
)
def test_record_argument(bad):
    with pytest.raises((TypeError, ValueError), match="spk_out"):
        SF.ce_count_loss()(bad, torch.tensor([0, 1]))


@pytest.mark.clause("SHARED-8", "SHARED-7")
@pytest.mark.parametrize("name", ["ce_rate_loss", "ce_count_loss", "mse_count_loss"])
def test_nothing_is_mutated(name):
    x, y, w = spikes(4, 3, 3), torch.tensor([0, 2, 1]), weight(3)
    copies = (x.clone(), y.clone(), w.clone())
    value = getattr(SF, name)(weight=w)(x, y)
    assert value.device == x.device
    for before, after in zip(copies, (x, y, w), strict=True):
        assert torch.equal(before, after)
