"""The pytest plugin every kata runs under (registered by the root conftest.py).

- `--impl` / `KATAS_IMPL`: the implementation switch (see graders.impl) and the `kata` fixture.
- A topic whose packages are missing is skipped with one line naming the extra to install.
- Per-kata timeouts from `kata.toml`; the default comes from pytest-timeout's ini setting.
- Sockets beyond loopback are refused: katas run offline.
- `--katas-results FILE`: one JSON line per test (and per start, and per test module's collection time),
  read by graders.runner even if the process dies mid-test.
- `--katas-fail-fast`: after a kata's first failure, skip its remaining tests (verify's near-miss rounds).
- Graded runs (`graders grade`): `--katas-test-timeout S` caps every test at S seconds (the first, fast pass),
  `--katas-stop-after-timeout` fails a kata's remaining tests at once after its first timeout, and the
  grader's canary tests (graders.grading.canaries) are planted in each kata's first test module.
"""

from __future__ import annotations

import importlib.util
import json
import os
import time
from pathlib import Path

import pytest

from graders.catalog import kata_of_path, load_meta, topic_meta
from graders.grading import canaries as canary_tests
from graders.impl import KataFiles, resolve_impl_root
from graders.kit import offline

MESSAGE_LIMIT = 2000


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("katas")
    group.addoption(
        "--impl",
        default=None,
        help="whose files the kata tests exercise: 'katas' (default, the learner's), 'solutions', "
        "or a folder laid out like solutions/ (env KATAS_IMPL does the same)",
    )
    group.addoption("--katas-results", default=None, help="write one JSON line per test to this file")
    group.addoption(
        "--katas-fail-fast", action="store_true", help="stop testing a kata after its first failure"
    )
    group.addoption("--allow-network", action="store_true", help="do not block non-loopback sockets")
    group.addoption(
        "--katas-test-timeout",
        type=float,
        default=None,
        help="graded runs: cap every test at this many seconds",
    )
    group.addoption(
        "--katas-stop-after-timeout",
        action="store_true",
        help="graded runs: after a kata's first timeout, fail its remaining tests at once",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("allow_network"):
        offline.install()
    # A misspelt switch (`--impl solution`) would otherwise test the learner's files without a word.
    impl_root = resolve_impl_root(config.rootpath, config.getoption("impl"))
    if not impl_root.is_dir():
        raise pytest.UsageError(
            f"--impl/KATAS_IMPL names {impl_root}, which is not a folder: "
            "use 'katas', 'solutions' or a folder laid out like solutions/"
        )
    # Tests that spawn Python subprocesses (kata files run as scripts) see the same switch.
    if config.getoption("impl"):
        os.environ["KATAS_IMPL"] = str(impl_root)
    state = _State(config)
    config.stash[_state_key] = state
    # A plugin object, not module globals: the recorder is reached only through pytest's own registry.
    config.pluginmanager.register(_Recorder(state), "katas-recorder")


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_state_key, None)
    if state is not None:
        state.close()


def pytest_report_header(config: pytest.Config) -> list[str]:
    impl_root = resolve_impl_root(config.rootpath, config.getoption("impl"))
    try:
        shown = impl_root.relative_to(config.rootpath)
    except ValueError:
        shown = impl_root
    return [f"katas: testing the files in {shown}/ (choose with --impl=katas|solutions|DIR)"]


# --- the `kata` fixture --------------------------------------------------------------------------------------


@pytest.fixture
def kata(request: pytest.FixtureRequest) -> KataFiles:
    """The current kata's learner files, honouring the implementation switch."""
    return kata_files(request.config, Path(request.path))


@pytest.fixture(scope="module")
def kata_shared(request: pytest.FixtureRequest) -> KataFiles:
    """The `kata` fixture at module scope, for expensive set-up shared by the tests of one file."""
    return kata_files(request.config, Path(request.path))


def kata_files(config: pytest.Config, test_path: Path) -> KataFiles:
    located = kata_of_path(test_path)
    if located is None:
        raise RuntimeError(f"{test_path} is not inside a <topic>/<kata>/ folder")
    impl_root = resolve_impl_root(config.rootpath, config.getoption("impl"))
    return KataFiles(config.rootpath, impl_root, *located)


# --- topics whose packages are missing -----------------------------------------------------------------------


class MissingPackages(pytest.File):
    """Stands in for a test module whose topic cannot be imported: one skipped item, one clear line."""

    reason: str = ""

    def collect(self):
        yield _SkipItem.from_parent(self, name="topic-packages-missing", reason=self.reason)


