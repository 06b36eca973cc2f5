"""A port author's first hour, end to end: install a package out of tree, run the documented
commands, read the reports, rerun a counterexample; and the HTML report in a real headless browser.
"""

from __future__ import annotations

import json
import re
import shutil
import site
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conformance.ops import OPS

from .runner import run_suite

pytestmark = pytest.mark.subprocess  # fresh environments, installs, reruns and the browser, as a new user has them

HERE = Path(__file__).resolve().parent

PACKAGE_FILES = {
    "pyproject.toml": """
        [build-system]
        requires = ["setuptools>=68"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "mypkg"
        version = "0.3.1"

        [project.entry-points."snnloss_conformance.backends"]
        mypkg = "mypkg:conformance_backend"
    """,
    "mypkg/__init__.py": """
        # A correct port of the first-spike estimator, the rest declined.
        from conformance.backend import TorchModuleBackend
        import reference as _reference

        from reference import SpikeTime  # noqa: F401  (snnTorch's API name)


        class MyBackend(TorchModuleBackend):
            ops = frozenset({"first_spike"})
            differentiable_ops = frozenset({"first_spike"})


        conformance_backend = MyBackend(_reference, name="mypkg")
    """,
}


def _write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())


@pytest.fixture(scope="module")
def fresh_env(tmp_path_factory) -> Path:
    """A fresh virtual environment on top of this one's packages, with mypkg installed out of tree by pip."""
    root = tmp_path_factory.mktemp("first-hour")
    _write_tree(root / "mypkg-src", PACKAGE_FILES)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)  # pip comes from below
    python = venv / "bin" / "python"
    # On top of this environment's packages (torch, the suite), as a user's project environment would have them.
    fresh_site = subprocess.run(
        [str(python), "-c", "import site; print(site.getsitepackages()[0])"], capture_output=True, text=True, check=True
    ).stdout.strip()
    parents = "; ".join(f"site.addsitedir({p!r})" for p in site.getsitepackages())
    Path(fresh_site, "parent-environment.pth").write_text(f"import site; {parents}\n")
    install = [str(python), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q", str(root / "mypkg-src")]
    subprocess.run(install, check=True, capture_output=True, text=True)
    return python


def _run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_an_out_of_tree_package_runs_by_its_entry_point_under_its_profile(fresh_env, tmp_path):
    run = _run(
        fresh_env, "-m", "conformance", "--backend", "mypkg", "--device", "cpu", "-k", "first_spike", cwd=tmp_path
    )
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    assert "under the spec profile" in run.stdout and "snntorch-1.0 profile" not in run.stdout
    assert "mypkg 0.3.1" in run.stdout  # the version comes from the installed distribution


def test_the_pytest_command_of_the_docs_runs_the_same_suite(fresh_env, tmp_path):
    args = ["-m", "pytest", "-p", "no:cacheprovider", "--pyargs", "conformance", "--backend", "mypkg"]
    run = _run(fresh_env, *args, "--profile", "spec", "--device", "cpu", "-k", "first_spike", cwd=tmp_path)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]


def test_a_py_backend_imports_the_files_beside_it(tmp_path):
    port = tmp_path / "port"
    _write_tree(
        port,
        {
            "helper.py": "from reference import *  # noqa: F403\nfrom reference import SpikeTime  # noqa: F401\n",
            "backend.py": "from helper import SpikeTime, ce_count_loss  # noqa: F401\n",
        },
    )
    code, output = run_suite("--backend", str(port / "backend.py"), "-k", "test_vector and first_spike")
    assert code == 0, output[-3000:]


def test_an_unknown_backend_lists_the_registered_ones():
    code, output = run_suite("--backend", "no_such_backend_xyz")
    assert code == 4 and "registered backends" in output and "reference" in output and "snntorch" in output


@pytest.mark.parametrize("profile", ["dev", "thorough"])
def test_the_documented_hypothesis_profiles_are_registered(profile):
    code, output = run_suite("--backend", "reference", "--hypothesis-profile", profile, "-k", "test_time_shift")
    assert code == 0, output[-3000:]


