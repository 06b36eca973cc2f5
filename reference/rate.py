"""Losses on spike counts and per-step rates (spec page ``rate.md``).

``x`` is the record ``[T, B, N]``, ``y`` the labels ``[B]``, ``K`` the number
of classes (``N``, or ``C`` with a population code), ``CE(z, y) = -log_softmax(z)[y]``.
Gradients are the exact autograd gradients of these formulas.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .checks import check_num_classes, check_real
from .common import LossFunctions, class_targets, population_code


class _PopulationLoss(LossFunctions):
    """A loss whose outputs may be pooled into classes by a population code (SHARED-9)."""

    def __init__(self, population_code=False, num_classes=False, reduction="mean", weight=None) -> None:
        super().__init__(reduction=reduction, weight=weight)
        self.population_code = bool(population_code)
        self.num_classes = check_num_classes(self.population_code, num_classes)

    def _class_record(self, x: torch.Tensor) -> torch.Tensor:
        """The record with one entry per class: pooled blocks, or ``x`` itself."""
        return population_code(x, self.num_classes) if self.population_code else x


class ce_rate_loss(_PopulationLoss):
    """CE-RATE-1: ``l_b = (1/T) sum_t CE(z[t, b, :], y_b)``, ``z`` = ``x`` or its per-step pooled blocks.

    CE-RATE-2: with a population code the logits at each step are the block sums
    (SHARED-9) and ``weight`` has ``C`` entries. CE-RATE-3: ``reduction='none'`` gives ``[B]``.
    """

    def __init__(self, population_code=False, num_classes=False, reduction="mean", weight=None) -> None:
        super().__init__(population_code, num_classes, reduction, weight)
        self.__name__ = "ce_rate_loss"

    def __call__(self, spk_out: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        x = self._record(spk_out)
        logits = self._class_record(x)
        num_steps, batch, num_classes = logits.shape
        labels = self._labels(targets, logits, num_classes)
        log_p = F.log_softmax(logits, dim=-1)
        log_p_target = log_p.gather(-1, labels.expand(num_steps, batch).unsqueeze(-1)).squeeze(-1)
        per_sample = -log_p_target.mean(0)
        return self._finish(per_sample, labels, num_classes, spk_out.dtype)


class ce_count_loss(_PopulationLoss):
    """CE-COUNT-1: ``l_b = CE(sum_t z[t, b, :], y_b)``.

    CE-COUNT-2: ``z`` is ``x`` or its pooled blocks (SHARED-9), summed over time; ``weight`` has ``C``
    entries. CE-COUNT-3: ``reduction='none'`` gives ``[B]``.
    """

    def __init__(self, population_code=False, num_classes=False, reduction="mean", weight=None) -> None:
        super().__init__(population_code, num_classes, reduction, weight)
        self.__name__ = "ce_count_loss"

    def __call__(self, spk_out: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        x = self._record(spk_out)
        spike_count = self._class_record(x).sum(0)
        num_classes = spike_count.size(-1)
        labels = self._labels(targets, spike_count, num_classes)
        return self._cross_entropy(spike_count, labels, spk_out.dtype)


class mse_count_loss(_PopulationLoss):
    """MSE-COUNT-2: ``E[b, k] = (sum_t z[t, b, k] - target[b, k])^2 / T``.

    MSE-COUNT-1: ``on = int(T * correct_rate)``, ``off = int(T * incorrect_rate)``,
    Python float64 products truncated toward zero. MSE-COUNT-3: with a population code
    ``int(T * rate * (N / C))`` evaluated left to right. MSE-COUNT-4: ``reduction='none'``
    gives ``[B, K]``; ``'mean'`` averages over all ``B*K`` elements.
    """

    def __init__(
        self,
        correct_rate=1,
        incorrect_rate=0,
        population_code=False,
        num_classes=False,
        reduction="mean",
        weight=None,
    ) -> None:
        super().__init__(population_code, num_classes, reduction, weight)
        self.correct_rate = check_real(correct_rate, "correct_rate")
        self.incorrect_rate = check_real(incorrect_rate, "incorrect_rate")
        self.__name__ = "mse_count_loss"

    def count_targets(self, num_steps: int, num_outputs: int) -> tuple[int, int]:
        """MSE-COUNT-1, MSE-COUNT-3: the integer on/off spike counts."""
        if not self.population_code:
            return int(num_steps * self.correct_rate), int(num_steps * self.incorrect_rate)
        block = num_outputs / self.num_classes
        return int(num_steps * self.correct_rate * block), int(num_steps * self.incorrect_rate * block)

    def __call__(self, spk_out: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        x = self._record(spk_out)
        num_steps, _, num_outputs = x.shape
        spike_count = self._class_record(x).sum(0)
        num_classes = spike_count.size(-1)
        labels = self._labels(targets, spike_count, num_classes)
        on, off = self.count_targets(num_steps, num_outputs)
        target_count = class_targets(labels, num_classes, on, off, x.dtype)
        per_element = (spike_count - target_count).square() / num_steps
        return self._finish(per_element, labels, num_classes, spk_out.dtype)
