"""The benchmark of any backend runs end to end and prints its table (timings themselves are not checked)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_backend

from .conformance.partial_backends import MeanOnly


def test_the_backend_benchmark_prints_one_row_per_op_and_says_what_was_declined(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(bench_backend, "load_backend", lambda name: MeanOnly())
    table = tmp_path / "table.md"
    argv = [
        "--backend",
        "mean-only",
        "--sizes",
        "small",
        "--seconds",
        "0.001",
        "--rounds",
        "1",
        "--markdown",
        str(table),
    ]
    assert bench_backend.main(argv) == 0
    rows = [line for line in table.read_text().splitlines() if line.startswith("| small")]
    assert len(rows) == len(bench_backend.OPS)  # MeanOnly declines no default-parameter call
    assert all(float(cell.removesuffix("x")) > 0 for row in rows for cell in [row.split("|")[6].strip()])
    assert "floor ms" in capsys.readouterr().out


def test_bad_sizes_are_a_usage_error():
    with pytest.raises(SystemExit):
        bench_backend.main(["--backend", "reference", "--sizes", "huge"])
