"""Warm runs: the topic's heavy imports once, each pytest run in a fresh child forked from that state.

`katas watch` pays TensorFlow's or torch's import (5–15 s on 2 cores) once, not on every save: it imports the
topic's packages (`imports` in topic.toml) into itself, then runs each re-run's pytest in a child forked from
that warm state. The child starts from a process that never imported pytest's plugins, a test module or a
learner file, so it sees the saved file, fresh module state and fresh random seeds; it gets its own session,
its output goes to a log, and the runner watches and bounds it exactly as it does a cold `python -m pytest`.
Where `fork` does not exist (Windows) or an import fails, runs stay cold and `note` says why in one line.

`graders grade` forks each kata's graded run the same way: the grader imports only trusted packages (never a
test module or a learner file), and each kata still runs in its own process, session and staged tree, so one
kata's code cannot reach another's; what is saved is one interpreter start and one import per kata.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import random
import sys
import time
from pathlib import Path

from graders.catalog import topic_meta

# Every run the graders start hashes strings alike: the order of a set of strings, and so a failure message that
# prints one, is then the same in a cold run, in one forked from a warm parent, and in the run diagnoses.toml
# was recorded from. Cold runs get it in their environment; a warm parent must have been started with it
# (`pin_hash_seed`), since a forked child keeps its parent's.
HASH_SEED = {"PYTHONHASHSEED": "0"}
# Packages that read their configuration when imported (Airflow reads AIRFLOW_HOME, kaggle looks for
# credentials and prints about them): the test run's fixtures must set it first, so they are never imported ahead.
NOT_PRELOADED = frozenset({"airflow", "kaggle"})
# Imported with a topic's packages: what their first use imports anyway, paid once here instead of in every run.
# torch._dynamo (with sympy, about 1 s) comes with the first optimizer.step(); Hypothesis (0.7 s) with the first
# test that draws examples. Imports only: nothing here starts a thread, which would not survive the fork.
_COMPANIONS = {
    "tensorflow": ("keras",),
    "torch": ("torch.nn", "torch.optim", "torch._dynamo"),
    "sklearn": ("sklearn.base",),
}
_FOR_EVERY_TOPIC = ("hypothesis",)


def hash_seed_pinned() -> bool:
    """Whether this interpreter started with HASH_SEED (PYTHONHASHSEED=0 turns hash randomisation off)."""
    return sys.flags.hash_randomization == 0


def pin_hash_seed() -> None:
    """Start this same command again with HASH_SEED, unless it already runs with it (`katas watch`, whose
    process is the warm parent). Where the interpreter cannot be replaced, runs go on as they are."""
    # Once only: with -I or -R the variable does not take, and the command must not start itself for ever.
    if hash_seed_pinned() or os.environ.get("PYTHONHASHSEED") == HASH_SEED["PYTHONHASHSEED"]:
        return
    if not hasattr(os, "execve") or not sys.orig_argv:
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    with contextlib.suppress(OSError):
        os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], {**os.environ, **HASH_SEED})


class ForkedProcess:
    """The part of `subprocess.Popen` the runner uses, for a child forked from this process."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            with contextlib.suppress(ChildProcessError):
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                break
            time.sleep(0.02)
        return self.returncode


