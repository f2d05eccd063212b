"""Fixtures shared by the deployment katas.

- `iris_model`: a small scikit-learn classifier trained once per session (4 float features -> class 0, 1 or 2).
- `asgi`: call an ASGI app (FastAPI) in-process through httpx's ASGI transport, without a server.
- `live_server`: run an ASGI app under a real uvicorn server on 127.0.0.1 and a free port, in a thread that is
  always stopped at the end of the test.
- `virtual_time`: `virtual_time(main)` runs the coroutine function `main` on an event loop with a virtual clock
  (asyncio timers and `loop.time()` jump ahead instead of sleeping; a call in a worker thread takes no virtual
  time), so timing rules are tested exactly and the same way on every machine.
- Every test must leave no thread behind (servers, pools, batchers): checked after each test.
- Tests marked `@pytest.mark.docker` are skipped, with the reason, where no Docker engine answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time

import pytest

from graders.kit import docker_engine
from graders.kit.offline import free_port


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("docker") is None:
        return
    if not docker_engine.docker_available():
        pytest.skip(docker_engine.why_unavailable())
    from graders.kit import lint_tools

    try:
        lint_tools.find_tool("docker")
    except lint_tools.ToolMissing:
        pytest.skip("a Docker engine answers, but the docker command-line client is not installed")


@pytest.fixture(autouse=True)
def no_leaked_threads():
    """A test may start servers and threads, but all of them must be gone when it ends."""
    before = threading.active_count()
    yield
    deadline = time.monotonic() + 3.0
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.02)
    leaked = [t.name for t in threading.enumerate()][before:]
    assert threading.active_count() <= before, (
        f"the test left {threading.active_count() - before} thread(s) running ({', '.join(leaked)}): "
        "stop servers, executors and background workers when you are done"
    )


@pytest.fixture(scope="session")
def iris_data():
    """(X, y) of scikit-learn's iris set as float64 / int64 arrays."""
    from sklearn.datasets import load_iris

    data = load_iris()
    return data.data, data.target


@pytest.fixture(scope="session")
def iris_model(iris_data):
    """A logistic regression fitted on iris: `.predict(X)` gives numpy int64 classes 0, 1, 2."""
    from sklearn.linear_model import LogisticRegression

    X, y = iris_data
    return LogisticRegression(max_iter=500).fit(X, y)


class AsgiClient:
    """Synchronous calls into an ASGI app through `httpx.ASGITransport` (no server, no lifespan).

    Server errors come back as 500 responses instead of being raised, as a real server would answer.
    """

    def __init__(self, app, base_url: str = "http://testserver"):
        self.app = app
        self.base_url = base_url

    def request(self, method: str, url: str, **kwargs):
        import httpx

        async def call():
            transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url=self.base_url) as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(call())

    def get(self, url: str, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self.request("POST", url, **kwargs)

    def options(self, url: str, **kwargs):
        return self.request("OPTIONS", url, **kwargs)


@pytest.fixture
def asgi():
    """`asgi(app)` gives an AsgiClient for that app."""
    return AsgiClient


@pytest.fixture(scope="session")
def unused_port():
    """`unused_port()` gives a free TCP port on 127.0.0.1 (nothing listens there)."""
    return free_port


@contextlib.contextmanager
def serve(app, *, startup_timeout: float = 10.0):
    """Run `app` under uvicorn on 127.0.0.1 in a thread; yield its base URL; always stop it."""
    import uvicorn

    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=free_port(),
        log_level="warning",
        lifespan="auto",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test-server", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the uvicorn server stopped during start-up (see the log above)")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the uvicorn server did not start within {startup_timeout} s")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock only moves when the loop would otherwise sleep.

    When no callback is ready, no I/O is pending and no worker thread is busy, the loop jumps its clock straight to
    the next timer instead of waiting: `asyncio.sleep(0.25)`, `asyncio.wait_for(..., 0.25)` and `loop.time()` all
    follow that clock, so a 250 ms window takes no real time and every run sees the same times. While a call runs
    in a worker thread (`asyncio.to_thread`, `run_in_executor`) the clock stands still and the loop waits for the
    thread in real time: a model call takes no virtual time. Code that reads `time.monotonic()` instead of the
    loop's clock does not see virtual time.
    """

    def __init__(self):
        super().__init__()
        self._virtual_now = 0.0
        self._busy_threads = 0
        real_select = self._selector.select

        def select(timeout=None):
            if timeout is not None and timeout <= 0:
                return real_select(0)
            if self._busy_threads:
                return real_select(None)  # a worker thread wakes the loop when it is done
            if timeout is None:
                return real_select(None)
            events = real_select(0)
            if not events:
                self._virtual_now += timeout  # nothing to do until the next timer: jump to it
            return events

        self._selector.select = select

    def time(self) -> float:
        return self._virtual_now

    def run_in_executor(self, executor, func, *args):
        future = super().run_in_executor(executor, func, *args)
        self._busy_threads += 1

        def done(_future):
            self._busy_threads -= 1

        future.add_done_callback(done)
        return future


def run_on_virtual_clock(main, *, timeout: float = 30.0):
    """Run the coroutine function `main` on a VirtualClockLoop; a real-time `timeout` guards against a hang."""
    with asyncio.Runner(loop_factory=VirtualClockLoop) as runner:
        loop = runner.get_loop()
        watchdog = threading.Timer(timeout, lambda: loop.call_soon_threadsafe(_cancel_all, loop))
        watchdog.daemon = True
        watchdog.start()
        try:
            return runner.run(main())
        finally:
            watchdog.cancel()
            watchdog.join()


def _cancel_all(loop) -> None:
    for task in asyncio.all_tasks(loop):
        task.cancel()


@pytest.fixture
def virtual_time():
    """`virtual_time(main)` runs `await main()` on an event loop with a virtual clock (see VirtualClockLoop)."""
    return run_on_virtual_clock


@pytest.fixture(scope="session")
def live_server():
    """`with live_server(app) as base_url:` serves the ASGI app on a real socket for the block's duration."""
    return serve
