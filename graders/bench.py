"""`python -m graders bench`: the timing table of each kata's tests against a chosen implementation.

Each kata runs in its own pytest process (imports included in the wall time, as a learner sees it); the
table gives the tests' own time too. Budgets come from each topic's `topic.toml` (`budget_median_s`,
`budget_max_s`).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from graders.catalog import Kata, topic_meta
from graders.runner import run_pytest


def bench(
    root: Path, katas: list[Kata], *, impl: str = "solutions", echo: Callable[[str], None] = print
) -> bool:
    rows: dict[str, list[tuple[Kata, float, float, str]]] = {}
    for kata in katas:
        start = time.perf_counter()
        report = run_pytest(root, [kata.dir], impl=impl)
        wall = time.perf_counter() - start
        tests = sum(r.duration for r in report.results)
        outcome = "ok" if all(r.outcome in ("passed", "skipped") for r in report.results) else "FAILING"
        rows.setdefault(kata.topic, []).append((kata, wall, tests, outcome))
    within = True
    for topic, entries in rows.items():
        meta = topic_meta(root, topic)
        echo(f"\n### {topic} (against {impl})\n")
        echo("| kata | tests (s) | wall with imports (s) | result |")
        echo("|---|---:|---:|---|")
        for kata, wall, tests, outcome in entries:
            echo(f"| {kata.name} | {tests:.2f} | {wall:.2f} | {outcome} |")
        walls = [e[1] for e in entries]
        median, worst = statistics.median(walls), max(walls)
        limit_median, limit_max = meta.get("budget_median_s"), meta.get("budget_max_s")
        ok = (limit_median is None or median <= limit_median) and (limit_max is None or worst <= limit_max)
        within &= ok
        echo(
            f"\n{topic}: median {median:.2f} s, max {worst:.2f} s, total {sum(walls):.1f} s (wall per kata); "
            f"budget median ≤ {limit_median} s, max ≤ {limit_max} s: {'within' if ok else 'OVER'}"
        )
    return within


def bench_postgres(echo: Callable[[str], None] = print, rounds: int = 3) -> float:
    """Seconds to start the PostgreSQL backend the harness would choose (worst of a few rounds), then stop it."""
    from graders.postgres_server import choose_backend, start_server

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
