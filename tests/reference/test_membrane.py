"""reference/membrane.py: ce_max_membrane_loss and mse_membrane_loss against the NumPy oracle."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import reference as SF

from . import oracle
from .helpers import grad_of, labels, membrane, weight

SHAPES = [(1, 1, 1), (4, 3, 5), (3, 3, 3), (9, 2, 4)]
REDUCTIONS = ["mean", "sum", "none"]


@pytest.mark.clause("CE-MAX-1", "CE-MAX-3", "SHARED-4", "SHARED-5")
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_ce_max_membrane_matches_oracle(shape, reduction, weighted):
    T, B, N = shape
    x, y = membrane(T, B, N, seed=T + N), labels(B, N)
    w = weight(N) if weighted else None
    got = SF.ce_max_membrane_loss(reduction=reduction, weight=w)(x, y)
    expected = oracle.ce_max_membrane(
        x.numpy(), y.numpy(), weight=None if w is None else w.numpy(), reduction=reduction
    )
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)


@pytest.mark.clause("CE-MAX-2")
def test_ce_max_membrane_ties_send_gradient_to_first_step():
    x = torch.zeros(3, 1, 3, dtype=torch.float64)
    x[1, 0, 0] = x[2, 0, 0] = 1.0
    _, grad = grad_of(SF.ce_max_membrane_loss(), x, torch.tensor([1]))
    dz = torch.softmax(torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64), 0) - torch.tensor([0.0, 1.0, 0.0])
    # neuron 0 ties at steps 1 and 2 -> step 1; neurons 1 and 2 tie at every step -> step 0
    expected = torch.zeros(3, 3, dtype=torch.float64)
    expected[1, 0], expected[0, 1], expected[0, 2] = dz[0], dz[1], dz[2]
    torch.testing.assert_close(grad[:, 0, :], expected)


@pytest.mark.clause("MSE-MEM-1", "MSE-MEM-3", "MSE-MEM-4", "SHARED-10")
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("on", "off"), [(1, 0), (1.2, 0.5), (1, -1), (-1, 1), (0.5, -0.5)])
def test_mse_membrane_matches_oracle(shape, reduction, on, off):
    T, B, N = shape
    x, y, w = membrane(T, B, N, seed=T), labels(B, N), weight(N)
    got = SF.mse_membrane_loss(on_target=on, off_target=off, reduction=reduction, weight=w)(x, y)
    expected = oracle.mse_membrane(x.numpy(), y.numpy(), on, off, weight=w.numpy(), reduction=reduction)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)
    assert got.shape == ((B, N) if reduction == "none" else ())


@pytest.mark.clause("MSE-MEM-2", "MSE-MEM-3")
@pytest.mark.parametrize("weighted", [False, True])
def test_mse_mem_2_time_varying_labels(weighted):
    T, B, N = 5, 3, 4
    x = membrane(T, B, N, seed=2)
    y = torch.randint(0, N, (T, B), generator=torch.Generator().manual_seed(3))
    w = weight(N) if weighted else None
    got = SF.mse_membrane_loss(time_var_targets=True, reduction="none", weight=w)(x, y)
    expected = oracle.mse_membrane(
        x.numpy(), y.numpy(), time_var=True, weight=None if w is None else w.numpy(), reduction="none"
    )
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-12)
    with pytest.raises(ValueError, match="targets"):
        SF.mse_membrane_loss(time_var_targets=True)(x, y[0])


@pytest.mark.clause("SHARED-10")
def test_shared_10_negative_off_target_is_used_literally():
    x, y = torch.zeros(2, 1, 3), torch.tensor([1])
    got = SF.mse_membrane_loss(on_target=1, off_target=-1, reduction="none")(x, y)
    assert got.tolist() == [[1.0, 1.0, 1.0]]


@pytest.mark.clause("SHARED-4")
def test_shared_4_weight_scales_each_samples_row():
    x, y, w = torch.zeros(2, 2, 2), torch.tensor([1, 0]), torch.tensor([1.0, 10.0])
    assert SF.mse_membrane_loss(reduction="none", weight=w)(x, y).tolist() == [[0.0, 10.0], [1.0, 0.0]]
    x3 = torch.zeros(2, 3, 5)
    assert SF.mse_membrane_loss(weight=torch.ones(5))(x3, torch.tensor([0, 1, 2])).shape == ()


@pytest.mark.clause("SHARED-13")
@pytest.mark.parametrize(
    "loss_fn",
    [SF.ce_max_membrane_loss(reduction="none"), SF.mse_membrane_loss(on_target=2, off_target=-1, reduction="sum")],
)
def test_membrane_gradients_are_exact(loss_fn):
    x = membrane(4, 2, 3, seed=4).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda v: loss_fn(v, torch.tensor([2, 0])), (x,))


@pytest.mark.clause("SHARED-6", "SHARED-8")
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.float16, torch.bfloat16])
def test_dtype_and_no_mutation(dtype):
    x, y = membrane(3, 2, 3, dtype=dtype), torch.tensor([0, 2])
    before = x.clone()
    for loss_fn in (SF.mse_membrane_loss(), SF.ce_max_membrane_loss()):
        assert loss_fn(x, y).dtype == dtype
    assert torch.equal(x, before)


@pytest.mark.clause("SHARED-1", "SHARED-12")
def test_mem_out_argument_is_named():
    with pytest.raises(ValueError, match="mem_out"):
        SF.mse_membrane_loss()(torch.zeros(0, 2, 3), torch.tensor([0, 1]))
    with pytest.raises(ValueError, match="mem_out"):
        SF.ce_max_membrane_loss()(torch.zeros(0, 2, 3), torch.tensor([0, 1]))
