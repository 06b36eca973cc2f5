"""Losses on membrane potentials (spec page ``membrane.md``).

``x`` is the membrane record ``[T, B, N]``, ``y`` the labels. Gradients are the
exact autograd gradients of these formulas.
"""

from __future__ import annotations

import torch

from .checks import check_labels, check_real
from .common import LossFunctions, class_targets, reduce


class ce_max_membrane_loss(LossFunctions):
    """CE-MAX-1: ``l_b = CE(max_t x[t, b, :], y_b)``.

    CE-MAX-2: the gradient of the maximum flows to the first time step that
    attains it (ties go to the earliest step). CE-MAX-3: ``reduction='none'`` gives ``[B]``.
    """

    def __init__(self, reduction="mean", weight=None) -> None:
        super().__init__(reduction=reduction, weight=weight)
        self.__name__ = "ce_max_membrane_loss"

    def __call__(self, mem_out: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        x = self._record(mem_out, "mem_out")
        max_mem_out = x.max(dim=0).values
        num_classes = max_mem_out.size(-1)
        labels = self._labels(targets, max_mem_out, num_classes)
        return self._cross_entropy(max_mem_out, labels, mem_out.dtype)


class mse_membrane_loss(LossFunctions):
    """MSE-MEM-1: ``E[b, n] = (1/T) sum_t w_tb (x[t, b, n] - target[t, b, n])^2``.

    ``target`` is ``on_target`` for the labelled class and ``off_target``
    elsewhere, used literally (SHARED-10). MSE-MEM-2: with
    ``time_var_targets=True`` the labels have shape ``[T, B]``, one class per step
    and sample. MSE-MEM-3: ``w_tb = weight[y[t, b]]`` (1 without weight).
    MSE-MEM-4: ``reduction='none'`` gives ``[B, N]``.
    """

    def __init__(self, time_var_targets=False, on_target=1, off_target=0, reduction="mean", weight=None) -> None:
        super().__init__(reduction=reduction, weight=weight)
        self.time_var_targets = bool(time_var_targets)
        self.on_target = check_real(on_target, "on_target")
        self.off_target = check_real(off_target, "off_target")
        self.__name__ = "mse_membrane_loss"

    def _step_labels(self, targets: object, x: torch.Tensor) -> torch.Tensor:
        """Labels as ``[T, B]`` (time-varying) or ``[1, B]`` (the same at every step)."""
        num_steps, batch, num_outputs = x.shape
        if self.time_var_targets:
            return check_labels(targets, batch, num_outputs, shape=(num_steps, batch)).to(x.device)
        return self._labels(targets, x, num_outputs).unsqueeze(0)

    def __call__(self, mem_out: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        x = self._record(mem_out, "mem_out")
        num_outputs = x.size(-1)
        labels = self._step_labels(targets, x)
        target_mem = class_targets(labels, num_outputs, self.on_target, self.off_target, x.dtype)
        squared_error = self._weighted((x - target_mem).square(), labels, num_outputs)
        return reduce(squared_error.mean(0), self.reduction).to(mem_out.dtype)
