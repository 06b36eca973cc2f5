"""Deliberately broken backends, each with one realistic porting bug. The default ``ci`` run must catch every one.

Each is the reference with a single part replaced, exposed as a ``TorchModuleBackend``
(``--backend tests/conformance/broken_backends.py:NAME``).
"""

from __future__ import annotations

import types

import numpy as np
import torch
import torch.nn.functional as F

import reference
import reference.compat
from conformance.backend import TorchModuleBackend
from conformance.ops import API_NAMES
from reference import spike_time as st


def reference_with(name: str, **overrides) -> TorchModuleBackend:
    """The reference's snnTorch-API names as a module, with some of them replaced."""
    module = types.SimpleNamespace(**{n: getattr(reference, n) for n in API_NAMES}, __name__=name)
    for key, value in overrides.items():
        setattr(module, key, value)
    return TorchModuleBackend(module, name=name)


def _spike_time(**estimators) -> type:
    return type("SpikeTime", (reference.SpikeTime,), estimators)


# 1. values: log-softmax over the batch instead of the classes
class _CountOverBatch(reference.ce_count_loss):
    def _cross_entropy(self, logits, labels, dtype):
        log_p = F.log_softmax(logits, dim=0)
        per_sample = -log_p.gather(1, labels.unsqueeze(1)).squeeze(1)
        return self._finish(per_sample, labels, logits.size(-1), dtype)


ce_count_softmax_over_batch = reference_with("ce_count_softmax_over_batch", ce_count_loss=_CountOverBatch)


# 2. values: the per-step losses are summed, not averaged, over time
class _RateSum(reference.ce_rate_loss):
    def __call__(self, spk_out, targets):
        return super().__call__(spk_out, targets) * spk_out.size(0)


ce_rate_sums_over_time = reference_with("ce_rate_sums_over_time", ce_rate_loss=_RateSum)


# 3. spike-time convention: target counts from a float32 product (int(100 * 0.29) = 29)
class _Float32Targets(reference.mse_count_loss):
    def count_targets(self, num_steps, num_outputs):
        scale = np.float32(num_outputs / self.num_classes) if self.population_code else np.float32(1)
        product = lambda rate: int(np.float32(num_steps) * np.float32(rate) * scale)  # noqa: E731
        return product(self.correct_rate), product(self.incorrect_rate)


mse_count_float32_targets = reference_with("mse_count_float32_targets", mse_count_loss=_Float32Targets)


# 4. spike-time convention: a silent neuron reports T instead of T - 1
class _SilentAtT(torch.autograd.Function):
    @staticmethod
    def forward(ctx, spk_rec, device=None):
        times = st.FirstSpike.forward(ctx, spk_rec)
        return torch.where(spk_rec.bool().any(0), times, torch.full_like(times, spk_rec.size(0)))

    @staticmethod
    def backward(ctx, grad_output):
        return st.FirstSpike.backward(ctx, grad_output)


first_spike_silent_at_t = reference_with("first_spike_silent_at_t", SpikeTime=_spike_time(FirstSpike=_SilentAtT))


# 5. gradients: the sign estimator with the wrong sign
class _PositiveSurrogate(torch.autograd.Function):
    @staticmethod
    def forward(ctx, spk_rec, device=None):
        return st.FirstSpike.forward(ctx, spk_rec)

    @staticmethod
    def backward(ctx, grad_output):
        grad, _ = st.FirstSpike.backward(ctx, grad_output)
        return -grad, None


first_spike_positive_surrogate = reference_with(
    "first_spike_positive_surrogate", SpikeTime=_spike_time(FirstSpike=_PositiveSurrogate)
)


# 6. spike-time convention: snnTorch's MultiSpike copied into a spec port (whole steps zeroed)
multi_spike_whole_steps = reference_with(
    "multi_spike_whole_steps", SpikeTime=_spike_time(MultiSpike=reference.compat.MultiSpike)
)


# 7. values: tolerance compared with <= instead of <
class _InclusiveTolerance(torch.autograd.Function):
    @staticmethod
    def forward(ctx, spk_time, target, tolerance):
        target = target.to(spk_time.dtype).expand_as(spk_time)
        return torch.where((spk_time - target).abs() <= tolerance, target, spk_time)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, None, None


