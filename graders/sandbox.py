"""Bounds on a graded test process: memory, core dumps, and no process outliving its kata.

Each pytest process runs in its own session; when it ends, whatever is left of that session is killed. A
learner's daemon that leaves the session (`setsid`, a double fork) is re-parented to the grader, which makes
itself a *child subreaper* (Linux) for that purpose, and is killed too. A SIGTERM to the grader (a step
timeout, a cancelled job) kills every running test process group before the grader writes what it has.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

# Address-space cap per test process. TensorFlow and torch reserve much more virtual memory than they use;
# 8 GiB leaves them room while stopping a learner's runaway allocation before it takes the machine down.
MEMORY_LIMIT_MB = int(os.environ.get("KATAS_MEMORY_LIMIT_MB", "8192"))
_PR_SET_CHILD_SUBREAPER = 36
_PR_SET_DUMPABLE = 4

_lock = threading.Lock()
_running: dict[int, subprocess.Popen] = {}
_stopping = threading.Event()


def limits(memory_mb: int | None = None) -> Callable[[], None]:
    """A `preexec_fn` that caps the child's address space and disables core dumps."""
    cap = (memory_mb or MEMORY_LIMIT_MB) * 1024 * 1024

    def apply() -> None:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux only), so a learner's escaped daemon can still be found and killed."""
    return _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def protect_process() -> bool:
    """Make this process not dumpable (Linux only): other processes of the same user, a learner's code among
    them, can then neither open its /proc/<pid>/fd and /proc/<pid>/mem nor attach to it. Its forked children
    inherit it; a child that execs a program gets the usual setting back."""
    return _prctl(_PR_SET_DUMPABLE, 0)


def _prctl(option: int, value: int) -> bool:
    """Linux's prctl(option, value); False where there is none or it fails."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def spawn(command: list[str], **popen_args) -> subprocess.Popen:
    """Start a test process in its own session, known to the grader before any orphan sweep can see it."""
    with _lock:
        process = subprocess.Popen(command, start_new_session=True, **popen_args)
        _running[process.pid] = process
    if _stopping.is_set():
        kill_group(process)
    return process


def unregister(process: subprocess.Popen) -> None:
    with _lock:
        _running.pop(process.pid, None)


def stopping() -> bool:
    return _stopping.is_set()


def kill_group(process: subprocess.Popen) -> None:
    """Kill the process's whole session (it was started with start_new_session=True)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def stop_all() -> None:
    """Kill every running test process group (grader shutting down)."""
    _stopping.set()
    with _lock:
        running = list(_running.values())
    for process in running:
        kill_group(process)


def _children(pid: int) -> list[int]:
    try:
        text = open(f"/proc/{pid}/task/{pid}/children").read()  # noqa: SIM115
    except OSError:
        return []
    return [int(x) for x in text.split()]


def reap_orphans() -> list[int]:
    """Kill every child of this process that is not a running test process (adopted orphans), repeatedly."""
    killed: list[int] = []
    for _ in range(20):
        with (
            _lock
        ):  # spawn() holds the lock from fork to registration: no test process is mistaken for a stray
            strays = [pid for pid in _children(os.getpid()) if pid not in _running and _is_adopted(pid)]
        if not strays:
            break
        for pid in strays:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        deadline = time.monotonic() + 1.0
        for pid in strays:
            while time.monotonic() < deadline:
                try:
                    done, _ = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    break
                if done:
                    break
                time.sleep(0.01)
    return killed


def _is_adopted(pid: int) -> bool:
    """Children this grader did not start itself (only orphans re-parented to a subreaper)."""
    try:
        stat = open(f"/proc/{pid}/stat").read()  # noqa: SIM115
    except OSError:
        return False
    # Field 4 is the parent; field 6 the session: our own helpers (git, docker probes) share our session.
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[1]) == os.getpid() and int(fields[3]) != os.getsid(0)


@contextlib.contextmanager
def graceful_termination():
    """On SIGTERM/SIGINT: kill the test processes, let the grader write its results, then exit 143/130."""
    received: list[int] = []

    def handler(signum, _frame):
        received.append(signum)
        stop_all()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield received
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
