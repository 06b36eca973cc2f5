"""tools/mutation.py reads its equivalents table and classifies mutants (the mutation run itself is tox -e mutation)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import mutation


def test_every_row_of_the_equivalents_table_is_read():
    rows = mutation.equivalents()
    section = mutation.EQUIVALENTS.read_text().split("## Equivalent mutants")[1].split("\n## ")[0]
    table = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) == len(table) > 0
    assert all(module.endswith(".py") and operator.startswith(("core/", "*")) for module, operator, _ in rows)


def test_a_survivor_is_equivalent_only_when_module_operator_and_line_all_match():
    known = [
        ("temporal.py", "core/ReplaceUnaryOperator_*", "x.unsqueeze(*1)"),
        ("*.py", "core/Binary*", "def * -> * None:"),
    ]
    mutant = {"module": "temporal.py", "operator": "core/ReplaceUnaryOperator_USub_UAdd", "mutated": "x.unsqueeze(+1)"}
    assert mutation.is_equivalent(mutant, known)
    assert not mutation.is_equivalent({**mutant, "module": "rate.py"}, known)
    assert not mutation.is_equivalent({**mutant, "mutated": "x.unsqueeze(+2)"}, known)
    indexed = ("temporal.py", "core/*", "w[labels].unsqueeze(*1)")  # brackets are literal, only * is a wildcard
    assert mutation.is_equivalent({**mutant, "mutated": "w[labels].unsqueeze(+1)"}, [indexed])
    assert not mutation.is_equivalent({**mutant, "mutated": "wl.unsqueeze(+1)"}, [indexed])
    annotation = {"module": "rate.py", "operator": "core/Binary_Sub", "mutated": "def f(x) -> torch.Tensor - None:"}
    assert mutation.is_equivalent(annotation, known)


def test_only_a_normal_run_that_passed_is_a_survivor():
    assert mutation._outcome("TestOutcome.SURVIVED", "WorkerOutcome.NORMAL") == "survived"
    assert mutation._outcome("TestOutcome.KILLED", "WorkerOutcome.NORMAL") == "killed"
    assert mutation._outcome("TestOutcome.SURVIVED", "WorkerOutcome.TIMEOUT") == "killed"
    assert mutation._mutated_line("--- a\n+++ b\n@@\n-    x = 1\n+    x = 2\n") == "x = 2"


def test_a_cosmic_ray_diff_applies_to_the_source_it_was_made_from():
    source = "def f(x):\n    y = x - 1\n    return y\n"
    diff = (
        "--- mutation diff ---\n--- a/m.py\n+++ b/m.py\n@@ -1,3 +1,3 @@\n"
        " def f(x):\n-    y = x - 1\n+    y = x + 1\n     return y\n"
    )
    assert mutation.apply_diff(source, diff) == "def f(x):\n    y = x + 1\n    return y\n"
    removed = "--- a/m.py\n+++ b/m.py\n@@ -2,2 +2,1 @@\n-    y = x - 1\n     return y\n"
    assert mutation.apply_diff(source, removed) == "def f(x):\n    return y\n"


def test_a_diff_that_does_not_fit_the_source_is_refused():
    diff = "--- a/m.py\n+++ b/m.py\n@@ -2,1 +2,1 @@\n-    y = x * 1\n+    y = x + 1\n"
    try:
        mutation.apply_diff("def f(x):\n    y = x - 1\n", diff)
    except ValueError as error:
        assert "line 2" in str(error)
    else:
        raise AssertionError("a diff for other source applied")


def test_a_diff_applies_where_its_lines_moved_to():
    diff = "--- a/m.py\n+++ b/m.py\n@@ -2,1 +2,1 @@\n-    y = x - 1\n+    y = x + 1\n"
    moved = '"""A docstring that grew."""\n\ndef f(x):\n    y = x - 1\n'
    assert mutation.apply_diff(moved, diff) == '"""A docstring that grew."""\n\ndef f(x):\n    y = x + 1\n'


def test_a_diff_applies_when_only_its_context_changed():
    diff = "--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n def f(x):  # old comment\n-    y = x - 1\n+    y = x + 1\n"
    assert mutation.apply_diff("def f(x):  # new comment\n    y = x - 1\n", diff) == (
        "def f(x):  # new comment\n    y = x + 1\n"
    )
