"""The conformance backend: what triton_losses implements, and what it declines."""

from __future__ import annotations

import os

from conformance.backend import TorchModuleBackend

from . import losses

MAX_CLASSES = 8192  # count kernels hold one row of classes in a tile


class TritonBackend(TorchModuleBackend):
    profile = "spec"
    ops = frozenset({"first_spike", "ce_count_loss", "mse_count_loss", "mse_temporal_loss"})
    differentiable_ops = ops
    # The interpreter runs kernels on CPU tensors; compiled kernels need a GPU.
    devices = ("cpu",) if os.environ.get("TRITON_INTERPRET") == "1" else ("cuda",)

    def __init__(self) -> None:
        super().__init__(losses, name="triton_losses")

    def unsupported(self, op, params, device, dtype, inputs=None):
        reason = super().unsupported(op, params, device, dtype, inputs)
        if reason:
            return reason
        if params.get("population_code"):
            return "no population code (the count kernels read one class per output)"
        if params.get("multi_spike"):
            return "no multi-spike targets (the temporal kernel finds the first spike only)"
        record = (inputs or {}).get("spk_out") or (inputs or {}).get("spk_rec")
        counts = op in ("ce_count_loss", "mse_count_loss")
        if counts and record and len(record.shape) == 3 and record.shape[2] > MAX_CLASSES:
            return f"more than {MAX_CLASSES} classes"
        return None

    def kernel_calls(self) -> int:
        return losses.KERNEL_CALLS[0]


backend = TritonBackend()
