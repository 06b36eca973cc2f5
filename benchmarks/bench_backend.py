"""Time any backend against the reference and snnTorch 1.0.0: forward + backward, interleaved.

Usage (``tox -e bench -- --backend X`` runs it)::

    python benchmarks/bench_backend.py --backend X [--device cpu|cuda] [--seconds 0.3] [--rounds 3] [--markdown F]

Every op the backend implements among the seven losses and ``first_spike`` is timed
at the sizes of :mod:`bench_losses` (small, typical, wide, long). All three
implementations go through the same call, ``Backend.run`` with a cotangent (value
and vector-Jacobian product, the way the suite calls them), in-process, and the
three calls alternate triple by triple on the same inputs. A round's ratio is the
median of the per-triple ratios (reference / backend, upstream / backend: above 1
means the backend is faster); the table reports the median round and the range.

The ``floor`` column is the time to read the record once and write its gradient
once at the copy bandwidth measured on the device at the start of the run
(a device-to-device ``copy_`` of 256 MiB): no fused forward + backward can beat it.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import warnings
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sizes import SIZES

from conformance.backend import Backend, InputInfo, TorchModuleBackend
from conformance.loading import load_backend
from conformance.ops import LOSSES
from conformance.ops import OPS as OP_SPECS

OPS = (*LOSSES, "first_spike")  # the losses and the estimator they share


def case(op: str, size: tuple[int, int, int], device: str) -> tuple[dict, dict]:
    """The op's params and inputs at ``size``: spikes firing about 20 % of the time, or membranes."""
    num_steps, batch, outputs = size
    generator = torch.Generator().manual_seed(0)
    spikes = (torch.rand(size, generator=generator) < 0.2).float()
    labels = torch.randint(0, outputs, (batch,), generator=generator)
    record_name = OP_SPECS[op].inputs[0]
    if op == "first_spike":
        return {}, {record_name: spikes.to(device)}
    if record_name == "mem_out":
        return {}, {record_name: torch.randn(size, generator=generator).to(device), "targets": labels.to(device)}
    params = {
        "mse_count_loss": {"correct_rate": 0.75, "incorrect_rate": 0.25},
        "mse_temporal_loss": {"on_target": 0, "off_target": num_steps - 1},
    }.get(op, {})
    return params, {record_name: spikes.to(device), "targets": labels.to(device)}


def timed(backend: Backend, op: str, params: dict, inputs: dict, cotangent: torch.Tensor, device: str) -> float:
    """Seconds for one value + VJP call (inputs are copied first, outside the timing)."""
    fresh = {name: t.clone() for name, t in inputs.items()}
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    start = time.perf_counter()
    backend.run(op, params, fresh, cotangent)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    return time.perf_counter() - start


def copy_bandwidth(device: str) -> float:
    """Bytes per second of a device-to-device copy (read + write counted), median of 10."""
    source = torch.empty(64 * 2**20, dtype=torch.float32, device=device)
    target = torch.empty_like(source)
    seconds = []
    for _ in range(12):
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        start = time.perf_counter()
        target.copy_(source)
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        seconds.append(time.perf_counter() - start)
    return 2 * source.numel() * source.element_size() / statistics.median(seconds[2:])


def compare(backends: dict[str, Backend], op, params, inputs, device, seconds) -> dict[str, float]:
    """Median ms of each implementation and the median per-triple ratios against the backend."""
    record = next(t for t in inputs.values() if t.is_floating_point())
    value = backends["reference"].run(op, params, {k: t.clone() for k, t in inputs.items()}, None).value
    cotangent = torch.ones_like(value)
    times: dict[str, list[float]] = {name: [] for name in backends}
    for _ in range(2):  # warm-up: compilation, caches
        for backend in backends.values():
            timed(backend, op, params, inputs, cotangent, device)
    gc.disable()
    deadline = time.perf_counter() + seconds
    try:
        while len(times["backend"]) < 5 or (time.perf_counter() < deadline and len(times["backend"]) < 300):
            for name, backend in backends.items():
                times[name].append(timed(backend, op, params, inputs, cotangent, device))
    finally:
        gc.enable()
    ratios = {
        other: statistics.median(o / b for o, b in zip(times[other], times["backend"], strict=True))
        for other in backends
        if other != "backend"
    }
    medians = {name: statistics.median(t) * 1e3 for name, t in times.items()}
    return {
        **{f"{name}_ms": ms for name, ms in medians.items()},
        **ratios,
        "bytes": 2 * record.numel() * record.element_size(),
    }


