"""Run kata tests in a pytest subprocess that may hang or die, and still get every result.

The plugin writes a JSON line when each test starts and when it ends. If the process exits mid-test
(a learner's `os._exit`, a segfault) or stops answering past the test's timeout (a hang pytest-timeout
could not interrupt), the test in flight is recorded as error/timeout, its kata's unrun tests too, and
pytest starts again on the katas not yet reached.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from graders import sandbox
from graders.warm import HASH_SEED

if TYPE_CHECKING:
    from graders.warm import Warm

# Beyond a test's own timeout, how long before the whole process is killed (pytest-timeout acts first).
GRACE_S = float(os.environ.get("KATAS_HANG_GRACE_S", "20"))
POLL_S = 0.1


@dataclass
class TestResult:
    nodeid: str
    kata: str | None
    outcome: str  # passed | failed | error | timeout | skipped
    message: str = ""
    details: str = ""
    duration: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class RunReport:
    results: list[TestResult]
    crashes: list[str]  # one line per restart, for the log
    collect_s: dict[str, float] = field(default_factory=dict)  # kata -> seconds collecting (importing) it

    def by_kata(self) -> dict[str, list[TestResult]]:
        grouped: dict[str, list[TestResult]] = {}
        for result in self.results:
            grouped.setdefault(result.kata or "", []).append(result)
        return grouped


def run_pytest(
    root: Path,
    targets: list[Path],
    *,
    impl: str | None = None,
    extra_args: list[str] | None = None,
    fail_fast: bool = False,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    hardened: bool = False,
    budget_s: float | None = None,
    warm: Warm | None = None,
) -> RunReport:
    """Run pytest on `targets` (kata folders) from `root`; survive crashes and hangs kata by kata.

    `hardened` (graded runs): Python in isolated mode, pytest's configuration pinned to `root`'s own
    pyproject.toml and conftest files, the environment cleaned of anything that changes how Python or pytest
    start, and the memory cap of graders.sandbox. `budget_s`: the whole run's wall-clock limit; past it the
    process is killed and the tests not yet finished are recorded as timeouts. `warm` (the learner's loop):
    fork each pytest run from this already-warm process instead of starting a new interpreter (graders.warm).
    """
    deadline = time.monotonic() + budget_s if budget_s else None
    remaining = [Path(t) for t in targets]
    results: list[TestResult] = []
    crashes: list[str] = []
    collect_s: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="katas-run-") as tmp:
        attempt = 0
        while remaining:
            attempt += 1
            results_file = Path(tmp) / f"results-{attempt}.jsonl"
            # Third-party plugins auto-loaded from the environment (hypothesis, benchmark, anyio...) cost
            # ~0.7 s per start and no kata uses them: load pytest-timeout alone (ours comes from conftest.py).
            command = [
                sys.executable,
                *(["-I"] if hardened else []),
                "-m",
                "pytest",
                "-p",
                "pytest_timeout",
                *map(str, remaining),
                f"--katas-results={results_file}",
                "-q",
                "--no-header",
                "--tb=short",
                "--show-capture=no",
                "-p",
                "no:cacheprovider",
                f"--rootdir={root}",
            ]
            if hardened:
                command += [f"-c={root / 'pyproject.toml'}", f"--confcutdir={root}"]
            if impl:
                command.append(f"--impl={impl}")
            if fail_fast:
                command.append("--katas-fail-fast")
            command += extra_args or []
            outcome = _run_once(command, root, results_file, _environment(env, hardened), log, deadline, warm)
            results.extend(outcome.results)
            for kata, seconds in outcome.collect_s.items():
                collect_s[kata] = collect_s.get(kata, 0.0) + seconds
            if outcome.stopped is not None:
                done = {r.kata for r in results}
                results += [
                    TestResult(f"katas/{_kata_rel(t)}", _kata_rel(t), "timeout", outcome.stopped)
                    for t in remaining
                    if _kata_rel(t) not in done
                ]
                break
            if outcome.crashed is None:
                if outcome.returncode not in (0, 1, 5) and not outcome.results:
                    raise RuntimeError(f"pytest failed to start (exit {outcome.returncode}):\n{outcome.tail}")
                break
            crashes.append(outcome.crashed)
            done = {r.kata for r in results}
            remaining = [t for t in remaining if _kata_rel(t) not in done]
    return RunReport(results, crashes, collect_s)


# Variables that change how pytest starts; every PYTHON* one (PYTHONPATH, PYTHONSTARTUP...) goes too, save the
# hash seed. Never passed to a graded run.
_UNSAFE_ENV = ("PYTEST_ADDOPTS", "PYTEST_PLUGINS")


def _environment(extra: dict[str, str] | None, hardened: bool) -> dict[str, str]:
    base = dict(os.environ)
    if hardened:
        for name in list(base):
            if name in _UNSAFE_ENV or (name.startswith("PYTHON") and name != "PYTHONHASHSEED"):
                del base[name]
    # Every run hashes strings alike (graders.warm.HASH_SEED), so a message that prints a set reads the same in
    # each run and known mistakes are recognised (graders.diagnose); `python -I` runs ignore it.
    return {**base, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", **HASH_SEED, **(extra or {})}


def _kata_rel(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@dataclass
class _Once:
    results: list[TestResult]
    crashed: str | None
    returncode: int
    tail: str
    collect_s: dict[str, float]
    stopped: str | None = None  # why the run was cut short (time budget, grader stopped)


def _run_once(
    command: list[str],
    root: Path,
    results_file: Path,
    env: dict[str, str],
    log: Path | None,
    deadline: float | None,
    warm: Warm | None = None,
) -> _Once:
    log_path = log or results_file.with_suffix(".log")
    with open(log_path, "ab") as log_handle:
        if warm is not None and warm.usable:
            process = warm.spawn(command, cwd=root, env=env, log=log_path, preexec=sandbox.limits())
        else:
            process = sandbox.spawn(
                command,
                cwd=root,
                stdout=log_handle,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                preexec_fn=sandbox.limits(),
            )
        started: dict | None = None
        records: list[dict] = []
        collect_s: dict[str, float] = {}
        collected: dict[str, str | None] = {}
        offset = 0
        killed_for_hang = False
        out_of_budget = False
        while True:
            returncode = process.poll()
            new, offset = _read_new(results_file, offset)
            for record in new:
                if record["event"] == "collected":
                    collected = dict(zip(record["nodeids"], record["katas"], strict=True))
                elif record["event"] == "collect-time":
                    kata = record["kata"] or ""
                    collect_s[kata] = collect_s.get(kata, 0.0) + record["duration"]
                elif record["event"] == "start":
                    started = record
                else:
                    records.append(record)
                    if started and record["nodeid"] == started["nodeid"]:
                        started = None
            if returncode is not None:
                break
            if (
                started
                and started["timeout"]
                and time.time() - started["time"] > started["timeout"] + GRACE_S
            ):
                _kill(process)
                killed_for_hang = True
            elif deadline is not None and time.monotonic() > deadline:
                _kill(process)
                out_of_budget = True
            elif sandbox.stopping():
                _kill(process)
            time.sleep(POLL_S)
        sandbox.kill_group(process)  # whatever the learner's code left running in the test's session
        sandbox.unregister(process)
    results = [TestResult(**{k: v for k, v in r.items() if k != "event"}) for r in records]
    crashed = None
    if out_of_budget or sandbox.stopping():
        # Out of time: the test in flight and every test not yet run are timeouts; no restart.
        why = (
            "the grader was stopped (step timeout or cancelled job) before this test finished"
            if sandbox.stopping()
            else "not finished: the kata used up its time budget (a test hung or the tests are far too slow)"
        )
        reported = {r.nodeid for r in results}
        pending = [started["nodeid"]] if started and started["nodeid"] not in reported else []
        pending += [n for n in collected if n not in reported and n not in pending]
        results += [
            TestResult(n, collected.get(n, started and started["kata"]), "timeout", why) for n in pending
        ]
        tail = log_path.read_text(errors="replace")[-3000:] if log_path.exists() else ""
        return _Once(results, None, returncode, tail, collect_s, stopped=why)
    if started is not None:
        if killed_for_hang:
            outcome, why = (
                "timeout",
                (
                    f"the test hung past its {started['timeout']:.0f} s limit and could not "
                    "be interrupted; the test process was killed"
                ),
            )
        else:
            outcome, why = (
                "error",
                (
                    f"the test process died during this test (exit code {returncode}): "
                    "did the code call os._exit() or crash the interpreter?"
                ),
            )
        results.append(TestResult(started["nodeid"], started["kata"], outcome, why))
        reported = {r.nodeid for r in results}
        results += [
            TestResult(nodeid, kata, "error", f"not run: the test process died in {started['nodeid']}")
            for nodeid, kata in collected.items()
            if kata == started["kata"] and nodeid not in reported
        ]
        crashed = f"{started['nodeid']}: {why}"
    tail = log_path.read_text(errors="replace")[-3000:] if log_path.exists() else ""
    return _Once(results, crashed, returncode, tail, collect_s)


def _read_new(path: Path, offset: int) -> tuple[list[dict], int]:
    if not path.exists():
        return [], offset
    with open(path, encoding="utf-8") as handle:
        handle.seek(offset)
        chunk = handle.read()
    complete, _, _ = chunk.rpartition("\n")
    if not complete:
        return [], offset
    records = [json.loads(line) for line in complete.splitlines() if line.strip()]
    return records, offset + len(complete.encode("utf-8")) + 1


def _kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
