"""Run the default ci suite against broken backends in one interpreter; print one JSON line of exit codes.

``python -m tests.conformance.catch_broken NAME[=OP] ...``; ``-k OP`` limits a run to the op the bug is in.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from importlib import metadata
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PLUGIN_INSTALLED = any(e.name == "snnloss_conformance" for e in metadata.entry_points(group="pytest11"))


def main(specs: list[str]) -> dict:
    results = {}
    for spec in specs:
        name, _, op = spec.partition("=")
        args = [
            "-p",
            "no:cacheprovider",
            "--pyargs",
            "conformance",
            "--device",
            "cpu",
            "-q",
            "-x",
            "--backend",
            f"{HERE / 'broken_backends.py'}:{name}",
        ]
        args += ["-k", op] if op else []
        args = ([] if PLUGIN_INSTALLED else ["-p", "conformance.plugin"]) + args
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            code = int(pytest.main(args))
        failed = [line for line in output.getvalue().splitlines() if line.startswith("FAILED")]
        results[name] = {"exit": code, "first_failure": failed[0] if failed else None}
    return results


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
