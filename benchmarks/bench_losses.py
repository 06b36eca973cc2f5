"""Time the reference (spec profile) against snnTorch 1.0.0: forward + backward, interleaved A/B.

Usage: ``python benchmarks/bench_losses.py [--seconds 0.3] [--rounds 3] [--threads 2] [--markdown out.md]``;
with ``--backend X`` it times that backend instead (:mod:`bench_backend`).

For every size and loss, upstream and reference calls alternate pair by pair on
the same inputs; a round's ratio is the median of the per-pair ratios
(upstream time / reference time), which cancels most machine noise. The whole
table is measured ``--rounds`` times; each cell reports the median round and the
range of the round ratios, so a reader sees how stable a figure is.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sizes import SIZES

import reference

# (loss, size) -> minimum speed-up asked for; every other cell asks for >= 1 (never slower).
TARGETS = {
    ("mse_temporal_loss", "typical"): 15,
    ("ce_temporal_loss", "typical"): 15,
    ("mse_temporal_loss", "wide"): 50,
    ("ce_temporal_loss", "wide"): 50,
    ("ce_rate_loss", "long"): 10,
    ("mse_membrane_loss", "long"): 10,
}


def losses(module, num_steps: int) -> dict[str, Callable]:
    """The losses to time, built the same way for both modules."""
    return {
        "ce_rate_loss": module.ce_rate_loss(),
        "ce_count_loss": module.ce_count_loss(),
        "ce_max_membrane_loss": module.ce_max_membrane_loss(),
        "mse_count_loss": module.mse_count_loss(correct_rate=0.75, incorrect_rate=0.25),
        "mse_membrane_loss": module.mse_membrane_loss(),
        "mse_temporal_loss": module.mse_temporal_loss(on_target=0, off_target=num_steps - 1),
        "ce_temporal_loss": module.ce_temporal_loss(),
    }


def fwd_bwd(loss_fn: Callable, spk: torch.Tensor, targets: torch.Tensor) -> float:
    """Seconds for one forward + backward pass."""
    x = spk.detach().requires_grad_(True)
    start = time.perf_counter()
    loss_fn(x, targets).sum().backward()
    return time.perf_counter() - start


def compare(upstream_fn, reference_fn, spk, targets, seconds: float) -> tuple[float, float, float]:
    """Median upstream ms, median reference ms, median per-pair ratio."""
    for _ in range(3):
        fwd_bwd(upstream_fn, spk, targets)
        fwd_bwd(reference_fn, spk, targets)
    up, ref, ratios = [], [], []
    deadline = time.perf_counter() + seconds
    gc.disable()
    try:
        while len(ratios) < 5 or (time.perf_counter() < deadline and len(ratios) < 300):
            u = fwd_bwd(upstream_fn, spk, targets)
            r = fwd_bwd(reference_fn, spk, targets)
            up.append(u)
            ref.append(r)
            ratios.append(u / r)
    finally:
        gc.enable()
    return statistics.median(up) * 1e3, statistics.median(ref) * 1e3, statistics.median(ratios)


def run(seconds: float, rounds: int) -> list[dict]:
    import snntorch.functional as upstream

    measured: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    for round_number in range(1, rounds + 1):
        for size, (T, B, N) in SIZES.items():
            gen = torch.Generator().manual_seed(0)
            spk = (torch.rand(T, B, N, generator=gen) < 0.2).float()
            targets = torch.randint(0, N, (B,), generator=gen)
            up_losses, ref_losses = losses(upstream, T), losses(reference, T)
            for name in up_losses:
                up_ms, ref_ms, ratio = compare(up_losses[name], ref_losses[name], spk, targets, seconds)
                measured.setdefault((size, name), []).append((ratio, up_ms, ref_ms))
                print(
                    f"round {round_number} {size:8s} {name:22s} {up_ms:9.3f} vs {ref_ms:8.3f} ms {ratio:6.1f}x",
                    flush=True,
                )
    rows = []
    for (size, name), results in measured.items():
        ratio, up_ms, ref_ms = sorted(results)[len(results) // 2]
        low, high = min(results)[0], max(results)[0]
        target = TARGETS.get((name, size), 1)
        rows.append(dict(size=size, loss=name, up=up_ms, ref=ref_ms, ratio=ratio, low=low, high=high, target=target))
    return rows


def markdown(rows: list[dict]) -> str:
    lines = [
        "| size (T, B, N) | loss | upstream ms | reference ms | speed-up | range over rounds | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        shape = ", ".join(map(str, SIZES[r["size"]]))
        met = "yes" if r["ratio"] >= r["target"] else "**no**"
        lines.append(
            f"| {r['size']} ({shape}) | {r['loss']} | {r['up']:.3f} | {r['ref']:.3f} | {r['ratio']:.1f}x "
            f"| {r['low']:.1f}x - {r['high']:.1f}x | >= {r['target']}x | {met} |"
        )
    return "\n".join(lines)


def main() -> int:
    if any(arg == "--backend" or arg.startswith("--backend=") for arg in sys.argv[1:]):
        from bench_backend import main as bench_backend  # any backend against the reference and upstream

        return bench_backend(sys.argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.3, help="time budget per cell (default 0.3)")
    parser.add_argument("--rounds", type=int, default=3, help="measure the whole table this many times (default 3)")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default 2)")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    warnings.simplefilter("ignore")
    rows = run(args.seconds, args.rounds)
    table = markdown(rows)
    print()
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n")
    missed = [r for r in rows if r["ratio"] < r["target"]]
    print(f"\n{len(rows) - len(missed)} of {len(rows)} cells meet their target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
