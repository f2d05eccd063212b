"""Command line: `python -m graders <command>` and the `katas` console script (the same commands)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graders.catalog import CatalogError, all_katas, find_root, select
from graders.impl import LearnerFileMissing


def _verify(root: Path, args: argparse.Namespace) -> int:
    from graders.dev.verify import verify

    verdicts = verify(root, select(root, args.paths), jobs=args.jobs)
    return 1 if any(v.problems for v in verdicts) else 0


def _mutate(root: Path, args: argparse.Namespace) -> int:
    from graders.dev.mutate import main

    return main(root, args.paths, args.jobs, args.max_mutants, stale_only=args.stale)


def _grade(root: Path, args: argparse.Namespace) -> int:
    from graders.warm import pin_hash_seed

    # The grader is the warm parent of each kata's run: started again with string hashing pinned, before it
    # reads anything, so its children print sets as diagnoses.toml recorded them (graders.diagnose).
    pin_hash_seed()
    from graders.grading import report
    from graders.grading.grade import grade_run
    from graders.grading.staging import TrustedTree
    from graders.manifest import changed_protected

    template = Path(args.template).resolve() if args.template else None
    if template is not None:
        root = find_root(template)
    trusted = TrustedTree.from_dir(template) if template is not None else TrustedTree.of_repository(root)
    katas = select(root, args.paths)
    changed = changed_protected(root) if args.check_integrity else []
    extra = Path(args.extra_tests).resolve() if args.extra_tests else None
    outputs = Path(args.classroom_outputs) if args.classroom_outputs else None
    if outputs is not None:
        report.write_placeholders(katas, outputs)
    run = grade_run(
        root,
        katas,
        impl=args.impl,
        extra_tests=extra,
        submission=Path(args.submission).resolve() if args.submission else None,
        trusted=trusted,
        jobs=args.jobs,
        deadline_s=args.deadline_minutes * 60 if args.deadline_minutes else None,
        protected_changes=[f"edited: {rel}" for rel in changed],
        on_graded=(lambda g: report.append_output(g, outputs)) if outputs is not None else None,
        remove_extra_tests=args.remove_extra_tests,
        warm=not args.cold,
    )
    if args.json:
        report.write_json(run, Path(args.json))
    if args.summary:
        report.write_summary(run, Path(args.summary))
    if run.stopped:
        return 143
    return 1 if args.require_pass and any(g.status != "passed" for g in run.grades) else 0


def _classroom(root: Path, args: argparse.Namespace) -> int:
    from graders.dev.classroom import write_workflow

    path = write_workflow(root, args.topics or None, template=args.template_repo, ref=args.template_ref)
    print(f"wrote {path.relative_to(root)}")
    return 0


def _export_template(root: Path, args: argparse.Namespace) -> int:
    from graders.dev.classroom import export_template

    out = Path(args.out).resolve()
    if out.exists() and any(out.iterdir()):
        print(f"katas: {out} is not empty: choose a new folder", file=sys.stderr)
        return 2
    files = export_template(
        root,
        out,
        args.topics or None,
        template=args.template_repo,
        ref=args.template_ref,
        solutions_repo=args.solutions_repo,
    )
    print(f"wrote the student template to {out}: {len(files)} files, no solutions")
    return 0


def _bench(root: Path, args: argparse.Namespace) -> int:
    from graders.dev.bench import bench

    if args.postgres:
        from graders.dev.bench import bench_postgres

        bench_postgres()
        if not args.paths:
            return 0
    within = bench(
        root, select(root, args.paths), impl=args.impl, alone=not args.no_alone, classroom=args.classroom
    )
    return 0 if within or not args.strict else 1


def _manifest(root: Path, args: argparse.Namespace) -> int:  # noqa: ARG001
    from graders.manifest import write

    print(f"wrote {write(root).relative_to(root)}")
    return 0


def _grade_class(root: Path, args: argparse.Namespace) -> int:
    from graders.grading import classgrade

    out = Path(args.out).resolve()
    if args.merge:
        classgrade.merge([Path(p).resolve() for p in args.merge], out)
        return 0
    if not args.source or not args.template:
        print("katas: grade-class needs SUBMISSIONS and --template (or --merge DIR...)", file=sys.stderr)
        return 2
    template = Path(args.template).resolve()
    root = find_root(template)
    katas = select(root, args.katas)
    try:
        classgrade.grade_class(
            Path(args.source).resolve(),
            template,
            out=out,
            katas=katas,
            paths=args.katas or list(dict.fromkeys(k.topic for k in katas)),
            hidden=Path(args.extra_tests).resolve() if args.extra_tests else None,
            jobs=args.jobs,
            deadline_minutes=args.deadline_minutes,
            shard=_shard(args.shard),
            isolation=args.isolation,
            image=args.image,
        )
    except classgrade.ClassGradeError as exc:
        print(f"katas: {exc}", file=sys.stderr)
        return 2
    return 0


def _diagnoses(root: Path, args: argparse.Namespace) -> int:
    from graders.diagnose import generate

    generate(root, select(root, args.paths), jobs=args.jobs)
    return 0


def _dev_lint(root: Path, args: argparse.Namespace) -> int:
    from graders.dev.lint import main

    return main(root, args.paths, fix=args.fix, source_from_readme=args.source_from_readme)


def _dev_near_miss(root: Path, args: argparse.Namespace) -> int:
    from graders.dev import nearmiss

    if args.action in ("new", "edit"):
        if not (args.kata and args.name):
            raise CatalogError(f"dev near-miss {args.action} needs a KATA and a NAME")
        katas = select(root, [args.kata])
        if len(katas) != 1:
            raise CatalogError(f"{args.kata!r} names {len(katas)} katas: name one")
        kata = katas[0]
        (nearmiss.new if args.action == "new" else nearmiss.edit)(kata, args.name)
        return 0
    katas = select(root, [args.kata] if args.kata else None)
    if args.action == "refresh":
        changed = sum(nearmiss.refresh(kata, args.name) for kata in katas)
        print(f"{changed} near-miss patches rewritten")
    else:
        converted = sum(nearmiss.convert(kata) for kata in katas)
        print(f"{converted} near misses converted to patches")
    return 0


def _dev_new(root: Path, args: argparse.Namespace) -> int:
    from graders.dev.scaffold import new_kata

    new_kata(root, args.kata)
    return 0


def _shard(text: str) -> tuple[int, int]:
    index, _, count = text.partition("/")
    if not (index.isdigit() and count.isdigit() and int(index) < int(count)):
        raise argparse.ArgumentTypeError(f"--shard takes I/N with 0 <= I < N, not {text!r}")
    return int(index), int(count)


def _publish_solutions(root: Path, args: argparse.Namespace) -> int:
    from graders.learner.student import publish_solutions

    commit, files = publish_solutions(root, args.topics, args.to, base=args.base, branch=args.branch)
    print(
        f"published {args.branch} at {commit[:12]} to {args.to}: {files} learner files with their solutions"
    )
    return 0


def _solutions_branch(root: Path, args: argparse.Namespace) -> int:
    from graders.learner.gitops import solutions_branch
    from graders.learner.loop import UserError

    if not (root / "solutions").is_dir():
        raise UserError(
            "this is a student template: the reference solutions are not in it. Once your instructor "
            "releases them, `katas diff KATA` shows your file against the reference."
        )
    commit, files = solutions_branch(root, all_katas(root), args.branch)
    print(
        f"{args.branch} at {commit[:12]}: {files} learner files replaced by their solutions. "
        f"See the answers with `git diff HEAD {args.branch} -- katas/<topic>`."
    )
    return 0


def _loop(name: str):
    def run(root: Path, args: argparse.Namespace) -> int:
        from graders.learner import loop

        if name == "list":
            return loop.cmd_list(root, args.topics)
        if name == "next":
            return loop.cmd_next(root)
        if name == "check":
            return loop.cmd_check(root, args.katas, args.verbose)
        if name == "hint":
            return loop.cmd_hint(root, args.kata)
        if name == "watch":
            return loop.cmd_watch(root, args.kata, args.poll, args.max_runs, args.verbose)
        if name == "diff":
            return loop.cmd_diff(root, args.kata, args.force)
        if name == "reset":
            return loop.cmd_reset(root, args.kata, args.yes)
        return loop.cmd_doctor(root)

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="katas",
        description="The learner's loop. Maintainers and instructors: `katas dev`.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    team: list[tuple[str, str]] = []  # (command, help) of the maintainers' and instructors' commands

    def add(name: str, func, help_: str) -> argparse.ArgumentParser:
        # Learners' commands are listed in `katas --help`; the others in `katas dev` (they run the same way).
        for_team = help_.startswith(("maintainers:", "instructors:")) or name in TEAM_COMMANDS
        sub = commands.add_parser(name, description=help_, **({} if for_team else {"help": help_}))
        if for_team:
            team.append((name, help_))
        sub.set_defaults(func=func)
        return sub

    add("list", _loop("list"), "progress per topic: solved, failing, untouched").add_argument(
        "topics", nargs="*", help="topics or katas (default: all)"
    )
    add("next", _loop("next"), "the first unsolved kata and its first failing test")
    check = add("check", _loop("check"), "run katas: failures grouped, the first one explained")
    check.add_argument("katas", nargs="+")
    check.add_argument("-v", "--verbose", action="store_true", help="every failure and every failing test")
    add("hint", _loop("hint"), "one more hint for a kata each time").add_argument("kata")
    watch = add("watch", _loop("watch"), "re-run a kata on every save, then move on to the next (q quits)")
    watch.add_argument(
        "kata", nargs="?", help="a kata (stays on it), or a topic to follow (default: every topic in order)"
    )
    watch.add_argument("-v", "--verbose", action="store_true", help="every failure and every failing test")
    watch.add_argument(
        "--poll", action="store_true", help="poll for changes where file events are unreliable"
    )
    watch.add_argument("--max-runs", type=int, default=None, help=argparse.SUPPRESS)
    diff = add("diff", _loop("diff"), "your files against the reference solution (once solved)")
    diff.add_argument("kata")
    diff.add_argument("--force", action="store_true", help="show it before the kata is solved")
    reset = add("reset", _loop("reset"), "restore a kata's stub from git")
    reset.add_argument("kata")
    reset.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add("doctor", _loop("doctor"), "what is installed and what to do about what is missing")
    add(
        "solutions-branch", _solutions_branch, "create/update a local branch with every solution in place"
    ).add_argument("--branch", default="solutions")

    verify = add("verify", _verify, "maintainers: stubs fail, solutions pass, near misses fail")
    verify.add_argument("paths", nargs="*", help="topics or kata folders (default: all)")
    verify.add_argument("-j", "--jobs", type=int, default=None, help="parallel pytest processes")
    mutate = add("mutate", _mutate, "maintainers: mutants of each solution must fail the kata's tests")
    mutate.add_argument("paths", nargs="*", help="topics or kata folders (default: all)")
    mutate.add_argument("-j", "--jobs", type=int, default=None, help="parallel pytest processes")
    mutate.add_argument(
        "--max-mutants", type=int, default=None, help="per kata (default: 8 to 40, from the topic's budget)"
    )
    mutate.add_argument(
        "--stale",
        action="store_true",
        help="only katas whose mutants.toml is missing or was computed for other files",
    )
    grade = add("grade", _grade, "grade the learner's files, kata by kata")
    grade.add_argument("paths", nargs="*", help="topics or kata folders (default: all)")
    grade.add_argument("--impl", default=None, help="grade another implementation folder (e.g. solutions)")
    grade.add_argument("--json", default=None, help="write GitHub Classroom's results JSON here")
    grade.add_argument("--extra-tests", default=None, help="a folder mirroring katas/ with hidden tests")
    grade.add_argument(
        "--check-integrity",
        action="store_true",
        help="also compare tests, conftest, graders and metadata with graders/manifest.json",
    )
    grade.add_argument("--require-pass", action="store_true", help="exit 1 unless every kata passes")
    grade.add_argument(
        "--template",
        default=None,
        help="the trusted template checkout to grade with (default: this repository's committed files)",
    )
    grade.add_argument(
        "--submission", default=None, help="the checkout whose learner files are graded (default: here)"
    )
    grade.add_argument("-j", "--jobs", type=int, default=1, help="katas graded at the same time")
    grade.add_argument(
        "--deadline-minutes", type=float, default=None, help="stop starting katas after this long"
    )
    grade.add_argument(
        "--classroom-outputs", default=None, help="append each kata's Classroom result to this file"
    )
    grade.add_argument("--summary", default=None, help="write a Markdown results table here")
    grade.add_argument(
        "--cold",
        action="store_true",
        help="start a fresh interpreter for every kata instead of forking from a warm grader",
    )
    grade.add_argument(
        "--remove-extra-tests",
        action="store_true",
        help="delete the hidden-tests folder once read, before any learner code runs",
    )
    bench = add("bench", _bench, "timing table of each kata's tests against the solutions")
    bench.add_argument("paths", nargs="*", help="topics or kata folders (default: all)")
    bench.add_argument("--impl", default="solutions")
    bench.add_argument("--strict", action="store_true", help="exit 1 when a topic is over its budget")
    bench.add_argument(
        "--no-alone", action="store_true", help="skip the second pass that runs each kata in its own process"
    )
    bench.add_argument(
        "--postgres", action="store_true", help="also time the PostgreSQL fixture's server start"
    )
    bench.add_argument(
        "--classroom",
        action="store_true",
        help="also time the Classroom workflow's grade step, run locally (committed files only)",
    )
    for name, func, help_ in (
        ("classroom", _classroom, "generate .github/workflows/classroom.yml"),
        ("export-template", _export_template, "write the repository as students get it"),
    ):
        sub = add(name, func, help_)
        if name == "export-template":
            sub.add_argument("out", help="an empty or new folder")
        sub.add_argument("--topics", nargs="*", default=None, help="default: every topic")
        sub.add_argument("--template-repo", default="your-org/ds-katas", help="OWNER/REPO of the template")
        sub.add_argument("--template-ref", default="main", help="the pinned ref (a commit SHA) to grade with")
        if name == "export-template":
            sub.add_argument(
                "--solutions-repo",
                default=None,
                help="OWNER/REPO (or URL) where solutions will be published (default: the template)",
            )
    diag = add("diagnoses", _diagnoses, "maintainers: record each near miss's failures as a learner hint")
    diag.add_argument("paths", nargs="*", help="topics or kata folders (default: all)")
    diag.add_argument("-j", "--jobs", type=int, default=2, help="parallel pytest processes")
    klass = add("grade-class", _grade_class, "instructors: grade every submission of a class, with a report")
    klass.add_argument(
        "source", nargs="?", help="a folder of student repositories, or a file of git URLs/paths"
    )
    klass.add_argument("--template", help="the pinned template checkout to grade with")
    klass.add_argument(
        "--katas", nargs="*", default=[], help="topics or katas (default: all in the template)"
    )
    klass.add_argument("--extra-tests", default=None, help="the hidden tests, laid out like katas/")
    klass.add_argument("--out", default="class-report", help="where the CSV, JSON and report go")
    klass.add_argument("-j", "--jobs", type=int, default=1, help="submissions graded at the same time")
    klass.add_argument("--deadline-minutes", type=float, default=50, help="per submission")
    klass.add_argument("--merge", nargs="+", default=None, help="join the outputs of several shards instead")
    klass.add_argument(
        "--shard", default="0/1", help="I/N: grade every N-th submission from the I-th (CI matrix)"
    )
    klass.add_argument(
        "--isolation",
        choices=("auto", "container", "local"),
        default="auto",
        help="container: one docker run per submission; local: a local sandbox; auto: a container where a "
        "Docker engine answers and the image is built, else local",
    )
    klass.add_argument(
        "--image", default="ds-katas", help="the learner image, built from the template's docker/"
    )
    publish = add(
        "publish-solutions",
        _publish_solutions,
        "instructors: push a solutions branch for the template's topics (after the deadline)",
    )
    publish.add_argument(
        "--to", required=True, help="OWNER/REPO, URL or path of the template (or solutions) repository"
    )
    publish.add_argument("--topics", nargs="+", required=True, help="the template's topics")
    publish.add_argument("--base", default="main", help="the template's branch the solutions build on")
    publish.add_argument("--branch", default="solutions")
    add(
        "manifest",
        _manifest,
        "maintainers: rewrite graders/manifest.json (sha256 of protected files and stubs)",
    )

    def show_team(_root: Path, _args: argparse.Namespace) -> int:
        print("Maintainers' and instructors' commands (`katas COMMAND --help` for each):")
        for name, help_ in team:
            print(
                f"  {name:18} {help_.split(': ', 1)[-1] if help_.startswith(('maintainers:', 'instructors:')) else help_}"
            )
        print("Under `katas dev` (`katas dev COMMAND --help` for each):")
        for name, sub in dev_commands.choices.items():
            print(f"  dev {name:14} {sub.description}")
        return 0

    dev = commands.add_parser(
        "dev",
        help="the maintainers' and instructors' commands",
        description="Maintainers and instructors: the commands below, and "
        + ", ".join(name for name, _ in team)
        + " (`katas dev` with no command describes them all).",
    )
    dev.set_defaults(func=show_team)
    dev_commands = dev.add_subparsers(dest="dev_command", metavar="DEV_COMMAND")

    def add_dev(name: str, description: str) -> argparse.ArgumentParser:
        return dev_commands.add_parser(name, help=description, description=description)

    lint = add_dev(
        "lint", "the katas' conventions, checked statically in seconds (each problem says its fix)"
    )
    lint.add_argument("paths", nargs="*", help="topics or kata folders (default: all)")
    lint.add_argument(
        "--fix", action="store_true", help="repair what is generated from kata.toml, then check"
    )
    lint.add_argument(
        "--source-from-readme",
        action="store_true",
        help="with --fix: where a README's source line says more than kata.toml's `source`, keep the README's",
    )
    lint.set_defaults(func=_dev_lint)
    miss = add_dev("near-miss", "near misses as patches: write a runnable copy to edit, then re-diff it")
    miss.add_argument(
        "action",
        choices=("new", "edit", "refresh", "convert"),
        help="new/edit: write the runnable copy; refresh: re-diff it (or re-base every patch of the kata); "
        "convert: folders of full copies to patches",
    )
    miss.add_argument("kata", nargs="?", help="a kata (refresh and convert: topics or katas, default all)")
    miss.add_argument("name", nargs="?", help="the near miss (lower_case_words)")
    miss.set_defaults(func=_dev_near_miss)
    scaffold = add_dev(
        "new", "a new kata: README, kata.toml, stub, tests, solution, two near-miss placeholders"
    )
    scaffold.add_argument(
        "kata", help="<topic>/<id>_<slug>, id e01–e05 or q01–q10, e.g. sql/q03_reading_plans"
    )
    scaffold.set_defaults(func=_dev_new)
    return parser


# Listed under `katas dev` rather than in the learner's `katas --help`.
TEAM_COMMANDS = {"verify", "mutate", "bench", "classroom", "export-template", "manifest", "diagnoses",
                 "grade-class", "publish-solutions", "solutions-branch"}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        args = parser.parse_args(["list", *(argv or [])])
    from graders.learner.gitops import GitError
    from graders.learner.loop import UserError

    try:
        return args.func(find_root(), args)
    except (CatalogError, UserError, LearnerFileMissing, GitError) as exc:
        print(f"katas: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
