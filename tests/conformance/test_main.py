"""``python -m conformance``: each profile's report files get their own names."""

from __future__ import annotations

from conformance.__main__ import _with_profile_suffix


def test_every_report_option_is_suffixed_per_profile():
    args = ["--report-json", "out/r.json", "--report-md=r.md", "-k", "x"]
    assert _with_profile_suffix(args, "--report-json", "spec") == [
        "--report-json",
        "out/r.spec.json",
        "--report-md=r.md",
        "-k",
        "x",
    ]
    assert _with_profile_suffix(args, "--report-md", "snntorch-1.0")[2] == "--report-md=r.snntorch-1.0.md"
    assert _with_profile_suffix(["--report-json", "report"], "--report-json", "spec") == [
        "--report-json",
        "report.spec",
    ]


def test_without_a_backend_it_runs_upstream_under_both_profiles_with_a_report_per_profile(monkeypatch):
    import conformance.__main__ as cli

    runs = []
    monkeypatch.delenv("SNNLOSS_BACKEND", raising=False)
    monkeypatch.setattr(cli.pytest, "main", lambda args: runs.append(args) or (1 if "spec" in args else 0))
    assert cli.main(["--report-json", "r.json", "-k", "first_spike"]) == 1  # the worst of the two runs
    assert [run[run.index("--profile") + 1] for run in runs] == ["spec", "snntorch-1.0"]
    assert all(run[run.index("--backend") + 1] == "snntorch" for run in runs)
    assert [run[run.index("--report-json") + 1] for run in runs] == ["r.spec.json", "r.snntorch-1.0.json"]


def test_with_a_backend_it_runs_once_unless_both_profiles_are_asked_for(monkeypatch):
    import conformance.__main__ as cli

    runs = []
    monkeypatch.setattr(cli.pytest, "main", lambda args: runs.append(args) or 0)
    assert cli.main(["--backend", "mypkg"]) == 0 and len(runs) == 1 and "--profile" not in runs[0]
    assert cli.main(["--backend", "mypkg", "--both-profiles"]) == 0 and len(runs) == 3
