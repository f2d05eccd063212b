"""Hidden-test style checks for deployment/e05: a client with timeouts, retries and backoff, against a real
local server (uvicorn on 127.0.0.1) that follows a script of answers."""

import asyncio
import math
import time

import pytest


class Script:
    """What the server answers to each successive POST /predict: ("ok", value), ("status", code[, headers]),
    ("slow", seconds). The last step repeats."""

    def __init__(self):
        self.load([("ok", 0)])

    def load(self, steps):
        self.steps = list(steps)
        self.hits = 0
        self.bodies = []

    def next_step(self):
        step = self.steps[min(self.hits, len(self.steps) - 1)]
        self.hits += 1
        return step


@pytest.fixture(scope="module")
def server(live_server):
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    script = Script()

    async def predict(request):
        script.bodies.append(await request.json())
        kind, *args = script.next_step()
        if kind == "slow":
            await asyncio.sleep(args[0])
            return JSONResponse({"prediction": 7})
        if kind == "ok":
            return JSONResponse({"prediction": args[0]})
        headers = args[1] if len(args) > 1 else None
        return JSONResponse({"error": "scripted failure"}, status_code=args[0], headers=headers)

    app = Starlette(routes=[Route("/predict", predict, methods=["POST"])])
    with live_server(app) as base_url:
        yield base_url, script


@pytest.fixture
def client(kata):
    return kata.module("client")


class Sleeps(list):
    """Records the requested delays instead of sleeping."""

    def __call__(self, seconds):
        self.append(seconds)


def _close(actual, expected):
    return len(actual) == len(expected) and all(
        math.isclose(a, e, rel_tol=1e-6) for a, e in zip(actual, expected, strict=False)
    )


def test_success_on_the_first_try(client, server):
    base_url, script = server
    script.load([("ok", 2)])
    sleeps = Sleeps()
    assert client.predict(base_url, [5.1, 3.5, 1.4, 0.2], sleep=sleeps) == 2
    assert script.hits == 1 and sleeps == [], (
        f"one request, no sleep: {script.hits} requests, sleeps {sleeps}"
    )
    assert script.bodies == [{"features": [5.1, 3.5, 1.4, 0.2]}], f"the server received {script.bodies}"


def test_503s_are_retried_with_exponential_backoff(client, server):
    base_url, script = server
    script.load([("status", 503), ("status", 503), ("ok", 1)])
    sleeps = Sleeps()
    assert client.predict(base_url, [1, 2, 3, 4], retries=3, backoff=0.1, sleep=sleeps) == 1
    assert script.hits == 3, f"two 503s then success: expected 3 requests, the server saw {script.hits}"
    assert _close(sleeps, [0.1, 0.2]), f"expected sleeps [0.1, 0.2] before the two retries, got {sleeps}"


def test_the_prediction_is_returned_as_an_int(client, server):
    base_url, script = server
    script.load([("ok", 1.0)])
    result = client.predict(base_url, [1, 2, 3, 4], sleep=Sleeps())
    assert type(result) is int and result == 1, (
        f"the server answered {{'prediction': 1.0}}: return int(body['prediction']), got {result!r}"
    )


def test_the_defaults_are_3_retries_0_1_backoff_and_a_2_s_timeout(client, server):
    base_url, script = server
    # Three 503s, then an answer after 1.3 s: within the default 2 s timeout, on the 4th and last attempt.
    script.load([("status", 503), ("status", 503), ("status", 503), ("slow", 1.3)])
    sleeps = Sleeps()
    assert client.predict(base_url, [1, 2, 3, 4], sleep=sleeps) == 7, (
        "with the defaults (retries=3, timeout=2.0) the 4th attempt, answered after 1.3 s, succeeds"
    )
    assert script.hits == 4, f"three 503s then success: expected 4 requests, the server saw {script.hits}"
    assert _close(sleeps, [0.1, 0.2, 0.4]), (
        f"default backoff=0.1: expected sleeps [0.1, 0.2, 0.4], got {sleeps}"
    )


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gives_up_with_a_clear_error(client, server, status):
    base_url, script = server
    script.load([("status", status)])
    sleeps = Sleeps()
    with pytest.raises(client.PredictionError) as info:
        client.predict(base_url, [1, 2, 3, 4], retries=3, backoff=0.05, sleep=sleeps)
    assert script.hits == 4, f"retries=3 means 4 attempts in all; the server saw {script.hits}"
    assert _close(sleeps, [0.05, 0.1, 0.2]), f"expected sleeps [0.05, 0.1, 0.2], got {sleeps}"
    message = str(info.value)
    assert "gave up" in message and "4" in message, (
        f"say that you gave up and after how many attempts: {message!r}"
    )


@pytest.mark.parametrize("status", [400, 404, 422, 500])
def test_other_errors_fail_at_once(client, server, status):
    base_url, script = server
    script.load([("status", status), ("ok", 1)])
    sleeps = Sleeps()
    with pytest.raises(client.PredictionError) as info:
        client.predict(base_url, [1, 2, 3, 4], sleep=sleeps)
    assert script.hits == 1 and sleeps == [], (
        f"a {status} must not be retried: the server saw {script.hits} requests, sleeps {sleeps}"
    )
    assert str(status) in str(info.value), f"the error should name the status {status}: {info.value}"


def test_retry_after_header_is_honoured(client, server):
    base_url, script = server
    script.load([("status", 503, {"Retry-After": "3"}), ("ok", 2)])
    sleeps = Sleeps()
    assert client.predict(base_url, [1, 2, 3, 4], backoff=0.1, sleep=sleeps) == 2
    assert _close(sleeps, [3.0]), f"Retry-After: 3 asks for a 3 s wait, got sleeps {sleeps}"


def test_a_slow_answer_times_out_and_is_retried(client, server):
    base_url, script = server
    script.load([("slow", 1.5), ("ok", 2)])
    sleeps = Sleeps()
    start = time.perf_counter()
    assert client.predict(base_url, [1, 2, 3, 4], timeout=0.2, retries=2, sleep=sleeps) == 2
    elapsed = time.perf_counter() - start
    assert script.hits == 2 and len(sleeps) == 1, (
        f"a timeout counts as a failed attempt: {script.hits} requests"
    )
    assert elapsed < 1.2, f"timeout=0.2 should cut the 1.5 s answer short; the call took {elapsed:.2f} s"


def test_always_slow_raises_prediction_error_not_httpx(client, server):
    base_url, script = server
    script.load([("slow", 1.5)])
    start = time.perf_counter()
    with pytest.raises(client.PredictionError):
        client.predict(base_url, [1, 2, 3, 4], timeout=0.15, retries=1, sleep=Sleeps())
    assert time.perf_counter() - start < 1.2, "two attempts of at most 0.15 s each"


def test_unreachable_server_is_retried_then_reported(client, unused_port):
    sleeps = Sleeps()
    with pytest.raises(client.PredictionError) as info:
        client.predict(
            f"http://127.0.0.1:{unused_port()}", [1, 2, 3, 4], retries=2, backoff=0.01, sleep=sleeps
        )
    assert _close(sleeps, [0.01, 0.02]), f"connection errors are retried with backoff: sleeps {sleeps}"
    assert "gave up" in str(info.value)