def test_a_failing_property_writes_its_counterexample_and_the_rerun_command_reruns_it(tmp_path):
    failures = tmp_path / "failures"
    code, output = run_suite(
        "--backend",
        f"{HERE / 'broken_backends.py'}:first_spike_silent_at_t",
        "-k",
        "test_matches_reference and first_spike",
        "--conformance-failures-dir",
        str(failures),
    )
    assert code == 1
    written = sorted(failures.glob("*.yaml"))
    assert len(written) == 1 and "counterexample (a vector file): " + str(written[0]) in output
    rerun = next(line for line in output.splitlines() if line.startswith(sys.executable) and "--vectors" in line)
    again = subprocess.run(rerun, shell=True, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert again.returncode == 1 and "1 failed" in again.stdout, again.stdout[-2000:]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed here (.ci/run installs it)")
def test_the_html_report_renders_its_failures_in_a_headless_browser(tmp_path):
    page = tmp_path / "report.html"
    code, _ = run_suite(
        "--backend",
        f"{HERE / 'broken_backends.py'}:first_spike_silent_at_t",
        "-k",
        "first_spike",
        "--report-html",
        str(page),
        "--report-json",
        str(tmp_path / "report.json"),
    )
    assert code == 1 and page.exists()
    failed = len(json.loads((tmp_path / "report.json").read_text())["failures"])
    browser = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--dump-dom",
        page.as_uri(),
    ]
    dom = subprocess.run(browser, capture_output=True, text=True, timeout=120).stdout
    assert dom.count('<section class="failure">') == failed > 0
    assert "ST-FIRST-1" in dom and "Failures (" in dom and 'id="clause-st-first-1"' in dom


def test_the_scoreboard_tabulates_clauses_by_backend_with_links_to_each_report(tmp_path):
    broken = f"{HERE / 'broken_backends.py'}:first_spike_silent_at_t"
    command = [sys.executable, "-m", "conformance", "scoreboard", "--backend", "reference", "--backend", broken]
    command += [
        "--profile",
        "spec",
        "--jobs",
        "2",
        "--out",
        str(tmp_path),
        "--",
        "--device",
        "cpu",
        "-k",
        "first_spike",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    assert "[1/2] reference under spec: " in run.stdout and "[2/2]" in run.stdout  # progress per run ...
    assert "progress: reference 1.0.0 / spec: first_spike done (1 of 1 ops)" in run.stdout  # ... and per op
    table = (tmp_path / "scoreboard.md").read_text()
    row = next(line for line in table.splitlines() if line.startswith("| ST-FIRST-1 |"))
    assert '<a href="reference.spec.html#clause-st-first-1">pass</a>' in row and ">fail</a>" in row
    assert (tmp_path / "reference.spec.html").exists() and (tmp_path / "scoreboard.html").exists()


def test_a_thorough_run_shows_progress_per_op_and_ends_with_the_clause_report():
    backend = f"{HERE / 'broken_backends.py'}:first_spike_silent_at_t"
    code, output = run_suite("--backend", backend, "-k", "test_vector", "-ra", "--hypothesis-profile", "thorough")
    assert code == 1
    lines = output.splitlines()
    progress = [line for line in lines if line.startswith("progress: ")]
    assert len(progress) == len(OPS), progress  # one line per op: every op has vectors
    assert any(line.startswith("progress: first_spike_silent_at_t / spec: first_spike done (") for line in progress)
    assert all(re.search(rf" done \(\d+ of {len(OPS)} ops\): .*passed", line) for line in progress)
    summary = next(i for i, line in enumerate(lines) if "short test summary info" in line)
    clause_report = next(i for i, line in enumerate(lines) if line.startswith("=") and "conformance: " in line)
    assert summary < clause_report  # the clause report comes last, after pytest's own summary
