"""The ``snntorch-1.0`` profile: snnTorch 1.0.0's losses, quirks included, vectorised.

Same names and signatures as :mod:`reference`. Where snnTorch 1.0.0 returns a
value, this module returns the same value, shape and dtype, bit for bit, for
binary spike records (``tests/reference/test_upstream_equivalence.py``). Each
difference from the spec is a named legacy behaviour ``LB-n`` in
:mod:`reference.compat.legacy`; ``docs/spec/legacy.md`` describes them.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .legacy import (
    lb1_clamped_class_targets,
    lb2_float32_population_code,
    lb2_float32_step_sum,
    lb3_one_element_shape,
    lb4_weight_last_axis,
    lb5_weighted_reduce,
    lb6_reduction,
    lb7_population_neuron_weight,
    lb8_step_targets,
    lb11_weight_index,
    lb13_no_time_steps,
    lb15_mixed_dtypes,
    lb16_label_dtype,
    mse,
    note,
)
from .spike_time import FirstSpike, MultiSpike, SpikeTime, Tolerance

PROFILE = "snntorch-1.0"


class LossFunctions:
    """Upstream's base: the criterion runs unreduced when ``weight`` is set, then LB-5 reduces."""

    def __init__(self, reduction="mean", weight=None) -> None:
        self.reduction = lb6_reduction(reduction, weight)
        self.weight = weight

    def __call__(self, spk_out: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        lb13_no_time_steps(spk_out)
        return lb5_weighted_reduce(self._compute_loss(spk_out, targets), self.reduction, self.weight)

    def _intermediate_reduction(self) -> str:
        return self.reduction if self.weight is None else "none"

    def _class_counts(self, spk_out: torch.Tensor) -> torch.Tensor:
        if self.population_code:
            return lb2_float32_population_code(spk_out, self.num_classes, spk_out.size(-1))
        return spk_out.sum(0)


class ce_rate_loss(LossFunctions):
    """CE-RATE-1 with LB-2 (float32 step sum), LB-3 (``[1]`` shape) and LB-7 (population code)."""

    def __init__(self, population_code=False, num_classes=False, reduction="mean", weight=None) -> None:
        super().__init__(reduction, weight)
        self.population_code = population_code
        self.num_classes = num_classes
        self.__name__ = "ce_rate_loss"

    def _compute_loss(self, spk_out: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        num_steps, num_outputs = spk_out.size(0), spk_out.size(-1)
        weight = self.weight
        if self.population_code:
            weight = lb7_population_neuron_weight(self.weight, self.num_classes, num_outputs)
        lb15_mixed_dtypes(spk_out, weight)
        log_p_y = F.log_softmax(spk_out, dim=-1)
        reduction = self._intermediate_reduction()
        step_losses = (
            F.nll_loss(log_p_y[step], lb16_label_dtype(targets), weight=weight, reduction=reduction)
            for step in range(num_steps)
        )
        shape = lb3_one_element_shape(self.reduction, self.weight)
        shape = spk_out.size(1) if shape == -1 else shape
        return lb2_float32_step_sum(step_losses, shape, spk_out.device) / num_steps


class ce_count_loss(LossFunctions):
    """CE-COUNT-1 with LB-2 (float32 population code)."""

    def __init__(self, population_code=False, num_classes=False, reduction="mean", weight=None) -> None:
        super().__init__(reduction, weight)
        self.population_code = population_code
        self.num_classes = num_classes
        self.__name__ = "ce_count_loss"

    def _compute_loss(self, spk_out: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        log_p_y = F.log_softmax(self._class_counts(spk_out), dim=-1)
        lb15_mixed_dtypes(log_p_y, self.weight)
        return F.nll_loss(
            log_p_y, lb16_label_dtype(targets), weight=self.weight, reduction=self._intermediate_reduction()
        )


class ce_max_membrane_loss(LossFunctions):
    """CE-MAX-1 and CE-MAX-2 as in the spec, apart from LB-5 and LB-6."""

    def __init__(self, reduction="mean", weight=None) -> None:
        super().__init__(reduction, weight)
        self.__name__ = "ce_max_membrane_loss"

    def _compute_loss(self, mem_out: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        log_p_y = F.log_softmax(torch.max(mem_out, 0)[0], dim=-1)
        lb15_mixed_dtypes(log_p_y, self.weight)
        return F.nll_loss(
            log_p_y, lb16_label_dtype(targets), weight=self.weight, reduction=self._intermediate_reduction()
        )


class mse_count_loss(LossFunctions):
    """MSE-COUNT-1, MSE-COUNT-2 and MSE-COUNT-3 with LB-1 (clamped targets), LB-2 (float32), LB-4 (weight axis)
    and LB-12 (labels).
    """

    def __init__(
        self, correct_rate=1, incorrect_rate=0, population_code=False, num_classes=False, reduction="mean", weight=None
    ) -> None:
        super().__init__(reduction, weight)
        self.correct_rate = correct_rate
        self.incorrect_rate = incorrect_rate
        self.population_code = population_code
        self.num_classes = num_classes
        self.__name__ = "mse_count_loss"

    def _compute_loss(self, spk_out: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        num_steps, num_outputs = spk_out.size(0), spk_out.size(-1)
        if self.population_code:
            num_classes = self.num_classes
            on = int(num_steps * self.correct_rate * (num_outputs / num_classes))
            off = int(num_steps * self.incorrect_rate * (num_outputs / num_classes))
        else:
            num_classes = num_outputs
            on, off = int(num_steps * self.correct_rate), int(num_steps * self.incorrect_rate)
        target_count = lb1_clamped_class_targets(targets, num_classes, on, off)
        loss = mse(self._class_counts(spk_out), target_count, self._intermediate_reduction())
        if self.weight is not None:
            loss = lb4_weight_last_axis(loss, self.weight, targets)
        return loss / num_steps


class mse_membrane_loss(LossFunctions):
    """MSE-MEM-1, MSE-MEM-2 and MSE-MEM-3 with LB-1, LB-2 (float32 step sum), LB-3, LB-4, LB-8 (time_var_targets)
    and LB-12.
    """

    def __init__(self, time_var_targets=False, on_target=1, off_target=0, reduction="mean", weight=None) -> None:
        super().__init__(reduction, weight)
        self.time_var_targets = time_var_targets
        self.on_target = on_target
        self.off_target = off_target
        self.__name__ = "mse_membrane_loss"

    def _compute_loss(self, mem_out: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        num_steps, num_outputs = mem_out.size(0), mem_out.size(-1)
        target_rows = lb1_clamped_class_targets(targets, num_outputs, self.on_target, self.off_target)
        reduction = self._intermediate_reduction()
        if self.time_var_targets:
            step_targets = (lb8_step_targets(target_rows, step) for step in range(num_steps))
        else:
            step_targets = (target_rows for _ in range(num_steps))
        step_losses = (mse(mem_out[step], target, reduction) for step, target in enumerate(step_targets))
        shape = lb3_one_element_shape(self.reduction, self.weight)
        shape = mem_out[0].shape if shape == -1 else shape
        loss = lb2_float32_step_sum(step_losses, shape, mem_out.device)
        if self.weight is not None:
            loss = lb4_weight_last_axis(loss, self.weight, targets)
        return loss / num_steps


class mse_temporal_loss:
    """TMP-MSE-1 with LB-1 (targets), LB-4 (weight axis), LB-5, LB-6, LB-9 (multi-spike) and LB-11."""

    def __init__(
        self,
        target_is_time=False,
        on_target=0,
        off_target=-1,
        tolerance=0,
        multi_spike=False,
        reduction="mean",
        weight=None,
    ) -> None:
        self.reduction = lb6_reduction(reduction, weight)
        self.weight = weight
        self.spk_time_fn = SpikeTime(target_is_time, on_target, off_target, tolerance, multi_spike)
        self.__name__ = "mse_temporal_loss"

    def __call__(self, spk_rec: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        spk_time, target_time = self.spk_time_fn(spk_rec, targets)
        num_steps = spk_rec.size(0)
        reduction = "none" if self.weight is not None else self.reduction
        note("LB-1", target_time.dtype != spk_time.dtype)  # float32 target times, divided by T in float32
        loss = mse(spk_time / num_steps, target_time / num_steps, reduction)
        if self.weight is not None:
            index = lb11_weight_index(targets, target_time, self.spk_time_fn.target_is_time)
            loss = lb5_weighted_reduce(lb4_weight_last_axis(loss, self.weight, index), self.reduction, self.weight)
        return loss


class ce_temporal_loss:
    """TMP-CE-1 and TMP-CE-2 as in the spec (``torch.nn.CrossEntropyLoss`` semantics)."""

    def __init__(self, inverse="negate", reduction="mean", weight=None) -> None:
        if inverse != "negate" and inverse != "reciprocal":
            raise ValueError('`inverse` must be of type string containing either "negate" or "reciprocal".')
        self.inverse = inverse
        self.reduction = lb6_reduction(reduction, None)
        self.weight = weight
        self.spk_time_fn = SpikeTime(target_is_time=False)
        self.__name__ = "ce_temporal_loss"

    def __call__(self, spk_rec: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        spk_time, _ = self.spk_time_fn(spk_rec, targets)
        logits = -spk_time if self.inverse == "negate" else 1 / (spk_time + 1)
        lb15_mixed_dtypes(logits, self.weight)
        return F.cross_entropy(logits, lb16_label_dtype(targets), weight=self.weight, reduction=self.reduction)


__all__ = [
    "PROFILE",
    "FirstSpike",
    "MultiSpike",
    "SpikeTime",
    "Tolerance",
    "ce_count_loss",
    "ce_max_membrane_loss",
    "ce_rate_loss",
    "ce_temporal_loss",
    "mse_count_loss",
    "mse_membrane_loss",
    "mse_temporal_loss",
]
