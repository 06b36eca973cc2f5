"""Per-call overhead of the sandbox: the same backend call in-process and through the worker process.

``python benchmarks/bench_sandbox.py [--calls N]``. Prints the median time per call of
each mode and their difference, for a small and a typical case (forward + backward).
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=200)
    calls = parser.parse_args().calls
    in_process = InProcessBackend(TorchModuleBackend(reference, name="reference"))
    sandboxed = SandboxedBackend("reference", "spec", 60.0)
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
    finally:
        sandboxed.close()


if __name__ == "__main__":
    main()
