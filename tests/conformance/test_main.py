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