class Warm:
    """This process, with the packages of some topics imported, as the parent of forked pytest runs."""

    def __init__(self, root: Path, private_fds: tuple[int, ...] = ()):
        self.root = root
        self.topics: set[str] = set()
        # This process's own descriptors (a grading lane's pipe), closed in every child: see graders.grading.lanes.
        self.private_fds = private_fds
        self.note = "" if hasattr(os, "fork") else "cold runs: this platform cannot fork"

    @property
    def usable(self) -> bool:
        return not self.note

    def preload(self, topic: str) -> None:
        """Import the topic's packages once (never a test module or a learner file)."""
        if topic in self.topics or not self.usable:
            return
        names = [n for n in topic_meta(self.root, topic).get("imports", []) if n not in NOT_PRELOADED]
        # TensorFlow's C++ start-up chatter would land in the learner's screen or the grader's log.
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        for name in [*names, *(c for n in names for c in _COMPANIONS.get(n, ()))]:
            try:
                importlib.import_module(name)
            except Exception as exc:  # noqa: BLE001 - any failure means: stay cold, say why
                self.note = f"cold runs: importing {name} failed ({type(exc).__name__})"
                return
        importlib.import_module("pytest")
        for name in _FOR_EVERY_TOPIC:
            with contextlib.suppress(ImportError):  # a time saver only: runs are warm without it
                importlib.import_module(name)
        self.topics.add(topic)

    def spawn(
        self, command: list[str], *, cwd: Path, env: dict[str, str], log: Path, preexec=None
    ) -> ForkedProcess:
        """Fork a child that runs `python -m pytest ARGS` (the args of `command`) in-process.

        `preexec` runs in the child first, as `subprocess.Popen`'s `preexec_fn` would (resource limits)."""
        args = command[command.index("pytest") + 1 :]
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        # The imported packages' objects out of the collector's reach: a child's collections would otherwise walk
        # (and copy, page by page) the whole warm heap; measured on torch, a re-run went from ~6 s to ~3 s.
        gc.freeze()
        pid = os.fork()
        if pid:
            return ForkedProcess(pid)
        code = 3
        try:  # the child: never returns into the parent's code
            os.setsid()
            for fd in self.private_fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            if preexec is not None:
                preexec()
            out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(out, 1)
            os.dup2(out, 2)
            sys.stdin = open(0, closefd=False)  # noqa: SIM115
            sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(env)
            _reseed()
            import pytest

            code = int(pytest.main(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # noqa: BLE001
            import traceback

            traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)


def _reseed() -> None:
    """Fresh seeds, as a new interpreter would have: every forked child would otherwise share the parent's."""
    random.seed()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed(int.from_bytes(os.urandom(4), "little"))
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.seed()


def run_batch(root: Path, topic: str, runs: list[dict]) -> dict:
    """Pytest runs one after the other, each forked from one parent that imported `topic`'s packages.

    `runs`: `{"mode", "targets", "impl", "fail_fast"}` each. Returns `{"note": "" or why the runs were cold
    after all, "results": {mode: [result, ...]}, "seconds": {mode: wall seconds}}`; a result is a
    graders.runner.TestResult as a dict, without its traceback."""
    from graders.runner import run_pytest

    warm = Warm(root)
    warm.preload(topic)
    results: dict[str, list[dict]] = {}
    seconds: dict[str, float] = {}
    for run in runs:
        started = time.perf_counter()
        report = run_pytest(
            root, [Path(t) for t in run["targets"]], impl=run["impl"], fail_fast=run["fail_fast"], warm=warm
        )
        seconds[run["mode"]] = time.perf_counter() - started
        results[run["mode"]] = [{**r.to_dict(), "details": ""} for r in report.results]
    return {"note": f" ({warm.note})" if warm.note else "", "results": results, "seconds": seconds}


def in_fresh_parent(root: Path, topic: str, runs: list[dict]) -> dict:
    """`run_batch()` in a process of its own (verify's warm runs, bench's warm column): single-threaded, since
    a fork from a threaded parent can inherit a lock another thread held, and holding one topic's imports only,
    as `katas watch` does (a parent holding several topics' makes every forked run slower)."""
    import json
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "graders.warm", str(root), topic],
        input=json.dumps(runs),
        cwd=root,
        env={**os.environ, **HASH_SEED},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the warm runs of {topic} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":  # python -m graders.warm ROOT TOPIC < RUNS.json: see in_fresh_parent
    import json

    print(json.dumps(run_batch(Path(sys.argv[1]), sys.argv[2], json.loads(sys.stdin.read()))))
