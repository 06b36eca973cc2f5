"""Mutation testing of the suite: does it catch a wrong reference? (``tox -e mutation``)

Cosmic Ray (https://cosmic-ray.readthedocs.io) mutates a *copy* of the spec
reference, ``build/mutation/mutant_reference/`` (``reference/`` without
``compat/``), one mutant at a time, and runs the default ``ci`` suite with that
copy as the backend. The harness computes its expectations with the real
``reference`` package, which is never touched. A mutant is killed when the suite
fails (or times out) on it; it survives when the suite passes.

Survivors are compared with ``docs/mutation.md``, which lists the equivalent
mutants (ones no backend behaviour can tell apart from the spec) with a reason
each. The run fails unless at least ``--goal`` (default 90 %) of the
non-equivalent mutants are killed, and it prints every unexplained survivor.

    python tools/mutation.py [--modules rate.py,checks.py] [--goal 0.9] [--timeout 60]
    python tools/mutation.py --rerun build/mutation/spike_time.py.sqlite   # its survivors, against today's suite

``--rerun`` re-judges the unexplained survivors of finished sessions: each survivor's change is applied to a
fresh copy of the reference and the module's tests run on it, so a vector added to kill a survivor can be
checked in minutes instead of a full run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "mutation"
COPY = WORK / "mutant_reference"
EQUIVALENTS = ROOT / "docs" / "mutation.md"
# The vectors first: they are quick and kill most mutants, so -x ends those runs early.
SUITE = (
    "python -m pytest -p no:cacheprovider --pyargs conformance.suite.test_vectors conformance.suite.test_properties "
    "--backend mutant_backend:backend --profile spec "
    "--device cpu --conformance-isolation none -x -q --no-header -p no:warnings"
)


# The tests that exercise each module: a mutant of rate.py needs only the rate losses' tests, which keeps a
# surviving mutant's full run short. Shared modules run everything.
TESTS_OF = {
    "rate.py": "ce_rate or ce_count or mse_count",
    "membrane.py": "ce_max or mse_membrane",
    "spike_time.py": "first_spike or multi_spike or tolerance or spike_time or temporal",
    "temporal.py": "temporal",
}


def prepare(work: Path = WORK) -> None:
    """A fresh copy of the spec reference to mutate, and the backend that serves it.

    The backend declares the ``spec`` profile: a mutant that happens to behave like snnTorch 1.0.0 must
    fail, not pass as an expected legacy behaviour.
    """
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(ROOT / "reference", work / COPY.name, ignore=shutil.ignore_patterns("compat", "__pycache__"))
    (work / "mutant_backend.py").write_text(
        "import mutant_reference\n"
        "from conformance.backend import TorchModuleBackend\n\n"
        'backend = TorchModuleBackend(mutant_reference, name="mutant_reference")\n'
        'backend.profile = "spec"\n'
    )


def configure(module: str, timeout: float) -> Path:
    """A Cosmic Ray config that mutates ``module`` of the copy and runs the tests that exercise it."""
    selection = f' -k \\"{TESTS_OF[module]}\\"' if module in TESTS_OF else ""
    config = WORK / f"{module}.toml"
    config.write_text(
        "[cosmic-ray]\n"
        f'module-path = "{COPY / module}"\n'
        f"timeout = {timeout}\n"
        "excluded-modules = []\n"
        f'test-command = "{SUITE}{selection}"\n'
        "\n[cosmic-ray.distributor]\n"
        'name = "local"\n'
    )
    return config


def run(config: Path) -> Path:
    session = config.with_suffix(".sqlite")
    environment = {"PYTHONPATH": str(WORK), "PATH": _path()}
    subprocess.run(["cosmic-ray", "init", str(config), str(session)], check=True, cwd=ROOT, env=environment)
    subprocess.run(["cosmic-ray", "exec", str(config), str(session)], check=True, cwd=ROOT, env=environment)
    return session


def _path() -> str:
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def results(session: Path) -> list[dict]:
    """Every mutant: where, which operator, and whether the suite killed it."""
    with sqlite3.connect(session) as db:
        rows = db.execute(
            "SELECT m.module_path, m.operator_name, m.occurrence, m.start_pos_row, r.test_outcome, r.worker_outcome, "
            "r.diff "
            "FROM mutation_specs m JOIN work_results r ON m.job_id = r.job_id"
        ).fetchall()
    return [
        {"module": Path(module).name, "operator": operator, "occurrence": occurrence, "line": line,
         "outcome": _outcome(str(test_outcome), str(worker_outcome)), "mutated": _mutated_line(diff or ""),
         "diff": diff or ""}
        for module, operator, occurrence, line, test_outcome, worker_outcome, diff in rows
    ]  # fmt: skip


def _mutated_line(diff: str) -> str:
    """The changed line as the mutant has it (the diff's first added line), stripped."""
    added = [line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return added[0] if added else ""


def _outcome(test_outcome: str, worker_outcome: str) -> str:
    """killed: the suite failed, timed out, or the mutant did not even import; survived: the suite passed."""
    if "SURVIVED" in test_outcome.upper() and "NORMAL" in worker_outcome.upper():
        return "survived"
    return "killed"


def equivalents() -> list[tuple[str, str, str]]:
    """``docs/mutation.md``'s rows ``| module | operator | mutated line | reason |`` as (module, operator, line).

    The operator and the line are shell-style patterns (``*`` matches anything); the mutated line is the
    changed source line as the mutant has it, which stays valid when lines above it move.
    """
    found = []
    for line in EQUIVALENTS.read_text().splitlines():
        cells = [cell.strip().strip("`").replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) == 4 and cells[0].endswith(".py"):
            found.append((cells[0], cells[1], cells[2]))
    return found


def is_equivalent(mutant: dict, known: list[tuple[str, str, str]]) -> bool:
    return any(
        _matches(mutant["module"], module)
        and _matches(mutant["operator"], operator)
        and _matches(mutant["mutated"], text)
        for module, operator, text in known
    )


def _matches(text: str, pattern: str) -> bool:
    """``pattern`` with ``*`` matching anything and every other character literal (brackets included)."""
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), text) is not None


