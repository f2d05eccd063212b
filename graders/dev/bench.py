"""`python -m graders bench`: the timing table of each kata's tests against a chosen implementation.

Figures per kata, all wall seconds on this machine:

- **in topic run**: what the kata adds to `pytest katas/<topic>`, the command learners run. That is the time
  to collect its test module (imports first seen there included) plus its tests' set-up, call and teardown.
  The topic's one-time start-up (interpreter, pytest, topic conftest) is reported once, beside the total.
- **alone**: the kata in its own pytest process, as `pytest katas/<topic>/<kata>` or `katas check` runs it,
  imports included. Its floor is the topic's import cost, printed below the table.
- **warm re-run**: the kata forked from a parent that imported the topic's packages only, as `katas watch`
  re-runs it after a save.

With `--classroom`, a third figure per topic and one for all of them: **the Classroom path**, the grade step
of the generated workflow (`.github/workflows/classroom.yml`) run locally the way the action runs it, from a
clone of the committed template and a submission whose learner files are the implementation's. It is shown as
a ratio to the topic run (the install step, already done here, is not counted).

Budgets come from each topic's `topic.toml`: `budget_median_s` and `budget_max_s` bound the in-topic-run
figures, `budget_topic_s` the whole topic run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graders.catalog import Kata, topic_meta
from graders.runner import RunReport, run_pytest
from graders.warm import in_fresh_parent


@dataclass
class KataTiming:
    kata: Kata
    in_topic_s: float
    tests_s: float
    alone_s: float | None
    ok: bool
    warm_s: float | None = None
    warm_tests_s: float | None = None  # the warm re-run's own test time (set-up, call, teardown)


def bench(
    root: Path,
    katas: list[Kata],
    *,
    impl: str = "solutions",
    alone: bool = True,
    classroom: bool = False,
    echo: Callable[[str], None] = print,
) -> bool:
    """Print one table per topic; True when every topic is within its budgets."""
    topics: dict[str, list[Kata]] = {}
    for kata in katas:
        topics.setdefault(kata.topic, []).append(kata)
    within = True
    topic_runs = 0.0
    for topic, members in topics.items():
        ok, wall = _bench_topic(root, topic, members, impl=impl, alone=alone, classroom=classroom, echo=echo)
        within &= ok
        topic_runs += wall
    if classroom and len(topics) > 1:
        path = classroom_path(root, list(topics), [k for ks in topics.values() for k in ks], impl)
        echo(
            f"\nall {len(topics)} topics: the Classroom path took {path.wall_s:.1f} s "
            f"({path.wall_s / topic_runs:.2f} × the {topic_runs:.1f} s of the topic runs); {path.summary}"
        )
    return within


@dataclass
class ClassroomPath:
    wall_s: float
    summary: str  # the grader's last line: points, katas solved


def classroom_path(root: Path, topics: list[str], katas: list[Kata], impl: str) -> ClassroomPath:
    """The generated workflow's grade step for `topics`, run as the action runs it: `bash -e -c <run>` in the
    template's checkout beside the submission's, with GITHUB_OUTPUT and GITHUB_STEP_SUMMARY set."""
    import shutil
    import tempfile

    import yaml

    from graders.dev.classroom import generate

    with tempfile.TemporaryDirectory(prefix="katas-bench-") as tmp:
        work = Path(tmp)
        template, submission = work / "template", work / "submission"
        for target in (template, submission):
            subprocess.run(["git", "clone", "-q", str(root), str(target)], check=True)
        source = root / "solutions" if impl == "solutions" else Path(impl).resolve()
        for kata in katas:
            for name in kata.learner_files:
                if (source / kata.rel / name).is_file():
                    shutil.copy2(source / kata.rel / name, submission / "katas" / kata.rel / name)
        steps = yaml.safe_load(generate(template, topics))["jobs"]["run-autograding-tests"]["steps"]
        step = next(s for s in steps if s.get("id") == "grade")
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "GITHUB_OUTPUT": str(work / "output"),
            "GITHUB_STEP_SUMMARY": str(work / "summary.md"),
        }
        start = time.perf_counter()
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=work / step["working-directory"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - start
    last = (done.stdout.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
    return ClassroomPath(wall, last if done.returncode == 0 else f"FAILED ({last}) {done.stderr[-500:]}")


def _bench_topic(
    root: Path,
    topic: str,
    members: list[Kata],
    *,
    impl: str,
    alone: bool,
    classroom: bool,
    echo: Callable[[str], None],
) -> tuple[bool, float]:
    meta = topic_meta(root, topic)
    start = time.perf_counter()
    report = run_pytest(root, [k.dir for k in members], impl=impl)
    topic_wall = time.perf_counter() - start
    timings = [_timing(kata, report, _alone_wall(root, kata, impl) if alone else None) for kata in members]
    startup = topic_wall - sum(t.in_topic_s for t in timings)
    warm_note = ""
    # As `katas watch` re-runs a kata: forked from a parent that imported this topic's packages only.
    if alone:
        runs = [
            {"mode": t.kata.rel, "targets": [str(t.kata.dir)], "impl": impl, "fail_fast": False}
            for t in timings
        ]
        found = in_fresh_parent(root, topic, runs)
        warm_note = found["note"]
        for t in timings:
            t.warm_s = found["seconds"].get(t.kata.rel)
            t.warm_tests_s = sum(r["duration"] for r in found["results"].get(t.kata.rel, []))

    echo(f"\n### {topic} (against {impl})\n")
    echo("| kata | tests (s) | in topic run (s) | alone, imports included (s) | warm re-run (s) | result |")
    echo("|---|---:|---:|---:|---:|---|")
    for t in timings:
        shown_alone = f"{t.alone_s:.2f}" if t.alone_s is not None else "-"
        shown_warm = f"{t.warm_s:.2f}" if t.warm_s is not None else "-"
        echo(
            f"| {t.kata.name} | {t.tests_s:.2f} | {t.in_topic_s:.2f} | {shown_alone} | {shown_warm} | "
            f"{'ok' if t.ok else 'FAILING'} |"
        )

    in_topic = [t.in_topic_s for t in timings]
    median, worst = statistics.median(in_topic), max(in_topic)
    limit_median, limit_max = meta.get("budget_median_s"), meta.get("budget_max_s")
    limit_topic = meta.get("budget_topic_s")
    ok = (
        (limit_median is None or median <= limit_median)
        and (limit_max is None or worst <= limit_max)
        and (limit_topic is None or topic_wall <= limit_topic)
        and all(t.ok for t in timings)
    )
    limits = [
        f"{name} ≤ {limit} s"
        for name, limit in (("median", limit_median), ("max", limit_max), ("topic", limit_topic))
        if limit is not None
    ]
    echo(
        f"\n{topic}, `pytest katas/{topic}`: {topic_wall:.1f} s in all, {startup:.1f} s of it start-up; "
        f"per kata median {median:.2f} s, max {worst:.2f} s. Budget: {', '.join(limits) or 'none'}: "
        f"{'within' if ok else 'OVER'}"
    )
    floor = 0.0
    if alone:
        walls = [t.alone_s for t in timings if t.alone_s is not None]
        floor = _import_floor(meta.get("imports", []))
        echo(
            f"{topic}, each kata alone: median {statistics.median(walls):.2f} s, max {max(walls):.2f} s; "
            f"a fresh interpreter spends {floor:.2f} s importing {', '.join(meta.get('imports', [])) or '-'}"
        )
        warmed = [t for t in timings if t.warm_s is not None]
        quick = sum(t.warm_s <= 1.5 * t.tests_s + 0.5 for t in warmed)
        own = sum(t.warm_s <= 1.5 * (t.warm_tests_s or 0.0) + 0.5 for t in warmed)
        slow = ", ".join(
            f"{t.kata.name} {t.warm_s:.2f} s (its tests {t.tests_s:.2f} s in the topic run, "
            f"{t.warm_tests_s or 0.0:.2f} s in the re-run)"
            for t in warmed
            if t.warm_s > 1.5 * t.tests_s + 0.5
        )
        echo(
            f"{topic}, warm re-runs (katas watch): {quick} of {len(warmed)} within 1.5 × tests + 0.5 s "
            f"(tests timed in the topic run), {own} of {len(warmed)} within 1.5 × the re-run's own test time "
            "+ 0.5 s (first-use work inside a test, which an earlier kata paid in the topic run, counted as the "
            "tests')" + (f"; over: {slow}" if slow else "") + (f"; {warm_note}" if warm_note else "")
        )
    path = classroom_path(root, [topic], members, impl) if classroom else None
    if path is not None:
        echo(
            f"{topic}, the Classroom path: {path.wall_s:.1f} s ({path.wall_s / topic_wall:.2f} × the topic run); "
            f"{path.summary}"
        )
    if alone or path is not None:
        echo(_ratios(topic, timings, floor if alone else None, path.wall_s if path else None))
    return ok, topic_wall


def _ratios(topic: str, timings: list[KataTiming], floor: float | None, classroom_s: float | None) -> str:
    """Each way of running the topic's katas against the tests' own time, and what it adds per kata against
    the import floor of a fresh interpreter."""
    tests = max(sum(t.tests_s for t in timings), 1e-6)
    count = len(timings)
    parts, beyond = [], []
    for name, total in (
        ("each alone, cold", sum(t.alone_s or 0.0 for t in timings) if floor is not None else None),
        ("warm re-runs", sum(t.warm_s or 0.0 for t in timings) if floor is not None else None),
        ("the Classroom path", classroom_s),
    ):
        if total is None:
            continue
        parts.append(f"{name} {total / tests:.1f} ×")
        extra = (total - tests) / count
        beyond.append(
            f"{name} {extra:.2f} s" + (f" ({extra / floor:.1f} × the import floor)" if floor else "")
        )
    return (
        f"{topic}, against the tests' own {tests:.1f} s: {', '.join(parts)}; beyond the tests, per kata: "
        + ", ".join(beyond)
    )


def _timing(kata: Kata, report: RunReport, alone_s: float | None) -> KataTiming:
    key = f"{kata.topic}/{kata.name}"
    results = report.by_kata().get(key, [])
    tests = sum(r.duration for r in results)
    ok = bool(results) and all(r.outcome in ("passed", "skipped") for r in results)
    return KataTiming(kata, report.collect_s.get(key, 0.0) + tests, tests, alone_s, ok)


def _alone_wall(root: Path, kata: Kata, impl: str) -> float:
    start = time.perf_counter()
    run_pytest(root, [kata.dir], impl=impl)
    return time.perf_counter() - start


def _import_floor(modules: list[str]) -> float:
    """Wall seconds a fresh interpreter spends importing a topic's packages (interpreter start excluded)."""
    code = (
        "import importlib, time\n"
        "start = time.perf_counter()\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(time.perf_counter() - start)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    try:
        return float(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return float("nan")


def bench_postgres(echo: Callable[[str], None] = print, rounds: int = 3) -> float:
    """Seconds to start the PostgreSQL backend the harness would choose (worst of a few rounds), then stop it."""
    from graders.kit.postgres_server import choose_backend, start_server

    backend = choose_backend()
    worst = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        server = start_server(backend)
        up = time.perf_counter() - start
        start = time.perf_counter()
        server.stop()
        down = time.perf_counter() - start
        worst = max(worst, up)
        echo(f"postgres ({backend}): up in {up:.2f} s, stopped in {down:.2f} s")
    return worst