class _SkipItem(pytest.Item):
    def __init__(self, *, reason: str, **kwargs):
        super().__init__(**kwargs)
        self.reason = reason

    def runtest(self) -> None:
        pytest.skip(self.reason)

    def reportinfo(self):
        return self.path, None, self.name


def missing_packages_reason(root: Path, topic: str) -> str | None:
    meta = topic_meta(root, topic)
    missing = [name for name in meta.get("imports", []) if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return f"topic {topic} needs {', '.join(missing)}, not installed: python -m graders.setup_env {topic}"


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector):
    located = kata_of_path(Path(module_path))
    if located is None:
        return None
    reason = missing_packages_reason(parent.config.rootpath, located[0])
    if reason is None:
        return None
    node = MissingPackages.from_parent(parent, path=Path(module_path))
    node.reason = reason
    return node


# --- per-kata timeouts and fail-fast ------------------------------------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    metas: dict[Path, dict] = {}
    for item in items:
        folder = Path(item.path).parent
        if folder not in metas:
            metas[folder] = load_meta(folder) if (folder / "kata.toml").is_file() else {}
        timeout = metas[folder].get("timeout")
        if timeout and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(timeout))
    cap = config.getoption("katas_test_timeout")
    if cap:
        for item in items:
            marker = item.get_closest_marker("timeout")
            current = marker.args[0] if marker and marker.args else config.getini("timeout")
            if not current or float(current) > cap:
                item.add_marker(pytest.mark.timeout(cap), append=False)
    planted = canary_tests.from_env()
    if planted:
        _plant_canaries(items, planted)


def _plant_canaries(items: list[pytest.Item], planted: list[canary_tests.Canary]) -> None:
    """Insert the grader's canaries among the tests of each kata's first test module."""
    modules: dict[str, pytest.Module] = {}
    for item in items:
        module = item.getparent(pytest.Module)
        key = _kata_key(item)
        if module is not None and key and key not in modules and item.nodeid.startswith("katas/"):
            modules[key] = module
    for key, module in modules.items():
        for canary in planted:
            namespace = module.obj.__dict__
            exec(compile(canary_tests.source(canary), str(module.path), "exec"), namespace)  # noqa: S102
            function = pytest.Function.from_parent(module, name=canary.name, callobj=namespace[canary.name])
            block = [i for i, item in enumerate(items) if _kata_key(item) == key]
            if not block:
                continue
            offset = min(int(canary.position * (len(block) + 1)), len(block))
            items.insert(block[offset] if offset < len(block) else block[-1] + 1, function)


def pytest_runtest_setup(item: pytest.Item) -> None:
    state = item.config.stash[_state_key]
    key = _kata_key(item)
    if state.fail_fast and key in state.failed_katas:
        pytest.skip("this kata already failed a test (--katas-fail-fast)")
    if key in state.timed_out:
        pytest.fail(
            f"not run: {state.timed_out[key]} timed out first, and a kata's remaining tests are not run after "
            "a timeout (fix the hang, then run the kata again)",
            pytrace=False,
        )


# --- results recorder ----------------------------------------------------------------------------------------