def apply_diff(source: str, diff: str) -> str:
    """``source`` with the unified ``diff`` of one file applied (Cosmic Ray's diffs: one hunk, changed lines
    together). The changed lines are found where they stand now, nearest their old place: a docstring edited
    since the run moves them or changes the context around them, not the code a mutant changed.
    """
    lines = source.splitlines(keepends=True)
    hunks = re.split(r"^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@.*\n", diff, flags=re.M)
    for start, body in reversed(list(zip(hunks[1::2], hunks[2::2], strict=True))):
        hunk = body.splitlines()
        removed = [line[1:] for line in hunk if line[:1] == "-"]
        added = [line[1:] for line in hunk if line[:1] == "+"]
        first_change = next((i for i, line in enumerate(hunk) if line[:1] in ("-", "+")), 0)
        at = _where(lines, removed, int(start) - 1 + first_change)
        if at is None or not removed:
            raise ValueError(f"the diff does not apply at line {start}")
        lines[at : at + len(removed)] = [line + "\n" for line in added]
    return "".join(lines)


def _where(lines: list[str], block: list[str], near: int) -> int | None:
    """Where ``block`` stands in ``lines``, nearest to line ``near`` (the source may have moved since the run)."""
    stripped = [line.rstrip("\n") for line in lines]
    found = [i for i in range(len(stripped) - len(block) + 1) if stripped[i : i + len(block)] == block]
    return min(found, key=lambda i: abs(i - near)) if found else None


def rerun(sessions: list[Path], timeout: float) -> list[dict]:
    """The unexplained survivors of ``sessions``, each judged again by today's suite: ``outcome`` updated."""
    known = equivalents()
    survivors = [m for session in sessions for m in results(session) if m["outcome"] != "killed"]
    judged = []
    for mutant in (m for m in survivors if not is_equivalent(m, known)):
        with tempfile.TemporaryDirectory() as scratch:
            work = Path(scratch)
            prepare(work)
            target = work / COPY.name / mutant["module"]
            target.write_text(apply_diff(target.read_text(), mutant["diff"]))
            selection = ["-k", TESTS_OF[mutant["module"]]] if mutant["module"] in TESTS_OF else []
            command = [sys.executable, *SUITE.split()[1:], *selection]
            environment = {"PYTHONPATH": str(work), "PATH": _path()}
            try:
                code = subprocess.run(
                    command, cwd=ROOT, env=environment, capture_output=True, timeout=timeout
                ).returncode
            except subprocess.TimeoutExpired:
                code = -1
        judged.append({**mutant, "outcome": "survived" if code == 0 else "killed"})
    return judged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", help="comma list of reference modules to mutate (default: all)")
    parser.add_argument("--goal", type=float, default=0.9, help="share of non-equivalent mutants to kill (0.9)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one suite run may take (60)")
    parser.add_argument("--rerun", nargs="+", type=Path, help="session files whose survivors to judge again")
    args = parser.parse_args(argv)
    if not 0 < args.goal <= 1 or args.timeout <= 0:
        parser.error("--goal must be in (0, 1] and --timeout positive")
    if args.rerun:
        missing = [str(p) for p in args.rerun if not p.is_file()]
        if missing:
            parser.error(f"--rerun: no such session file: {', '.join(missing)}")
        judged = rerun(args.rerun, args.timeout)
        for m in judged:
            print(f"  {m['outcome']:8s} {m['module']}:{m['line']} {m['operator']}: {m['mutated']}")
        still = sum(m["outcome"] == "survived" for m in judged)
        print(f"{len(judged)} unexplained survivors judged again: {len(judged) - still} killed, {still} survive")
        return 0
    started = time.monotonic()
    prepare()
    modules = args.modules.split(",") if args.modules else sorted(p.name for p in COPY.glob("*.py"))
    mutants = [m for module in modules for m in results(run(configure(module, args.timeout)))]
    known = equivalents()
    killed = [m for m in mutants if m["outcome"] == "killed"]
    survivors = [m for m in mutants if m["outcome"] != "killed"]
    explained = [m for m in survivors if is_equivalent(m, known)]
    unexplained = [m for m in survivors if m not in explained]
    counted = len(mutants) - len(explained)
    score = len(killed) / counted if counted else 1.0
    minutes = (time.monotonic() - started) / 60
    print(f"\n{len(mutants)} mutants in {minutes:.1f} min: {len(killed)} killed, {len(explained)} equivalent "
          f"(docs/mutation.md), {len(unexplained)} unexplained survivors")  # fmt: skip
    print(f"score: {score:.1%} of non-equivalent mutants killed (goal {args.goal:.0%})")
    for m in unexplained:
        print(f"  survivor: {m['module']}:{m['line']} {m['operator']}: {m['mutated']}")
    return 0 if score >= args.goal else 1


if __name__ == "__main__":
    sys.exit(main())
