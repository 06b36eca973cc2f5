"""Two ways to run the conformance suite from a test: in this process, or as a backend's CI would.

:func:`run_in_process` (pytester, ``--conformance-isolation none``) is for tests of the harness's
judgement: fast, and the backend's code runs where pytest can show its traceback. :func:`run_suite`
starts ``python -m pytest`` in a subprocess, for what only a real process shows: the sandbox, exit
codes, environment variables, the entry points of an installed package. Tests that use it carry the
``subprocess`` marker and run in ``tox -e harness``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PLUGIN_INSTALLED = any(e.name == "snnloss_conformance" for e in metadata.entry_points(group="pytest11"))
COMMON = ["-p", "no:cacheprovider", "--pyargs", "conformance", "--device", "cpu", "-q"]


def run_in_process(pytester: pytest.Pytester, *args: str) -> tuple[int, str]:
    """The suite in this process, the backend in-process too; exit code and everything it printed."""
    from hypothesis import settings

    outer = settings.default  # the suite loads its own Hypothesis profile; this process keeps its own
    plugin = [] if PLUGIN_INSTALLED else ["-p", "conformance.plugin"]
    try:
        result = pytester.runpytest_inprocess(*plugin, *COMMON, "--conformance-isolation", "none", *args)
    finally:
        settings.register_profile("snnloss-outer-session", outer)
        settings.load_profile("snnloss-outer-session")
    return int(result.ret), "\n".join(result.outlines + result.errlines)


def run_suite(*args: str, env: dict | None = None) -> tuple[int, str]:
    """The suite as ``python -m pytest`` in a subprocess (the backend in its sandboxed worker)."""
    plugin = [] if PLUGIN_INSTALLED else ["-p", "conformance.plugin"]
    command = [sys.executable, "-m", "pytest", *plugin, *COMMON, *args]
    process = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})}
    )
    return process.returncode, process.stdout + process.stderr
