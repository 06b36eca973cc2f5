"""Imports go one way: the layers of ``conformance`` (import-linter, as ``tox -e lint`` runs it) and no cycle
among the benchmark scripts, which are not a package import-linter can read.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def script_imports(folder: Path) -> dict[str, set[str]]:
    """For each script in ``folder``, the other scripts of the folder it imports (at any depth of its code)."""
    names = {path.stem for path in folder.glob("*.py")}
    found: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
        found[path.stem] = imported & names - {path.stem}
    return found


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (as a path that returns to its start), or ``None``."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for other in sorted(graph.get(node, ())):
            if state.get(other) == "open":
                return [*path[path.index(other) :], other] if other in path else [*path, other]
            if other not in state and (found := visit(other, [*path, other])):
                return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_the_benchmark_scripts_import_without_a_cycle():
    assert cycle(script_imports(ROOT / "benchmarks")) is None


def test_the_cycle_finder_finds_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_the_harness_layers_hold(monkeypatch):
    pytest.importorskip("importlinter", reason="import-linter is installed by tox -e lint and the dev extra")
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True) == 0, "tox -e lint shows which import breaks which contract"