tolerance_inclusive = reference_with("tolerance_inclusive", SpikeTime=_spike_time(Tolerance=_InclusiveTolerance))


# 8. values: spike times not normalised by T
class _Unnormalised(reference.mse_temporal_loss):
    def __call__(self, spk_rec, targets):
        return super().__call__(spk_rec, targets) * spk_rec.size(0) ** 2


mse_temporal_unnormalised = reference_with("mse_temporal_unnormalised", mse_temporal_loss=_Unnormalised)


# 9. reductions: 'sum' with a weight returns the unreduced loss (snnTorch's LB-5, copied)
class _SumUnreduced(reference.ce_count_loss):
    def __call__(self, spk_out, targets):
        if self.weight is not None and self.reduction == "sum":
            return reference.ce_count_loss(weight=self.weight, reduction="none")(spk_out, targets)
        return super().__call__(spk_out, targets)


weighted_sum_unreduced = reference_with("weighted_sum_unreduced", ce_count_loss=_SumUnreduced)


# 10. weights: MSE weight broadcast over the neuron axis (snnTorch's LB-4, copied)
class _WeightColumns(reference.mse_membrane_loss):
    def _weighted(self, loss, labels, num_classes):
        if self.weight is None:
            return loss
        return loss * self.weight.to(loss.dtype)[labels.reshape(-1)].reshape(-1)[: loss.size(-1)].expand_as(loss)


mse_weight_on_columns = reference_with("mse_weight_on_columns", mse_membrane_loss=_WeightColumns)


# 11. population codes: neurons interleaved (n % C) instead of contiguous blocks
class _Interleaved(reference.ce_count_loss):
    def _class_record(self, x):
        if not self.population_code:
            return x
        return x.unflatten(-1, (-1, self.num_classes)).sum(-2)


population_interleaved = reference_with("population_interleaved", ce_count_loss=_Interleaved)


# 12. dtypes: float64 records computed and returned in float32
class _Downcast(reference.ce_rate_loss):
    def __call__(self, spk_out, targets):
        return super().__call__(spk_out.float() if spk_out.dtype == torch.float64 else spk_out, targets)


float64_downcast = reference_with("float64_downcast", ce_rate_loss=_Downcast)


# 13. mutation: the record is clamped in place
class _Mutating(reference.ce_max_membrane_loss):
    def __call__(self, mem_out, targets):
        if mem_out.is_floating_point() and mem_out.dim() == 3 and mem_out.numel():
            mem_out.data.clamp_(min=-3.0)
        return super().__call__(mem_out, targets)


mutates_record = reference_with("mutates_record", ce_max_membrane_loss=_Mutating)


# 14. gradients: the maximum's gradient split among tied steps (amax instead of max)
class _SplitTies(reference.ce_max_membrane_loss):
    def __call__(self, mem_out, targets):
        x = self._record(mem_out, "mem_out")
        logits = x.amax(0)
        labels = self._labels(targets, logits, logits.size(-1))
        return self._cross_entropy(logits, labels, mem_out.dtype)


ce_max_splits_ties = reference_with("ce_max_splits_ties", ce_max_membrane_loss=_SplitTies)


# 15. values: reciprocal logits 1/t instead of 1/(t+1)
class _Reciprocal(reference.ce_temporal_loss):
    def __call__(self, spk_rec, targets):
        if self.inverse != "reciprocal":
            return super().__call__(spk_rec, targets)
        times = reference.FirstSpike.apply(spk_rec)
        return F.cross_entropy(1 / times.clamp(min=0.5), targets.long(), weight=self.weight, reduction=self.reduction)


ce_temporal_reciprocal_off_by_one = reference_with("ce_temporal_reciprocal_off_by_one", ce_temporal_loss=_Reciprocal)


# 16. kernels: a counter that never moves, as when a kernel silently falls back to the reference
class _FallbackBackend(TorchModuleBackend):
    def kernel_calls(self) -> int:
        return 0


silent_fallback = _FallbackBackend(reference, name="silent_fallback")

BROKEN = [name for name, value in list(globals().items()) if isinstance(value, TorchModuleBackend)]
for _name in BROKEN:  # each is a spec port with one bug: a legacy behaviour in it is a failure, not an expected one
    globals()[_name].profile = "spec"
