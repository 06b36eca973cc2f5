"""An unmodified module with snnTorch's loss API (here: the reference's names, re-exported)."""

from reference import (  # noqa: F401
    SpikeTime,
    ce_count_loss,
    ce_max_membrane_loss,
    ce_rate_loss,
    ce_temporal_loss,
    mse_count_loss,
    mse_membrane_loss,
    mse_temporal_loss,
)
