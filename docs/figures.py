"""The spec's figures, drawn at docs build time from the reference itself (``docs/conf.py`` calls :func:`draw_all`).

Every marker on a figure is computed by :mod:`reference` on the record shown, so a figure cannot
disagree with the code: first spikes and the silent neuron's shadow spike (ST-FIRST-1), the f-th
spikes (ST-MULTI-1), a tolerance window (ST-TOL-1), population-code blocks (SHARED-9) and the
``int(T * rate)`` truncation of target counts (MSE-COUNT-1).

    python docs/figures.py OUT_DIR
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display at build time

import matplotlib.pyplot as plt
import torch

import reference

BLOCK_COLOURS = ("#fdd0a2", "#c7e9c0")
SPIKE = {"marker": "|", "s": 180, "linewidths": 2.2, "color": "#444444"}
FIRST = {"marker": "o", "s": 140, "facecolors": "none", "edgecolors": "#d62728", "linewidths": 2}
SHADOW = {"marker": "o", "s": 140, "facecolors": "none", "edgecolors": "#d62728", "linewidths": 2, "linestyle": "--"}
STYLE = {"figure.dpi": 110, "font.size": 10, "axes.spines.top": False, "axes.spines.right": False}


def _record(rows: list[str]) -> torch.Tensor:
    """A ``[T, N]`` spike record from one string per neuron (``"..|.|"``: a spike at steps 2 and 4)."""
    return torch.tensor([[1.0 if c == "|" else 0.0 for c in row] for row in rows]).T.contiguous()


def _raster(ax, record: torch.Tensor, title: str) -> None:
    num_steps, num_neurons = record.shape
    steps, neurons = torch.nonzero(record, as_tuple=True)
    ax.scatter(steps, neurons, **SPIKE, label="spike")
    ax.set_xticks(range(num_steps))
    ax.set_yticks(range(num_neurons), [f"neuron {n}" for n in range(num_neurons)])
    ax.set_xlim(-0.6, num_steps - 0.4)
    ax.set_ylim(num_neurons - 0.5, -0.5)
    ax.set_xlabel("time step t")
    ax.set_title(title, loc="left")
    ax.axvline(num_steps - 1, color="#bbbbbb", linewidth=0.8, zorder=0)


def first_spike(path: Path) -> None:
    """ST-FIRST-1: first spike times; neuron 3 never fires and gets the shadow spike at T - 1."""
    record = _record(["..|.|..|", "|.|.....", "....|..|", "........"])
    times = reference.FirstSpike.apply(record).long()
    silent = record.sum(0) == 0
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    _raster(ax, record, "First spike (ST-FIRST-1): t* per neuron, T - 1 when silent")
    neurons = torch.arange(record.size(1))
    ax.scatter(times[~silent], neurons[~silent], **FIRST, label="first spike t*")
    ax.scatter(times[silent], neurons[silent], **SHADOW, label="shadow spike at T - 1")
    for n, t in enumerate(times.tolist()):
        ax.annotate(f"t* = {t}", (t, n), xytext=(10, -3), textcoords="offset points", color="#d62728")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    _save(fig, path)


def multi_spike(path: Path) -> None:
    """ST-MULTI-1: the first F = 3 spike times per neuron; missing ones are T - 1."""
    record = _record(["|.|..|.|", "..|....|", "........"])
    num_spikes = 3
    times = reference.MultiSpike.apply(record, num_spikes).long()  # [F, N]
    fig, ax = plt.subplots(figsize=(6.4, 2.3))
    _raster(ax, record, "Multi-spike (ST-MULTI-1): the f-th spike time, F = 3")
    colours = ["#d62728", "#1f77b4", "#2ca02c"]
    for f in range(num_spikes):
        for n in range(record.size(1)):
            t = int(times[f, n])
            real = int(record[: t + 1, n].sum()) > f
            offset = (f - 1) * 0.18
            line = "-" if real else "--"
            style = {"facecolors": "none", "edgecolors": colours[f], "linewidths": 1.8, "linestyle": line}
            ax.scatter([t + offset], [n], marker="o", s=90, **style, label=f"f = {f}" if n == 0 else None)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, title="dashed: missing\n(at T - 1)")
    _save(fig, path)


def tolerance(path: Path) -> None:
    """ST-TOL-1: a spike time strictly within ``tolerance`` of its target is replaced by the target."""
    spike_times = torch.tensor([1.0, 3.0, 6.0, 4.0])
    targets = torch.tensor([2.0, 5.0, 6.0, 0.0])
    window = 2.0
    snapped = reference.Tolerance.apply(spike_times, targets, window)
    fig, ax = plt.subplots(figsize=(7.2, 2.4))
    for n, (t, target, out) in enumerate(zip(spike_times.tolist(), targets.tolist(), snapped.tolist(), strict=True)):
        ax.barh(n, 2 * window, left=target - window, height=0.5, color="#9ecae1", alpha=0.5,
                label="|t - target| < tolerance" if n == 0 else None)  # fmt: skip
        ax.scatter([target], [n], marker="x", s=60, color="#1f77b4", label="target" if n == 0 else None)
        ax.scatter([t], [n], **{**FIRST, "edgecolors": "#444444"}, label="spike time" if n == 0 else None)
        if out != t:
            ax.annotate("", (out, n), (t, n), arrowprops={"arrowstyle": "->", "color": "#d62728"})
        ax.annotate(f"out = {out:g}", (max(t, target) + window, n), xytext=(4, -3), textcoords="offset points")
    ax.set_yticks(range(len(targets)), [f"neuron {n}" for n in range(len(targets))])
    ax.set_ylim(len(targets) - 0.5, -0.5)
    ax.set_xlabel("time step")
    ax.set_title(f"Tolerance (ST-TOL-1), tolerance = {window:g} (strict: a distance of 2 stays)", loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    _save(fig, path)


def population_code(path: Path) -> None:
    """SHARED-9: class c owns the contiguous block of neurons [c N/C, (c + 1) N/C); the block sums are pooled."""
    record = _record(["|.|.", "..|.", "....", "|..|", "||||", ".|.."])  # N = 6 neurons, T = 4
    num_classes = 2
    pooled = reference.population_code(record, num_classes)  # [T, C]
    fig, (ax, ax_pooled) = plt.subplots(1, 2, figsize=(8.4, 2.8), gridspec_kw={"width_ratios": [3, 2]})
    _raster(ax, record, "Population code (SHARED-9), N = 6, C = 2")
    block = record.size(1) // num_classes
    for c in range(num_classes):
        ax.axhspan(c * block - 0.5, (c + 1) * block - 0.5, color=BLOCK_COLOURS[c], zorder=0, label=f"class {c} block")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax_pooled.imshow(pooled.T, cmap="Blues", vmin=0, vmax=2 * block, aspect="auto")
    for t in range(pooled.size(0)):
        for c in range(num_classes):
            ax_pooled.text(t, c, f"{int(pooled[t, c])}", ha="center", va="center", color="#d62728")
    ax_pooled.set_xticks(range(pooled.size(0)))
    ax_pooled.set_yticks(range(num_classes), [f"class {c}" for c in range(num_classes)])
    ax_pooled.set_xlabel("time step t")
    ax_pooled.set_title("pooled[t, c]", loc="left")
    _save(fig, path)


def count_truncation(path: Path) -> None:
    """MSE-COUNT-1: ``on = int(T * rate)`` in binary64 truncates toward zero; T = 100, rate 0.29 gives 28."""
    rate = 0.29
    steps = list(range(90, 111))
    loss = reference.mse_count_loss(correct_rate=rate, incorrect_rate=0)
    on_counts = [loss.count_targets(T, 1)[0] for T in steps]
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    ax.plot(steps, [T * rate for T in steps], color="#1f77b4", label="T * rate (real)")
    exact = [T * Fraction(str(rate)) // 1 for T in steps]  # the floor of the decimal product
    traps = [T for T, on, floor in zip(steps, on_counts, exact, strict=True) if on != floor]
    ax.scatter(steps, on_counts, s=14, color="#444444", label="on = int(T * rate), binary64", zorder=3)
    ax.scatter(traps, [on_counts[steps.index(T)] for T in traps], s=60, facecolors="none", edgecolors="#d62728",
               linewidths=2, label="below the decimal floor", zorder=4)  # fmt: skip
    ax.annotate("T = 100: 100 * 0.29 = 28.999999999999996\nin binary64, so on = 28", (100, 28),
                xytext=(12, -32), textcoords="offset points", arrowprops={"arrowstyle": "->"})  # fmt: skip
    ax.set_xlabel("number of time steps T")
    ax.set_ylabel("target spike count")
    ax.set_title(f"Target counts (MSE-COUNT-1), correct_rate = {rate}", loc="left")
    ax.legend(loc="upper left", frameon=False)
    _save(fig, path)


FIGURES = {
    "first_spike.png": first_spike,
    "multi_spike.png": multi_spike,
    "tolerance.png": tolerance,
    "population_code.png": population_code,
    "count_truncation.png": count_truncation,
}


def _save(fig, path: Path) -> None:
    """Write the figure atomically (a half-written PNG never reaches the docs)."""
    fig.tight_layout()
    partial = path.with_suffix(".partial.png")
    fig.savefig(partial, metadata={"Software": None})
    plt.close(fig)
    partial.replace(path)


def draw_all(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with plt.rc_context(STYLE):
        for name, draw in FIGURES.items():
            draw(out_dir / name)
    return [out_dir / name for name in FIGURES]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python docs/figures.py OUT_DIR")
    for written in draw_all(Path(sys.argv[1])):
        print(written)