def run(backend: Backend, device: str, seconds: float, rounds: int, sizes: list[str]) -> list[dict]:
    import snntorch.functional as upstream

    import reference

    backends = {
        "backend": backend,
        "reference": TorchModuleBackend(reference, name="reference"),
        "upstream": TorchModuleBackend(upstream, name="snntorch"),
    }
    bandwidth = copy_bandwidth(device)
    print(f"device {device}: copy bandwidth {bandwidth / 1e9:.0f} GB/s", flush=True)
    measured: dict[tuple[str, str], list[dict]] = {}
    declined: dict[str, dict[str, str]] = {}
    for round_number in range(1, rounds + 1):
        for size_name in sizes:
            size = SIZES[size_name]
            for op in OPS:
                params, inputs = case(op, size, device)
                info = {
                    name: InputInfo(tuple(t.shape), str(t.dtype).removeprefix("torch.")) for name, t in inputs.items()
                }
                reason = backend.unsupported(op, params, device, "float32", info)
                if reason:
                    declined.setdefault(op, {})[size_name] = reason
                    continue
                cell = compare(backends, op, params, inputs, device, seconds)
                cell["floor_ms"] = cell["bytes"] / bandwidth * 1e3
                measured.setdefault((size_name, op), []).append(cell)
                print(
                    f"round {round_number} {size_name:8s} {op:22s} backend {cell['backend_ms']:9.3f} ms, "
                    f"reference {cell['reference']:5.2f}x, upstream {cell['upstream']:6.2f}x",
                    flush=True,
                )
    return _rows(measured, declined, len(sizes))


def _rows(measured: dict, declined: dict, size_count: int) -> list[dict]:
    rows = []
    for (size, op), cells in measured.items():
        middle = sorted(cells, key=lambda c: c["reference"])[len(cells) // 2]
        low, high = min(c["reference"] for c in cells), max(c["reference"] for c in cells)
        rows.append({"size": size, "op": op, **middle, "low": low, "high": high})
    for op, by_size in declined.items():
        sizes = "every size" if len(by_size) == size_count else ", ".join(by_size)
        rows.append({"size": sizes, "op": op, "declined": "; ".join(sorted(set(by_size.values())))})
    return rows


def markdown(rows: list[dict], label: str) -> str:
    lines = [
        f"| size (T, B, N) | op | {label} ms | reference ms | upstream ms | vs reference | range over rounds "
        "| vs upstream | floor ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        shape = f"{r['size']} ({', '.join(map(str, SIZES[r['size']]))})" if r["size"] in SIZES else r["size"]
        if "declined" in r:
            lines.append(f"| {shape} | {r['op']} | declined: {r['declined']} | | | | | | |")
            continue
        lines.append(
            f"| {shape} | {r['op']} | {r['backend_ms']:.3f} | {r['reference_ms']:.3f} | {r['upstream_ms']:.3f} "
            f"| {r['reference']:.2f}x | {r['low']:.2f}x - {r['high']:.2f}x | {r['upstream']:.2f}x "
            f"| {r['floor_ms']:.4f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", required=True, help="the backend to time (as --backend of the suite)")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    parser.add_argument("--seconds", type=float, default=0.3, help="time budget per cell and round (default 0.3)")
    parser.add_argument("--rounds", type=int, default=3, help="measure the whole table this many times (default 3)")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default 2)")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--sizes", default=",".join(SIZES), help=f"comma list of {', '.join(SIZES)} (default: all)")
    args = parser.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    if not sizes or set(sizes) - set(SIZES):
        parser.error(f"--sizes: expected a comma list of {', '.join(SIZES)}, got {args.sizes!r}")
    if args.seconds <= 0 or args.rounds < 1:
        parser.error("--seconds must be positive and --rounds at least 1")
    torch.set_num_threads(args.threads)
    warnings.simplefilter("ignore")
    backend = load_backend(args.backend)
    if hasattr(backend, "active_profile"):
        backend.active_profile = "spec"
    rows = run(backend, args.device, args.seconds, args.rounds, sizes)
    table = markdown(rows, backend.describe())
    print()
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
