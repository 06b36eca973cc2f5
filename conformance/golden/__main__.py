"""``python -m conformance.golden {generate,check,validate,coverage}``: the golden-vector commands."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from ..files import write_atomic
from . import coverage, drift, generate, manifest, validate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance.golden", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    regenerate = commands.add_parser("generate", help="regenerate the vector files (atomic, deterministic)")
    regenerate.add_argument("--dir", type=Path, default=generate.VECTOR_DIR, help="where to write (default: vectors/)")
    check = commands.add_parser("check", help="drift check: regenerate in memory and compare with the files")
    check.add_argument("--dir", type=Path, default=generate.VECTOR_DIR, help="the files to compare (default: vectors/)")
    lint = commands.add_parser("validate", help="validate files against vectors/schema.json")
    lint.add_argument("paths", nargs="*", type=Path, help="files or folders to validate (default: the vectors folder)")
    table = commands.add_parser("coverage", help="write the coverage matrix (op x dtype x labels x reduction)")
    table.add_argument("--out", type=Path, default=None, help="Markdown file to write (default: print it)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # upstream-compatible code paths warn about broadcasting by design

    if args.command == "generate":
        for path in generate.write(args.dir):
            print(f"wrote {path}")
        print(f"wrote {manifest.write_manifest(args.dir)}")
        return 0
    if args.command == "check":
        changes = drift.check(args.dir)
        for change in changes:
            print(f"DRIFT {change}")
        drifted = len({(c.file, c.case) for c in changes})
        print(f"{drifted} drifted case(s)" if changes else "no drift: the vectors match the reference")
        try:
            manifest.verified_texts(args.dir)
        except manifest.ManifestError as error:
            print(f"MANIFEST {error}")
            return 1
        return 1 if changes else 0
    if args.command == "coverage":
        counts = coverage.vector_counts()
        text = coverage.markdown(counts)
        if args.out:
            write_atomic(args.out, text)
        else:
            print(text)
        empty = coverage.unexplained_empty_cells(counts)
        for cell in empty:
            print(f"EMPTY without a reason: {cell[:4]}")
        gaps = coverage.unexplained_legacy_gaps(coverage.legacy_counts(), coverage.legacy_ids())
        for lb, situation in gaps:
            print(f"NO WITNESS and no reason: {lb} under {situation}")
        return 1 if empty or gaps else 0
    problems = validate.validate(args.paths or None)
    for problem in problems:
        print(f"INVALID {problem}")
    print(f"{len(problems)} problem(s)" if problems else "all vector files are valid")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