class _State:
    def __init__(self, config: pytest.Config):
        path = config.getoption("katas_results")
        self.out = open(path, "a", buffering=1, encoding="utf-8") if path else None  # noqa: SIM115
        self.fail_fast = bool(config.getoption("katas_fail_fast"))
        self.stop_after_timeout = bool(config.getoption("katas_stop_after_timeout"))
        self.failed_katas: set[str] = set()
        self.timed_out: dict[str, str] = {}  # kata -> the test that timed out
        self.finished: list[dict] = []  # every result record, for the grouped summary at the end
        self.pending: dict[str, dict] = {}

    def write(self, record: dict) -> None:
        if record.get("event") == "result":
            self.finished.append(record)
        if self.out is not None:
            self.out.write(json.dumps(record) + "\n")

    def close(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None


_state_key = pytest.StashKey[_State]()


def _kata_key(node: pytest.Item | pytest.Collector | pytest.CollectReport | pytest.TestReport) -> str | None:
    path = getattr(node, "path", None) or Path(str(node.fspath))
    located = kata_of_path(Path(path))
    return f"{located[0]}/{located[1]}" if located else None


def _short(text: str) -> str:
    text = text.strip()
    if len(text) <= MESSAGE_LIMIT:
        return text
    half = MESSAGE_LIMIT // 2
    return f"{text[:half]}\n... [{len(text) - MESSAGE_LIMIT} characters cut] ...\n{text[-half:]}"


def _crash_message(report: pytest.TestReport | pytest.CollectReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return _short(crash.message)
    if isinstance(report.longrepr, tuple):  # skip reports: (path, line, reason)
        return _short(str(report.longrepr[2]))
    return _short(str(report.longrepr).strip().splitlines()[-1] if report.longrepr else "")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config):  # noqa: ARG001
    """After a plain `pytest katas/...` run: each failing kata grouped the way `katas check` shows it.

    A wrapper around pytest's own summary, so these lines come last: what is on screen when the run ends.
    """
    result = yield
    _grouped_summary(terminalreporter, config)
    return result


def _grouped_summary(terminalreporter, config: pytest.Config) -> None:
    from graders.runner import TestResult
    from graders.screen import plain, render

    state = config.stash.get(_state_key, None)
    if state is None or state.out is not None:  # the graders' own runs read the JSON lines instead
        return
    by_kata: dict[str, list[TestResult]] = {}
    for record in state.finished:
        fields = {k: v for k, v in record.items() if k != "event"}
        by_kata.setdefault(record.get("kata") or "", []).append(TestResult(**fields))
    failing = [
        k
        for k, results in by_kata.items()
        if k and any(r.outcome not in ("passed", "skipped") for r in results)
    ]
    if not failing:
        return
    terminalreporter.section("katas: what to fix first")
    for key in failing[:5]:
        meta_path = config.rootpath / "katas" / key / "kata.toml"
        learner = load_meta(meta_path.parent).get("learner_files", []) if meta_path.is_file() else []
        for line in render(key, by_kata[key], learner):
            terminalreporter.write_line(plain(line))
    if len(failing) > 5:
        terminalreporter.write_line(
            f"... and {len(failing) - 5} more failing katas: `katas check KATA` shows one"
        )


class _Recorder:
    """Writes one JSON line per test start, result, collection time and collected list."""

    def __init__(self, state: _State):
        self.state = state

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem):  # noqa: ARG002
        timeout = item.get_closest_marker("timeout")
        limit = timeout.args[0] if timeout and timeout.args else item.config.getini("timeout")
        self.state.write(
            {
                "event": "start",
                "nodeid": item.nodeid,
                "kata": _kata_key(item),
                "time": time.time(),
                "timeout": float(limit or 0),
            }
        )
        self.state.pending[item.nodeid] = {"outcome": "passed", "message": "", "details": "", "duration": 0.0}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        state = self.state
        entry = state.pending.setdefault(
            report.nodeid, {"outcome": "passed", "message": "", "details": "", "duration": 0.0}
        )
        entry["duration"] += report.duration
        if report.failed and entry["outcome"] in ("passed", "skipped"):
            text = str(report.longrepr) if report.longrepr else ""
            timed_out = "Timeout (>" in text  # pytest-timeout's own wording
            entry["outcome"] = "timeout" if timed_out else ("failed" if report.when == "call" else "error")
            entry["message"] = _crash_message(report)
            entry["details"] = _short(text[-6000:])
            key = _kata_key(report)
            if state.fail_fast and key:
                state.failed_katas.add(key)
            if timed_out and state.stop_after_timeout and key:
                state.timed_out.setdefault(key, report.nodeid.rsplit("::", 1)[-1])
        elif report.skipped and entry["outcome"] == "passed":
            entry["outcome"] = "skipped"
            entry["message"] = _crash_message(report)
        if report.when == "teardown":
            state.write(
                {
                    "event": "result",
                    "nodeid": report.nodeid,
                    "kata": _kata_key(report),
                    **state.pending.pop(report.nodeid),
                }
            )

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if not report.failed:
            return
        text = str(report.longrepr) if report.longrepr else ""
        self.state.write(
            {
                "event": "result",
                "nodeid": report.nodeid,
                "kata": _kata_key(report),
                "outcome": "error",
                "message": _short(text.strip().splitlines()[-1] if text.strip() else "collection failed"),
                "details": _short(text[-6000:]),
                "duration": 0.0,
            }
        )

    @pytest.hookimpl(hookwrapper=True)
    def pytest_make_collect_report(self, collector: pytest.Collector):
        """Time each test module's collection (its imports): `bench` charges it to the module's kata."""
        start = time.perf_counter()
        yield
        if isinstance(collector, pytest.Module):
            self.state.write(
                {
                    "event": "collect-time",
                    "kata": _kata_key(collector),
                    "duration": time.perf_counter() - start,
                }
            )

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.state.write(
            {
                "event": "collected",
                "nodeids": [item.nodeid for item in session.items],
                "katas": [_kata_key(item) for item in session.items],
            }
        )
