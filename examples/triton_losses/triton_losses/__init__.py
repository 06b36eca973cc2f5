"""Fused Triton kernels for snnTorch's ce_count_loss, mse_count_loss, mse_temporal_loss and first-spike times."""

from .losses import KERNEL_CALLS, SpikeTime, ce_count_loss, mse_count_loss, mse_temporal_loss

__version__ = "0.1.0"
__all__ = ["KERNEL_CALLS", "SpikeTime", "ce_count_loss", "mse_count_loss", "mse_temporal_loss"]
