"""Golden vectors: content, determinism, drift check, validation (conformance/golden)."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

from conformance.clauses import registry
from conformance.golden import drift, generate, validate
from conformance.golden.load import expectation_for, iter_cases, load
from conformance.vocabulary import FLAGS

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "vectors"
OPS = sorted(p.stem for p in VECTORS.glob("*.yaml"))


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def all_cases():
    for path in sorted(VECTORS.glob("*.yaml")):
        document = load(path)
        for params, case in iter_cases(document):
            yield document["op"], params, case


def test_every_op_has_a_file():
    assert sorted(generate.golden_cases.ALL) == OPS


def test_every_clause_has_a_vector():
    named = set()
    for _, _, case in all_cases():
        named.update(case["clauses"], case["legacy"])
    missing = sorted(set(registry()) - named)
    assert not missing, f"clauses without a vector: {missing}"


def test_legacy_ids_are_named_exactly_where_the_profiles_differ():
    for _, _, case in all_cases():
        spec, legacy = expectation_for(case["expected"], "spec"), expectation_for(case["expected"], "snntorch-1.0")
        differ = generate.profiles_differ(spec, legacy, case.get("tolerance")) or "may_modify" in (legacy or {})
        errors_differ = "LB-17" in case["legacy"] and spec["result"] == "invalid" and legacy["result"] == "acceptable"
        assert bool(case["legacy"]) == (differ or errors_differ), case["id"]


def test_vectors_cover_the_edge_cases_kernels_get_wrong():
    flags = {flag for _, _, case in all_cases() for flag in case["flags"]}
    wanted = {
        "no_spikes",
        "all_spikes",
        "only_target_fires",
        "silent_neurons",
        "tie",
        "t1",
        "b1",
        "n1",
        "large_count",
        "multi_spike_fewer_than_f",
        "tolerance_boundary",
        "negative_target_time",
        "truncation_trap",
        "half_precision",
        "population_code",
        "weighted",
        "invalid",
        "square",
    }
    assert wanted <= flags <= set(FLAGS)


def test_every_reduction_and_both_profiles_per_op():
    for op in OPS:
        cases = [(params, case) for o, params, case in all_cases() if o == op]
        if op.endswith("_loss"):
            assert {p.get("reduction", "mean") for p, _ in cases} >= {"mean", "sum", "none"}, op
        assert any("snntorch-1.0" in c["expected"] for _, c in cases), op


def test_every_differentiable_valid_case_has_a_vjp():
    for _, _, case in all_cases():
        spec = case["expected"]["spec"]
        if spec["result"] == "valid" and spec["value"]["dtype"].startswith(("float", "bfloat")):
            assert "grad" in spec, case["id"]


def test_corpus_is_small_and_cases_fit_on_a_screen():
    assert sum(p.stat().st_size for p in VECTORS.glob("*.yaml")) < 5 * 2**20
    for path in VECTORS.glob("*.yaml"):
        lines_per_case: dict[str, int] = {}
        current = None
        for line in path.read_text().splitlines():
            if line.startswith("  - id: "):
                current = line.split()[-1]
            elif line.startswith("- params:"):
                current = None
            if current:
                lines_per_case[current] = lines_per_case.get(current, 0) + 1
                assert len(line) <= 120, f"{current}: line of {len(line)} characters"
        too_long = {case: n for case, n in lines_per_case.items() if n > 60}
        assert not too_long, f"{path.name}: cases longer than a screen: {too_long}"


def test_regeneration_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    generate.write(first)
    generate.write(second)
    for path in sorted(first.glob("*.yaml")):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    assert not list(first.glob(".*"))  # no temporary files left behind


def test_regeneration_is_atomic(tmp_path, monkeypatch):
    generate.write(tmp_path, ["tolerance"])
    before = (tmp_path / "tolerance.yaml").read_bytes()

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr("conformance.files.os.replace", fail)
    monkeypatch.setattr(generate, "dump", lambda document: "half-written")
    with pytest.raises(OSError, match="disk full"):
        generate.write(tmp_path, ["tolerance"])
    assert (tmp_path / "tolerance.yaml").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tolerance.yaml"]


def test_drift_check_passes_on_the_committed_vectors():
    changes = drift.check(VECTORS)
    assert not changes, "\n".join(map(str, changes))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _rewrite(path: Path, change) -> dict:
    """Load a vector file, let ``change`` edit its first case, write it back; return that case."""
    document = load(path)
    case = document["groups"][0]["cases"][0]
    change(case)
    path.write_text(generate.dump(document))
    return case


def test_drift_check_names_a_case_changed_by_1e_3(tmp_path):
    copy = tmp_path / "vectors"
    shutil.copytree(VECTORS, copy)

    def nudge(case):
        case["expected"]["spec"]["value"]["data"][0] += 1e-3

    case = _rewrite(copy / "ce_count_loss.yaml", nudge)
    changes = drift.check(copy)
    assert {c.case for c in changes} == {case["id"]}
    assert any("spec value: changed by up to 0.001" in c.reason for c in changes)


def test_drift_check_names_changed_metadata(tmp_path):
    copy = tmp_path / "vectors"
    shutil.copytree(VECTORS, copy)
    case = _rewrite(copy / "tolerance.yaml", lambda case: case.update(comment="edited by hand"))
    assert [c.case for c in drift.check(copy)] == [case["id"]]


def _problems(tmp_path: Path, name: str, old: str, new: str):
    copy = tmp_path / name
    shutil.copy(VECTORS / name, copy)
    shutil.copy(VECTORS / "schema.json", tmp_path / "schema.json")
    _edit(copy, old, new)
    return validate.validate([copy])


def test_validation_passes_on_the_committed_vectors():
    assert validate.validate([VECTORS]) == []


def test_validation_rejects_a_missing_field(tmp_path):
    case = load(VECTORS / "first_spike.yaml")["groups"][0]["cases"][1]
    problems = _problems(tmp_path, "first_spike.yaml", f"    comment: {case['comment']}\n", "")
    assert problems and all(p.case == case["id"] and p.file.endswith("first_spike.yaml") for p in problems)
    assert "'comment' is a required property" in problems[0].message


def test_validation_rejects_an_unknown_flag(tmp_path):
    case = load(VECTORS / "multi_spike.yaml")["groups"][0]["cases"][0]
    old = f"flags: [{', '.join(case['flags'])}]"
    problems = _problems(tmp_path, "multi_spike.yaml", old, old.replace("[", "[made_up_flag, "))
    assert [p.case for p in problems] == [case["id"]]
    assert "made_up_flag" in problems[0].message


def test_validation_rejects_a_python_tag(tmp_path):
    case = load(VECTORS / "tolerance.yaml")["groups"][1]["cases"][0]
    problems = _problems(
        tmp_path,
        "tolerance.yaml",
        f"- id: {case['id']}\n",
        f'- id: {case["id"]}\n    extra: !!python/object/apply:os.system ["echo owned"]\n',
    )
    assert [p.case for p in problems] == [case["id"]]
    assert "not safe YAML" in problems[0].message and "python/object/apply" in problems[0].message


def test_validation_rejects_a_forged_id(tmp_path):
    case = load(VECTORS / "tolerance.yaml")["groups"][0]["cases"][0]
    forged = case["id"][:-4] + "0000"
    problems = _problems(tmp_path, "tolerance.yaml", f"id: {case['id']}", f"id: {forged}")
    assert [p.case for p in problems] == [forged] and "hash" in problems[0].message


def test_command_line_exit_codes(tmp_path, capsys):
    from conformance.golden.__main__ import main

    assert main(["validate", str(VECTORS)]) == 0
    copy = tmp_path / "vectors"
    shutil.copytree(VECTORS, copy)
    (copy / "tolerance.yaml").unlink()
    assert main(["check", "--dir", str(copy)]) == 1
    assert "tolerance.yaml" in capsys.readouterr().out


def test_the_coverage_page_is_current_and_every_empty_cell_has_a_reason():
    from conformance.golden import coverage

    counts = coverage.vector_counts()
    page = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"
    assert page.read_text() == coverage.markdown(counts), (
        "run: python -m conformance.golden coverage --out docs/coverage.md"
    )
    assert coverage.unexplained_empty_cells(counts) == []
    assert coverage.unexplained_legacy_gaps(coverage.legacy_counts(), coverage.legacy_ids()) == []


def test_drift_notices_a_loosened_default_tolerance(tmp_path):
    for path in generate.VECTOR_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    edited = tmp_path / "first_spike.yaml"
    edited.write_text(
        edited.read_text().replace(
            "float32: {rtol: 1.0e-05, atol: 1.0e-06}", "float32: {rtol: 1.0e-04, atol: 1.0e-06}", 1
        )
    )
    changes = drift.check(tmp_path)
    assert [str(c) for c in changes if "default_tolerance" in str(c)], changes
    assert all("first_spike" in c.file for c in changes)
