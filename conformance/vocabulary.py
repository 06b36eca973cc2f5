"""The closed vocabularies of the vector format: flags, results, profiles and default tolerances."""

from __future__ import annotations

FLAGS = {
    "all_spikes": "every neuron fires at every step",
    "b1": "a batch of one sample",
    "empty_batch": "B = 0",
    "float64": "a float64 record",
    "half_precision": "a float16 or bfloat16 record (inputs exactly representable)",
    "invalid": "the spec expects an error",
    "large_count": "T = 1000: counts or sums that overflow a naive softmax or a float16 accumulator",
    "multi_spike": "several spike times per neuron",
    "multi_spike_fewer_than_f": "a neuron has fewer spikes than the F asked for",
    "n1": "a single output neuron",
    "negative_target_time": "a target time below 0, counted from the end",
    "no_spikes": "no neuron ever fires",
    "only_target_fires": "only the labelled neuron fires",
    "population_code": "classes pooled from contiguous blocks of neurons",
    "silent_neurons": "some neurons never fire (shadow spike at T-1)",
    "square": "B = N (or T = B = N), where axis mix-ups go unnoticed",
    "t1": "a single time step",
    "tie": "several steps share the maximum",
    "time_targets": "target spike times given directly (target_is_time=True)",
    "time_varying_targets": "one label per step and sample",
    "tolerance_boundary": "a spike time exactly at the tolerance from its target",
    "truncation_trap": "int(T * rate) where binary64 and float32 products truncate differently",
    "weighted": "non-uniform class weights",
}

SPEC = "spec"
SNNTORCH = "snntorch-1.0"
PROFILES = (SPEC, SNNTORCH)
REDUCTIONS = ("mean", "sum", "none")
RECORD_DTYPE_NAMES = ("float32", "float64", "float16", "bfloat16")  # the record dtypes of the conformance domain
STATUSES = ("fail", "xfail", "pass", "skip", "not-run")  # a clause's status in a report, worst first
RESULTS = ("valid", "invalid", "acceptable")
ERROR_STAGES = ("construction", "call")  # when an expected error is raised

# Default comparison tolerance by dtype (values and gradients alike).
DEFAULT_TOLERANCE = {
    "float64": {"rtol": 1e-10, "atol": 1e-12},
    "float32": {"rtol": 1e-5, "atol": 1e-6},
    "float16": {"rtol": 1e-2, "atol": 1e-3},
    "bfloat16": {"rtol": 1e-2, "atol": 1e-2},
}

SCHEMA_ID = "snnloss-conformance/vectors"
SCHEMA_VERSION = 1
