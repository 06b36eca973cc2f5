"""Machinery shared by the rate and membrane losses (spec page ``shared.md``).

* :func:`population_code` pools contiguous blocks of neurons (SHARED-9).
* :func:`class_targets` turns labels into per-class target values (SHARED-10).
* :class:`LossFunctions` holds ``reduction`` and ``weight`` and applies them
  (SHARED-3, SHARED-4, SHARED-5, SHARED-7).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .checks import check_labels, check_record, check_reduction, check_weight, working_dtype


def population_code(record: torch.Tensor, num_classes: int, name: str = "spk_out") -> torch.Tensor:
    """SHARED-9: ``pooled[..., c] = sum_{n in block c} record[..., n]``.

    Class ``c`` owns the contiguous block of neurons ``[c*N/C, (c+1)*N/C)``.
    The result keeps every leading dimension (time is not summed here).
    """
    num_outputs = record.size(-1)
    if num_outputs % num_classes:
        raise ValueError(f"num_classes ({num_classes}) must divide the number of outputs of {name} ({num_outputs})")
    return record.unflatten(-1, (num_classes, num_outputs // num_classes)).sum(-1)


def class_targets(
    labels: torch.Tensor, num_classes: int, on_target: float, off_target: float, dtype: torch.dtype
) -> torch.Tensor:
    """SHARED-10: ``target[b, k] = on_target if k == labels[b] else off_target``, used literally."""
    targets = torch.full((*labels.shape, num_classes), off_target, dtype=dtype, device=labels.device)
    return targets.scatter_(-1, labels.unsqueeze(-1), on_target)


def reduce(loss: torch.Tensor, reduction: str) -> torch.Tensor:
    """SHARED-5: ``'mean'`` averages every element, ``'sum'`` adds them (both 0-d), ``'none'`` keeps them.

    SHARED-11: on an empty batch ``'mean'`` is NaN and ``'sum'`` is 0, as torch gives them.
    """
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


class LossFunctions:
    """Base of the rate and membrane losses: stores and applies ``reduction`` and ``weight``."""

    def __init__(self, reduction: str = "mean", weight: torch.Tensor | None = None) -> None:
        self.reduction = check_reduction(reduction)
        self.weight = check_weight(weight)

    def _record(self, record: object, name: str = "spk_out") -> torch.Tensor:
        """SHARED-1, SHARED-6: validate the record and return it in the working dtype."""
        record = check_record(record, name)
        return record.to(working_dtype(record.dtype))

    def _labels(self, targets: object, record: torch.Tensor, num_classes: int) -> torch.Tensor:
        """SHARED-2: labels ``[B]`` for ``record`` (``[..., B, K]``), on the record's device."""
        return check_labels(targets, record.size(-2), num_classes).to(record.device)

    def _weighted(self, loss: torch.Tensor, labels: torch.Tensor, num_classes: int) -> torch.Tensor:
        """SHARED-4: row ``b`` of the per-sample loss is scaled by ``weight[labels[b]]``."""
        if self.weight is None:
            return loss
        if self.weight.numel() != num_classes:
            raise ValueError(f"weight must have one entry per class ({num_classes}), got {self.weight.numel()}")
        per_sample = self.weight.to(device=loss.device, dtype=loss.dtype)[labels]
        return loss * per_sample.reshape(per_sample.shape + (1,) * (loss.dim() - per_sample.dim()))

    def _cross_entropy(self, logits: torch.Tensor, labels: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        """``CE(logits[b], y_b)`` per sample, weighted and reduced (SHARED-4, SHARED-5, SHARED-7).

        Torch reduces the unweighted case; the gradient is autograd's, exact (SHARED-13).
        """
        if self.weight is None:
            return F.cross_entropy(logits, labels, reduction=self.reduction).to(dtype)
        per_sample = F.cross_entropy(logits, labels, reduction="none")
        return self._finish(per_sample, labels, logits.size(-1), dtype)

    def _finish(self, loss: torch.Tensor, labels: torch.Tensor, num_classes: int, dtype: torch.dtype) -> torch.Tensor:
        """SHARED-4, SHARED-5, SHARED-6, SHARED-7: weight, reduce, and return in the input's dtype.

        The result is a new tensor on every call; nothing is kept between calls (SHARED-14).
        """
        return reduce(self._weighted(loss, labels, num_classes), self.reduction).to(dtype)
