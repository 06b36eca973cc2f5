"""``python -m conformance [pytest options]``: run the conformance suite.

Without ``--backend`` it tests upstream snnTorch (``--backend snntorch``) under both
profiles (``spec``, then ``snntorch-1.0``): the project's main job. With a backend it
runs once, under ``--profile`` if given, else under the profile the backend declares
(``spec`` if none); ``--both-profiles`` runs it under both. It exits non-zero if any run
fails. Every other option goes to pytest (``--device``, ``--dtype``, ``-n 2``, ``-k``...).
"""

from __future__ import annotations

import os
import sys

import pytest

from .vocabulary import PROFILES


def _has(args: list[str], option: str) -> bool:
    return any(a == option or a.startswith(option + "=") for a in args)


def _with_profile_suffix(args: list[str], option: str, profile: str) -> list[str]:
    """Give report files of each profile their own name: report.json -> report.spec.json."""
    out, iterator = [], iter(args)
    for arg in iterator:
        if arg == option:
            path = next(iterator)
            out += [option, _suffixed(path, profile)]
        elif arg.startswith(option + "="):
            out.append(f"{option}={_suffixed(arg.split('=', 1)[1], profile)}")
        else:
            out.append(arg)
    return out


def _suffixed(path: str, profile: str) -> str:
    stem, dot, extension = path.rpartition(".")
    return f"{stem}.{profile}.{extension}" if dot else f"{path}.{profile}"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["scoreboard"]:
        from .reports.scoreboard import main as scoreboard

        return scoreboard(args[1:])
    both = "--both-profiles" in args
    args = [a for a in args if a != "--both-profiles"]
    if not _has(args, "--backend") and not os.environ.get("SNNLOSS_BACKEND"):
        args = ["--backend", "snntorch", *args]
        both = True
    # This module imported conformance before pytest could rewrite its asserts; the plugin needs no rewriting.
    quiet = ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
    base = ["--pyargs", "conformance", "-p", "no:cacheprovider", *quiet, *args]
    if _has(args, "--profile") or not both:
        return int(pytest.main(base))
    status = 0
    for profile in PROFILES:
        run = base
        for option in ("--report-json", "--report-md"):
            run = _with_profile_suffix(run, option, profile)
        print(f"\n===== conformance under the {profile} profile =====", flush=True)
        status = max(status, int(pytest.main([*run, "--profile", profile])))
    return status


if __name__ == "__main__":
    sys.exit(main())
