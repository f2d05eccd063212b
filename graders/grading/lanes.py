"""Grading lanes: `graders grade --jobs N` forks single-threaded graders, one per topic, N at a time.

A kata graded in a fresh interpreter pays Python's start and its topic's imports (TensorFlow's alone is 5 s on
2 cores) before its first test; a lane pays them once for the whole topic. Each lane imports its topic's
packages (graders.warm) and forks every kata's run from that state, one kata after the other, exactly as a
single-threaded `graders grade` does; N lanes keep N cores busy. A topic is split into several lanes when
there are fewer topics than jobs.

Isolation is what it was: each kata still runs in its own process, session and staged tree. Lanes are forked
from the grader after every trusted file, hidden test and finding was read, before any learner code ran, and
from its only thread (a fork from a threaded parent can inherit a lock another thread held). A lane reports one
JSON line per graded kata over a pipe that no kata run inherits (`Warm` closes it in each child) and that no
other process of the same user can open (a lane is not dumpable, so `/proc/<lane>/fd` is closed to them). A lane
that dies before reporting a kata leaves that kata an error that says so.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from graders import sandbox

T = TypeVar("T")
Send = Callable[[dict], None]
# What a lane runs: its share of the work, the function that reports one result, and the descriptor of the
# pipe's writing end, which the lane must keep out of every process it starts.
Work = Callable[[list[T], Send, int], None]


def usable(jobs: int) -> bool:
    return jobs > 1 and hasattr(os, "fork")


def plan(groups: list[list[T]], jobs: int) -> list[list[T]]:
    """Lanes from groups (a topic's katas each), heaviest first; with fewer groups than jobs, groups are split
    round-robin so every job has a lane (each split lane imports its topic once more)."""
    per_group = max(1, -(-jobs // max(1, len(groups))))
    lanes = []
    for group in groups:
        parts = min(per_group, len(group))
        lanes += [group[i::parts] for i in range(parts)]
    return lanes


@dataclass
class _Lane:
    part: list
    pid: int
    fd: int
    buffer: bytes = b""  # what the lane sent after its last complete line


def run(
    lanes: list[list[T]],
    jobs: int,
    work: Work,
    on_message: Callable[[dict], None],
    on_end: Callable[[list[T], str], None],
) -> None:
    """Run `work` on each lane in a forked child, at most `jobs` at a time; `on_message` gets each JSON line a
    lane sends, in this process, as it arrives; `on_end(part, why)` each lane once it is over (why is "" when it
    exited 0, else how it ended). A SIGTERM to this process (sandbox.stopping) is passed on to every lane."""
    waiting = list(lanes)
    running: dict[int, _Lane] = {}
    forwarded = False
    with selectors.DefaultSelector() as selector:
        while waiting or running:
            while waiting and len(running) < jobs and not sandbox.stopping():
                lane = _start(waiting.pop(0), work)
                running[lane.fd] = lane
                selector.register(lane.fd, selectors.EVENT_READ)
            if sandbox.stopping() and not forwarded:
                forwarded = True
                for lane in running.values():
                    _signal(lane.pid, signal.SIGTERM)
                for part in waiting:
                    on_end(part, "not started: the grader was stopped")
                waiting.clear()
            for key, _ in selector.select(timeout=0.2):
                lane = running[key.fd]
                chunk = os.read(key.fd, 1 << 16)
                lane.buffer += chunk
                *lines, lane.buffer = lane.buffer.split(b"\n")
                for line in lines:
                    on_message(json.loads(line))
                if not chunk:
                    selector.unregister(key.fd)
                    os.close(key.fd)
                    del running[key.fd]
                    on_end(lane.part, _wait(lane.pid))


def _start(part: list[T], work: Work) -> _Lane:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return _Lane(part, pid, read_end)
    code = 1
    try:  # the lane: never returns into the grader's code (no atexit, no temporary folder of the parent's)
        os.close(read_end)
        sandbox.protect_process()
        sandbox.become_subreaper()
        with os.fdopen(write_end, "w", encoding="utf-8", closefd=False) as out:

            def send(message: dict) -> None:
                out.write(json.dumps(message) + "\n")
                out.flush()

            work(part, send, write_end)
        code = 0
    except BaseException:  # noqa: BLE001 - whatever happens, the lane ends here and the grader says so
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def _wait(pid: int) -> str:
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        return ""
    return f"killed by signal {-code}" if code < 0 else f"exit code {code}"


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)
