"""The sandbox's costs: per-call overhead, and how long a worker takes to start and to restart.

``python benchmarks/bench_sandbox.py [--calls N] [--restarts N]``. Prints the median time per call
in-process and through the worker process, for a small, a typical and a wide case (forward +
backward), then the first start (the forkserver imports torch once) and the median time from a
killed worker to the next answered call (a fresh worker forked and its backend loaded).
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

import reference
from conformance.backend import TorchModuleBackend
from conformance.sandbox import InProcessBackend, SandboxedBackend

CASES = {
    "small (first_spike, 8x4x10)": ("first_spike", {}, (8, 4, 10)),
    "typical (ce_count_loss, 25x128x10)": ("ce_count_loss", {}, (25, 128, 10)),
    "wide (mse_temporal_loss, 100x256x100)": ("mse_temporal_loss", {}, (100, 256, 100)),
}


def _inputs(op: str, shape: tuple[int, int, int]) -> tuple[dict, torch.Tensor]:
    generator = torch.Generator().manual_seed(0)
    record = (torch.rand(shape, generator=generator) < 0.2).float()
    name = reference_input_name(op)
    inputs = {name: record}
    if op != "first_spike":
        inputs["targets"] = torch.randint(0, shape[2], (shape[1],), generator=generator)
    value = TorchModuleBackend(reference).run(op, {}, {k: v.clone() for k, v in inputs.items()}, None).value
    return inputs, torch.ones_like(value)


def reference_input_name(op: str) -> str:
    from conformance.ops import OPS

    return OPS[op].differentiable


def _median_call(backend, op: str, inputs: dict, cotangent: torch.Tensor, calls: int) -> float:
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        outcome = backend.call(op, {}, inputs, cotangent, "cpu")
        times.append(time.perf_counter() - started)
        assert outcome.error is None, outcome.error
    return statistics.median(times)


def _median_restart(sandboxed: SandboxedBackend, restarts: int, with_gradient: bool) -> float:
    inputs, cotangent = _inputs("first_spike", (8, 4, 10))
    cotangent = cotangent if with_gradient else None
    times = []
    for _ in range(restarts):
        sandboxed._kill()  # what a crash does to the worker
        started = time.perf_counter()
        outcome = sandboxed.call("first_spike", {}, inputs, cotangent, "cpu")  # reaps it: the call fails
        outcome = sandboxed.call("first_spike", {}, inputs, cotangent, "cpu")  # a fresh worker answers
        times.append(time.perf_counter() - started)
        assert outcome.error is None, outcome.error
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--restarts", type=int, default=20)
    arguments = parser.parse_args()
    calls = arguments.calls
    in_process = InProcessBackend(TorchModuleBackend(reference, name="reference"))
    started = time.perf_counter()
    sandboxed = SandboxedBackend("reference", "spec", 60.0)
    first_start = time.perf_counter() - started
    try:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, median of {calls} calls\n")
        print("| case | in-process | worker process | overhead per call |")
        print("|---|---|---|---|")
        for label, (op, _params, shape) in CASES.items():
            inputs, cotangent = _inputs(op, shape)
            _median_call(sandboxed, op, inputs, cotangent, 5)  # warm up both
            _median_call(in_process, op, inputs, cotangent, 5)
            a = _median_call(in_process, op, inputs, cotangent, calls)
            b = _median_call(sandboxed, op, inputs, cotangent, calls)
            print(f"| {label} | {a * 1e3:.2f} ms | {b * 1e3:.2f} ms | {(b - a) * 1e3:.2f} ms |")
        value_only = _median_restart(sandboxed, arguments.restarts, with_gradient=False)
        with_gradient = _median_restart(sandboxed, arguments.restarts, with_gradient=True)
        print(f"\nfirst start (forkserver and worker): {first_start:.2f} s")
        print(f"restart after a crash, to the next answered call (median of {arguments.restarts}):")
        print(
            f"  value only: {value_only * 1e3:.0f} ms; with a gradient (torch's autograd warms up): "
            f"{with_gradient * 1e3:.0f} ms"
        )
    finally:
        sandboxed.close()


if __name__ == "__main__":
    main()
