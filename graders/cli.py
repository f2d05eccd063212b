"""Command line: `python -m graders <command>` and the `katas` console script."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graders.catalog import CatalogError, find_root, select


def _verify(args: argparse.Namespace) -> int:
    from graders.verify import verify

    root = find_root()
    verdicts = verify(root, select(root, args.paths), jobs=args.jobs)
    return 1 if any(v.problems for v in verdicts) else 0


def _grade(args: argparse.Namespace) -> int:
    from graders.grade import grade, write_json

    root = find_root()
    grades = grade(
        root,
        select(root, args.paths),
        impl=args.impl,
        extra_tests=Path(args.extra_tests).resolve() if args.extra_tests else None,
    )
    if args.json:
        write_json(grades, Path(args.json))
    return 0


def _bench(args: argparse.Namespace) -> int:
    from graders.bench import bench

    root = find_root()
    within = bench(root, select(root, args.paths), impl=args.impl)
    return 0 if within or not args.strict else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="katas", description="ds-katas: the learner's loop and the graders."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    verify = commands.add_parser("verify", help="check that stubs fail, solutions pass and near misses fail")
    verify.add_argument("paths", nargs="*", help="topics or kata folders (default: all)")
    verify.add_argument("-j", "--jobs", type=int, default=None, help="parallel pytest processes")
    verify.set_defaults(func=_verify)

    grade = commands.add_parser("grade", help="grade the learner's files, kata by kata")
    grade.add_argument("paths", nargs="*", help="topics or kata folders (default: all)")
    grade.add_argument("--impl", default=None, help="grade another implementation folder (e.g. solutions)")
    grade.add_argument("--json", default=None, help="write GitHub Classroom's results JSON here")
    grade.add_argument("--extra-tests", default=None, help="a folder mirroring katas/ with hidden tests")
    grade.set_defaults(func=_grade)

    bench = commands.add_parser("bench", help="timing table of each kata's tests")
    bench.add_argument("paths", nargs="*", help="topics or kata folders (default: all)")
    bench.add_argument("--impl", default="solutions")
    bench.add_argument("--strict", action="store_true", help="exit 1 when a topic is over its budget")
    bench.set_defaults(func=_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CatalogError as exc:
        print(f"katas: {exc}", file=sys.stderr)
        return 2
