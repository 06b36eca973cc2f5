"""Losses on spike times (spec page ``temporal.md``).

Both losses turn the record into spike times with :class:`SpikeTime`; their
surrogate gradients are those of the estimators (ST-FIRST-2, ST-MULTI-2, ST-TOL-2)
chained with the exact gradient of the loss on the times.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .checks import check_labels, check_record, check_reduction, check_weight, working_dtype
from .common import reduce
from .spike_time import FirstSpike, SpikeTime

INVERSES = ("negate", "reciprocal")


class mse_temporal_loss:
    """TMP-MSE-1: ``E = (t_spk / T - t_target / T)^2`` per neuron (and per target spike).

    TMP-MSE-3: ``reduction='none'`` gives ``[B, N]`` (``[F, B, N]`` with ``multi_spike``);
    ``'mean'``/``'sum'`` reduce every element. TMP-MSE-2: ``weight`` is per class
    and scales sample ``b``'s elements by ``weight[y_b]``; it needs label targets.
    """

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
        self.reduction = check_reduction(reduction)
        self.weight = check_weight(weight)
        if self.weight is not None and target_is_time:
            raise ValueError("weight is per class and needs label targets; it cannot be used with target_is_time=True")
        self.spk_time_fn = SpikeTime(target_is_time, on_target, off_target, tolerance, multi_spike)
        self.__name__ = "mse_temporal_loss"

    def __call__(self, spk_rec: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        x = check_record(spk_rec, "spk_rec")
        x = x.to(working_dtype(x.dtype))
        spk_time, target_time = self.spk_time_fn(x, targets)
        scale = 1 / x.size(0) ** 2  # (t/T - target/T)^2 = (t - target)^2 / T^2
        if self.weight is None:
            return (F.mse_loss(spk_time, target_time, reduction=self.reduction) * scale).to(spk_rec.dtype)
        squared_error = self._weighted(F.mse_loss(spk_time, target_time, reduction="none") * scale, targets, x)
        return reduce(squared_error, self.reduction).to(spk_rec.dtype)

    def _weighted(self, squared_error: torch.Tensor, targets: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        num_outputs = x.size(-1)
        if self.weight.numel() != num_outputs:
            raise ValueError(f"weight must have one entry per class ({num_outputs}), got {self.weight.numel()}")
        labels = targets.to(x.device).long()
        return squared_error * self.weight.to(device=x.device, dtype=x.dtype)[labels].unsqueeze(-1)


class ce_temporal_loss:
    """TMP-CE-1: ``l_b = CE(z_b, y_b)`` with logits ``z = -t`` (``'negate'``) or ``1/(t+1)`` (``'reciprocal'``).

    ``t`` is the first-spike time in raw steps (not divided by ``T``).
    TMP-CE-2: ``reduction`` and ``weight`` follow ``torch.nn.CrossEntropyLoss``:
    the weighted ``'mean'`` is ``sum_b w[y_b] l_b / sum_b w[y_b]``.
    TMP-CE-3: ``inverse`` is ``'negate'`` or ``'reciprocal'``, else ``ValueError`` at construction.
    """

    def __init__(self, inverse="negate", reduction="mean", weight=None) -> None:
        if inverse not in INVERSES:
            raise ValueError(f"inverse must be one of {INVERSES}, got {inverse!r}")
        self.inverse = inverse
        self.reduction = check_reduction(reduction)
        self.weight = check_weight(weight)
        self.__name__ = "ce_temporal_loss"

    def __call__(self, spk_rec: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        x = check_record(spk_rec, "spk_rec")
        x = x.to(working_dtype(x.dtype))
        spk_time = FirstSpike.apply(x)
        logits = -spk_time if self.inverse == "negate" else 1 / (spk_time + 1)
        num_outputs = x.size(-1)
        labels = check_labels(targets, x.size(1), num_outputs).to(x.device)
        weight = self._class_weight(num_outputs, x)
        return F.cross_entropy(logits, labels, weight=weight, reduction=self.reduction).to(spk_rec.dtype)

    def _class_weight(self, num_classes: int, x: torch.Tensor) -> torch.Tensor | None:
        if self.weight is None:
            return None
        if self.weight.numel() != num_classes:
            raise ValueError(f"weight must have one entry per class ({num_classes}), got {self.weight.numel()}")
        return self.weight.to(device=x.device, dtype=x.dtype)
