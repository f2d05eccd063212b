"""The pytest plugin every kata runs under (registered by the root conftest.py).

- `--impl` / `KATAS_IMPL`: the implementation switch (see graders.impl) and the `kata` fixture.
- A topic whose packages are missing is skipped with one line naming the extra to install.
- Per-kata timeouts from `kata.toml`; the default comes from pytest-timeout's ini setting.
- Sockets beyond loopback are refused: katas run offline.
- `--katas-results FILE`: one JSON line per test (and per start, and per test module's collection time),
  read by graders.runner even if the process dies mid-test.
- `--katas-fail-fast`: after a kata's first failure, skip its remaining tests (verify's near-miss rounds).
"""

from __future__ import annotations

import importlib.util
import json
import os
import time
from pathlib import Path

import pytest

from graders import offline
from graders.catalog import kata_of_path, load_meta, topic_meta
from graders.impl import KataFiles, resolve_impl_root

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
    config.stash[_state_key] = _State(config)


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
    extra = meta.get("extra", topic)
    return f"topic {topic} needs {', '.join(missing)}, not installed: pip install -e '.[{extra}]'"


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


def pytest_runtest_setup(item: pytest.Item) -> None:
    state = item.config.stash[_state_key]
    if state.fail_fast and _kata_key(item) in state.failed_katas:
        pytest.skip("this kata already failed a test (--katas-fail-fast)")


# --- results recorder ----------------------------------------------------------------------------------------


class _State:
    def __init__(self, config: pytest.Config):
        path = config.getoption("katas_results")
        self.out = open(path, "a", buffering=1, encoding="utf-8") if path else None  # noqa: SIM115
        self.fail_fast = bool(config.getoption("katas_fail_fast"))
        self.failed_katas: set[str] = set()
        self.pending: dict[str, dict] = {}

    def write(self, record: dict) -> None:
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


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem):  # noqa: ARG001
    state = item.config.stash[_state_key]
    timeout = item.get_closest_marker("timeout")
    limit = timeout.args[0] if timeout and timeout.args else item.config.getini("timeout")
    state.write(
        {
            "event": "start",
            "nodeid": item.nodeid,
            "kata": _kata_key(item),
            "time": time.time(),
            "timeout": float(limit or 0),
        }
    )
    state.pending[item.nodeid] = {"outcome": "passed", "message": "", "details": "", "duration": 0.0}
    return None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    state = _current_state
    if state is None:
        return
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
        if state.fail_fast and (key := _kata_key(report)):
            state.failed_katas.add(key)
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


def pytest_collectreport(report: pytest.CollectReport) -> None:
    state = _current_state
    if state is None or not report.failed:
        return
    text = str(report.longrepr) if report.longrepr else ""
    state.write(
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


_current_state: _State | None = None


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    global _current_state
    _current_state = session.config.stash[_state_key]


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    """Time each test module's collection (its imports): `bench` charges it to the module's kata."""
    start = time.perf_counter()
    yield
    state = _current_state
    if state is not None and isinstance(collector, pytest.Module):
        state.write(
            {
                "event": "collect-time",
                "kata": _kata_key(collector),
                "duration": time.perf_counter() - start,
            }
        )


def pytest_collection_finish(session: pytest.Session) -> None:
    state = session.config.stash[_state_key]
    state.write(
        {
            "event": "collected",
            "nodeids": [item.nodeid for item in session.items],
            "katas": [_kata_key(item) for item in session.items],
        }
    )


def pytest_sessionfinish(session: pytest.Session) -> None:
    global _current_state
    _current_state = None
