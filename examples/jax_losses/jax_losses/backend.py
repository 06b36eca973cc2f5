"""The conformance backend: an :class:`~conformance.backend.ArrayBackend` over JAX arrays.

Values and gradients come from one ``jax.vjp`` trace (:meth:`JaxBackend.value_and_vjp`).
float32 and float64 records run (``jax_enable_x64`` is switched on at import);
half-precision records are declined, since NumPy, the bridge between torch and JAX here,
has no bfloat16.
"""

from __future__ import annotations

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from conformance.backend import ArrayBackend  # noqa: E402

from . import checks, losses, spike_time  # noqa: E402


class JaxBackend(ArrayBackend):
    name = "jax_losses"
    version = "0.1.0"
    profile = "spec"
    devices = ("cpu",)
    dtypes = ("float32", "float64")

    def value(self, op: str, params: dict, inputs: dict):
        function, record = self._function(op, params, inputs)
        return np.asarray(function(jnp.asarray(record)))

    def value_and_vjp(self, op: str, params: dict, inputs: dict, cotangent):
        function, record = self._function(op, params, inputs)
        value, pullback = jax.vjp(function, jnp.asarray(record))
        (grad,) = pullback(jnp.asarray(cotangent, dtype=value.dtype).reshape(value.shape))
        return np.asarray(value), np.asarray(grad)

    def _function(self, op: str, params: dict, inputs: dict):
        """``op`` as a function of its differentiable input, and that input."""
        if op in losses.LOSSES:
            names = list(inputs)
            record, targets = inputs[names[0]], inputs[names[1]]
            checks.record(record, names[0])
            if op in ("mse_temporal_loss", "ce_temporal_loss"):
                checks.spikes(record, names[0])  # on the concrete array: under jax.vjp it is a tracer
            loss = losses.LOSSES[op](params)
            return (lambda x: loss(x, targets)), record
        if op == "first_spike":
            return spike_time.first_spike, checks.spikes(inputs["spk_rec"], "spk_rec")
        if op == "multi_spike":
            count = params["spk_count"]
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise ValueError(f"spk_count must be a positive integer, got {count!r}")
            return (lambda x: spike_time.multi_spike(x, count)), checks.spikes(inputs["spk_rec"], "spk_rec")
        if op == "spike_time":  # the pair (spike times, target times), stacked as the suite compares it
            times = losses.SpikeTime(params)
            record, targets = checks.spikes(checks.record(inputs["spk_out"], "spk_out"), "spk_out"), inputs["targets"]
            return (lambda x: jnp.stack(times(x, targets))), record
        if op == "tolerance":
            within = checks.real(params["tolerance"], "tolerance")
            target = jnp.asarray(inputs["target"])
            return (lambda t: spike_time.tolerance(t, target, within)), inputs["spk_time"]
        raise NotImplementedError(op)


backend = JaxBackend()
