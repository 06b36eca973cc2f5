"""Backends that tell whether every kind of test reaches the same verdict, with exact clause credit.

Two are correct ``snntorch-1.0`` ports that return the spec's value where snnTorch 1.0.0 raises
(the profile accepts the spec's error or the spec's value there); they must pass vectors and
properties alike. Two are wrong in one place each; they must fail only the clauses of that place.

``--backend tests/conformance/judge_backends.py:NAME``.
"""

from __future__ import annotations

import torch

import reference
import reference.compat as compat
from conformance.backend import Result, TorchModuleBackend
from conformance.ops import LOSSES


def _fresh(inputs: dict) -> dict:
    return {name: tensor.detach().clone() for name, tensor in inputs.items()}


class _SpecWhereUpstreamRaises(TorchModuleBackend):
    """snnTorch 1.0.0's behaviour, except on the inputs :meth:`departs` picks, where it computes the spec's value."""

    profile = "snntorch-1.0"

    def __init__(self, name: str) -> None:
        super().__init__(compat, name=name)

    def departs(self, op: str, params: dict, inputs: dict) -> bool:
        raise NotImplementedError

    def run(self, op, params, inputs, cotangent) -> Result:
        if self.departs(op, params, inputs):
            try:
                TorchModuleBackend(compat).run(op, params, _fresh(inputs), cotangent)
            except Exception:  # upstream rejects this input: give the spec's value instead, as a port may
                return TorchModuleBackend(reference).run(op, params, inputs, cotangent)
        return super().run(op, params, inputs, cotangent)


class EmptyBatchNaN(_SpecWhereUpstreamRaises):
    """An empty batch gives torch's value (NaN for 'mean', SHARED-11) where upstream raises."""

    def __init__(self) -> None:
        super().__init__("empty-batch-nan")

    def departs(self, op, params, inputs) -> bool:
        labels = inputs.get("targets")
        return op in LOSSES and labels is not None and labels.dim() >= 1 and labels.shape[0] == 0


class AcceptsNarrowLabels(_SpecWhereUpstreamRaises):
    """int32, int16, int8 and uint8 labels are accepted (SHARED-2) where upstream raises a dtype error."""

    def __init__(self) -> None:
        super().__init__("accepts-narrow-labels")

    def departs(self, op, params, inputs) -> bool:
        labels = inputs.get("targets")
        return labels is not None and not labels.is_floating_point() and labels.dtype != torch.int64


class WeightedMeanBySumOfWeights(TorchModuleBackend):
    """``ce_count_loss`` divides a weighted 'mean' by the sum of the sample weights, as
    ``torch.nn.CrossEntropyLoss`` does; SHARED-5 divides by the number of elements.
    """

    profile = "spec"

    def __init__(self) -> None:
        super().__init__(reference, name="weighted-mean-by-sum-of-weights")

    def run(self, op, params, inputs, cotangent) -> Result:
        weight = params.get("weight")
        if op != "ce_count_loss" or weight is None or params.get("reduction", "mean") != "mean":
            return super().run(op, params, inputs, cotangent)
        record, labels = inputs["spk_out"], inputs["targets"]
        if cotangent is not None:
            record.requires_grad_(True)
        per_sample = reference.ce_count_loss(**{**params, "reduction": "none"})(record, labels)
        value = per_sample.sum() / weight.to(per_sample.dtype)[labels.long()].sum()
        if cotangent is None:
            return Result(value.detach())
        (grad,) = torch.autograd.grad(value, record, cotangent.reshape(value.shape).to(value.dtype))
        return Result(value.detach(), grad)


class Float64GradientsInFloat32(TorchModuleBackend):
    """Values are right in every dtype; the gradient of a float64 record is computed in float32."""

    profile = "spec"

    def __init__(self) -> None:
        super().__init__(reference, name="float64-gradients-in-float32")

    def run(self, op, params, inputs, cotangent) -> Result:
        name = next(iter(inputs))
        record = inputs[name]
        result = super().run(op, params, _fresh(inputs), None)
        if cotangent is None or record.dtype != torch.float64:
            return super().run(op, params, inputs, cotangent)
        narrow = {k: v.float() if v.dtype == torch.float64 else v for k, v in _fresh(inputs).items()}
        narrow_params = {
            k: v.float() if isinstance(v, torch.Tensor) and v.dtype == torch.float64 else v for k, v in params.items()
        }
        low = super().run(op, narrow_params, narrow, cotangent.float())
        return Result(result.value, None if low.grad is None else low.grad.double())
