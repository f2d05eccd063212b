"""Hidden-test style checks for deployment/q06: concurrent requests answered by few batched model calls, the
model kept off the event loop, and back-pressure (a bounded queue, 503 when full).

Timing runs on the `virtual_time` event loop (katas/deployment/conftest.py): asyncio timers and loop.time() jump
ahead instead of sleeping, so a batching window is checked exactly, in no real time, on any machine. A model held
at a gate (a threading.Event) puts a batch in flight exactly when a test needs one.
"""

import asyncio
import threading

import numpy as np
import pytest

GATE_TIMEOUT_S = 5.0  # real seconds a gated model waits at most (a safety net: the tests open the gate)


class CountingModel:
    """Predicts (sum of the row) mod 3 and records every batch, and the thread it ran in."""

    def __init__(self, fail_marker: float | None = None):
        self.batch_sizes: list[int] = []
        self.batches: list[list[list[float]]] = []
        self.threads: list[int] = []
        self.fail_marker = fail_marker
        self._lock = threading.Lock()

    def predict_rows(self, rows):
        with self._lock:
            self.batches.append([list(map(float, row)) for row in rows])
            self.batch_sizes.append(len(rows))
            self.threads.append(threading.get_ident())
        rows = np.asarray(rows, dtype=float)
        if self.fail_marker is not None and (rows[:, 0] == self.fail_marker).any():
            raise ValueError("model failure on this batch")
        return [int(x) for x in rows.sum(axis=1).astype(int) % 3]

    predict = predict_rows  # the app calls model.predict(X)

    @staticmethod
    def expected(row) -> int:
        return int(np.asarray(row, dtype=float).sum().astype(int) % 3)


class GatedModel(CountingModel):
    """A CountingModel whose calls wait at a gate: `entered` is set when a call starts, `gate.set()` lets it run."""

    def __init__(self):
        super().__init__()
        self.entered = threading.Event()
        self.gate = threading.Event()

    def predict_rows(self, rows):
        self.entered.set()
        self.gate.wait(GATE_TIMEOUT_S)
        return super().predict_rows(rows)

    predict = predict_rows


def _rows(n, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 50, size=(n, 4)).astype(float).tolist()


@pytest.fixture
def batching(kata):
    return kata.module("batching")


def _run(virtual_time, batching, model, body, **options):
    """Run body(batcher) on the virtual clock with a started batcher; always stop it."""

    async def main():
        batcher = batching.MicroBatcher(model.predict_rows, **options)
        await batcher.start()
        try:
            return await body(batcher)
        finally:
            await batcher.stop()

    return virtual_time(main)


async def _until(condition, what: str, steps: int = 2000):
    """Let the event loop run (no timers involved) until condition() holds."""
    for _ in range(steps):
        if condition():
            return
        await asyncio.sleep(0)
    pytest.fail(f"gave up waiting for {what}")


async def _model_entered(model: GatedModel):
    """Wait (in a thread, in real time) until a gated model call has started. The batch must be full already:
    while a thread waits, the virtual clock stands still."""
    assert await asyncio.to_thread(model.entered.wait, GATE_TIMEOUT_S), "the model was never called"


def test_64_concurrent_requests_make_2_full_model_calls(batching, virtual_time):
    model, rows = CountingModel(), _rows(64)

    async def body(batcher):
        return await asyncio.gather(*(batcher.predict(row) for row in rows))

    results = _run(virtual_time, batching, model, body, max_batch_size=32, max_wait_s=0.02)
    assert [int(r) for r in results] == [model.expected(r) for r in rows], (
        "each caller must get its own row's answer"
    )
    assert model.batch_sizes == [32, 32], (
        f"64 rows queued at once with max_batch_size=32 should make 2 model calls of 32, got {model.batch_sizes}"
    )


def test_the_default_batch_size_is_32(batching, virtual_time):
    model, rows = CountingModel(), _rows(64, seed=20)

    async def body(batcher):
        return await asyncio.gather(*(batcher.predict(row) for row in rows))

    results = _run(virtual_time, batching, model, body)  # MicroBatcher(predict_batch) with its defaults
    assert [int(r) for r in results] == [model.expected(r) for r in rows]
    assert model.batch_sizes == [32, 32], (
        f"with the default max_batch_size=32, 64 rows queued at once make 2 calls of 32, got {model.batch_sizes}"
    )


def test_batches_never_exceed_max_batch_size(batching, virtual_time):
    model, rows = CountingModel(), _rows(23, seed=1)

    async def body(batcher):
        return await asyncio.gather(*(batcher.predict(row) for row in rows))

    results = _run(virtual_time, batching, model, body, max_batch_size=5, max_wait_s=0.02)
    assert [int(r) for r in results] == [model.expected(r) for r in rows]
    assert model.batch_sizes == [5, 5, 5, 5, 3], (
        f"23 rows queued at once with max_batch_size=5 should be batched 5, 5, 5, 5, 3: got {model.batch_sizes}"
    )
    assert [row for batch in model.batches for row in batch] == rows, "rows reach the model in arrival order"


def test_requests_arriving_within_the_window_share_a_batch(batching, virtual_time):
    model, rows = CountingModel(), _rows(16, seed=2)

    async def body(batcher):
        async def late(i, row):
            await asyncio.sleep(0.002 * i)  # arrivals spread over 30 ms
            return await batcher.predict(row)

        return await asyncio.gather(*(late(i, row) for i, row in enumerate(rows)))

    results = _run(virtual_time, batching, model, body, max_batch_size=64, max_wait_s=0.25)
    assert [int(r) for r in results] == [model.expected(r) for r in rows]
    assert model.batch_sizes == [16], (
        f"16 requests within 30 ms and max_wait_s=0.25 should share one batch, got {model.batch_sizes}: "
        "after the first row arrives, wait up to max_wait_s for more"
    )


def test_the_deadline_counts_from_the_first_row(batching, virtual_time):
    model, rows = CountingModel(), _rows(7, seed=6)

    async def body(batcher):
        loop = asyncio.get_running_loop()

        async def late(i, row):
            await asyncio.sleep(0.02 * i)  # a row every 20 ms: at 0, 20, 40, ... 120 ms
            answer = await batcher.predict(row)
            return answer, loop.time()

        return await asyncio.gather(*(late(i, row) for i, row in enumerate(rows)))

    answers = _run(virtual_time, batching, model, body, max_batch_size=64, max_wait_s=0.05)
    assert [int(a) for a, _ in answers] == [model.expected(r) for r in rows]
    assert model.batch_sizes == [3, 3, 1], (
        f"rows 20 ms apart with max_wait_s=0.05 should be batched 3, 3, 1 (each batch closes 50 ms after its "
        f"first row, however many rows arrive meanwhile), got {model.batch_sizes}"
    )
    times = [round(t, 6) for _, t in answers]
    assert times == [0.05] * 3 + [0.11] * 3 + [0.17], (
        f"answer times {times}: each batch should run max_wait_s after its first row arrived"
    )


def test_a_lone_request_waits_exactly_max_wait(batching, virtual_time):
    model = CountingModel()

    async def body(batcher):
        loop = asyncio.get_running_loop()
        start = loop.time()
        answer = await batcher.predict([1.0, 2.0, 3.0, 4.0])
        return answer, loop.time() - start

    for max_wait_s in (0.05, 0.3):
        answer, elapsed = _run(virtual_time, batching, model, body, max_batch_size=32, max_wait_s=max_wait_s)
        assert int(answer) == 1
        assert elapsed == pytest.approx(max_wait_s, abs=1e-9), (
            f"a lone request with max_wait_s={max_wait_s} was answered after {elapsed:.3f} s (event-loop clock): "
            "wait for more rows until max_wait_s after the first one, then run the batch"
        )
    assert model.batch_sizes == [1, 1]


def test_sequential_requests_each_get_an_answer(batching, virtual_time):
    model, rows = CountingModel(), _rows(5, seed=3)

    async def body(batcher):
        return [await batcher.predict(row) for row in rows]

    assert [int(r) for r in _run(virtual_time, batching, model, body, max_wait_s=0.005)] == [
        model.expected(r) for r in rows
    ]


def test_a_model_error_reaches_its_callers_and_the_batcher_survives(batching, virtual_time):
    model = CountingModel(fail_marker=-1.0)

    async def body(batcher):
        bad = [[-1.0, 0, 0, 0], [1.0, 1, 1, 1], [2.0, 2, 2, 2]]
        outcomes = await asyncio.wait_for(
            asyncio.gather(*(batcher.predict(row) for row in bad), return_exceptions=True), timeout=1.5
        )
        later = await asyncio.wait_for(batcher.predict([1.0, 1.0, 1.0, 0.0]), timeout=1.5)
        return outcomes, later

    try:
        outcomes, later = _run(virtual_time, batching, model, body, max_batch_size=8, max_wait_s=0.02)
    except TimeoutError:
        pytest.fail("a model error left requests unanswered: set the exception on every future of the batch")
    assert all(isinstance(o, ValueError) for o in outcomes), (
        f"the failing batch's callers should get the error: {outcomes}"
    )
    assert int(later) == 0, "after a failed batch the batcher must go on serving"


def test_the_model_runs_in_a_worker_thread_while_requests_keep_queuing(batching, virtual_time):
    model, rows = GatedModel(), _rows(3, seed=7)

    async def body(batcher):
        first = asyncio.create_task(batcher.predict(rows[0]))
        await _model_entered(model)  # the batch [row 0] is in the model, held at the gate
        later = [asyncio.create_task(batcher.predict(row)) for row in rows[1:]]
        await _until(lambda: batcher.queued == 2, "the 2 rows sent during the model call to be queued")
        model.gate.set()
        return await asyncio.gather(first, *later)

    loop_thread = threading.get_ident()
    results = _run(virtual_time, batching, model, body, max_batch_size=1, max_wait_s=0.01)
    assert model.threads and all(t != loop_thread for t in model.threads), (
        "predict_batch ran on the event loop's thread: run it with await asyncio.to_thread(...) so the loop "
        "keeps serving requests meanwhile"
    )
    assert [int(r) for r in results] == [model.expected(r) for r in rows]
    assert model.batch_sizes == [1, 1, 1], model.batch_sizes


def test_a_full_queue_refuses_at_once_and_serves_what_it_queued(batching, virtual_time):
    model, rows = GatedModel(), _rows(6, seed=8)

    async def body(batcher):
        in_flight = [asyncio.create_task(batcher.predict(row)) for row in rows[:2]]
        await _model_entered(model)  # the batch [row 0, row 1] is in the model, held at the gate
        assert batcher.queued == 0, f"rows taken into a batch no longer count as queued: {batcher.queued}"
        queued = [asyncio.create_task(batcher.predict(row)) for row in rows[2:5]]
        await _until(lambda: batcher.queued == 3, "3 rows to be queued (max_queue=3)")
        refused = asyncio.create_task(batcher.predict(rows[5]))
        await _until(refused.done, "predict() on a full queue to fail at once, without waiting for room")
        assert isinstance(refused.exception(), batching.Overloaded), (
            f"predict() on a full queue should raise Overloaded, got {refused.exception()!r}"
        )
        assert batcher.queued == 3, "a refused row is not queued"
        model.gate.set()
        return await asyncio.gather(*in_flight, *queued)

    results = _run(virtual_time, batching, model, body, max_batch_size=2, max_wait_s=0.01, max_queue=3)
    assert [int(r) for r in results] == [model.expected(r) for r in rows[:5]], (
        "the queued rows are still answered"
    )
    assert model.batch_sizes == [2, 2, 1], model.batch_sizes
    assert rows[5] not in [row for batch in model.batches for row in batch], (
        "the refused row reached the model"
    )


def test_an_unbounded_batcher_never_refuses(batching, virtual_time):
    model, rows = GatedModel(), _rows(40, seed=9)

    async def body(batcher):
        tasks = [asyncio.create_task(batcher.predict(row)) for row in rows]
        await _model_entered(model)
        await _until(lambda: batcher.queued == 39, "39 rows to be queued")
        model.gate.set()
        return await asyncio.gather(*tasks)

    results = _run(virtual_time, batching, model, body, max_batch_size=1, max_wait_s=0.01)
    assert [int(r) for r in results] == [model.expected(r) for r in rows]


async def _serve(app, requests):
    """Run the app's lifespan around `requests(client)` on the current loop, in-process (httpx ASGI transport)."""
    import httpx

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await requests(client)


def _post_together_and_check(app, model, rows, virtual_time) -> None:
    """POST every row to the app at once; each must get 200 and its own row's prediction."""

    async def requests(client):
        return await asyncio.gather(*(client.post("/predict", json={"features": row}) for row in rows))

    responses = virtual_time(lambda: _serve(app, requests))
    assert [r.status_code for r in responses] == [200] * len(rows), [
        r.text[:100] for r in responses if r.status_code != 200
    ][:3]
    assert [r.json() for r in responses] == [{"prediction": model.expected(row)} for row in rows]


def test_64_concurrent_http_requests_make_one_model_call(batching, virtual_time):
    model, rows = CountingModel(), _rows(64, seed=10)
    app = batching.create_app(model, max_batch_size=64, max_wait_s=0.01)

    _post_together_and_check(app, model, rows, virtual_time)
    assert model.batch_sizes == [64], (
        f"64 requests arriving together should make one model call of 64 rows, got {model.batch_sizes}"
    )
    assert isinstance(app.state.batcher, batching.MicroBatcher), (
        "app.state.batcher holds the app's MicroBatcher"
    )


def test_the_app_batches_32_rows_by_default(batching, virtual_time):
    model, rows = CountingModel(), _rows(64, seed=21)
    app = batching.create_app(model)  # the defaults: max_batch_size=32, max_wait_s=0.01, no queue limit

    _post_together_and_check(app, model, rows, virtual_time)
    assert model.batch_sizes == [32, 32], (
        f"create_app(model) batches at most 32 rows by default: 64 requests together should make 2 calls of "
        f"32, got {model.batch_sizes}"
    )


def test_an_overloaded_app_answers_503_with_retry_after_at_once(batching, virtual_time):
    model, rows = GatedModel(), _rows(4, seed=11)
    app = batching.create_app(model, max_batch_size=1, max_wait_s=0.01, max_queue=2)

    async def requests(client):
        def post(row):
            return asyncio.create_task(client.post("/predict", json={"features": row}))

        first = post(rows[0])
        await _model_entered(model)  # row 0 is in the model, held at the gate
        queued = [post(rows[1]), post(rows[2])]
        await _until(lambda: app.state.batcher.queued == 2, "2 requests to be queued (max_queue=2)")
        refused = post(rows[3])
        await _until(refused.done, "the request beyond max_queue to be answered at once, not queued")
        model.gate.set()
        return await asyncio.gather(first, *queued), refused.result()

    served, refused = virtual_time(lambda: _serve(app, requests))
    assert refused.status_code == 503, (
        f"a full queue should answer 503, got {refused.status_code}: {refused.text[:200]}"
    )
    assert refused.headers.get("retry-after", "").strip().isdigit(), (
        f"a 503 says when to come back: Retry-After: <seconds>, got {refused.headers.get('retry-after')!r}"
    )
    assert isinstance(refused.json().get("error"), str), (
        f"503 body {refused.text[:200]!r}: expected {{'error': ...}}"
    )
    assert [r.status_code for r in served] == [200] * 3, [r.text[:100] for r in served]
    assert [r.json() for r in served] == [{"prediction": model.expected(row)} for row in rows[:3]]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1e400"])
def test_non_finite_features_are_422_not_500(batching, iris_model, virtual_time, literal):
    app = batching.create_app(iris_model, max_wait_s=0.01)

    async def requests(client):
        body = f'{{"features": [1, 2, {literal}, 4]}}'.encode()
        return await client.post("/predict", content=body, headers={"Content-Type": "application/json"})

    response = virtual_time(lambda: _serve(app, requests))
    assert response.status_code == 422, (
        f"features holding {literal} should be a 422, got {response.status_code}: {response.text[:200]}"
    )

    def refuse(token):
        raise AssertionError(f"the 422 answer holds {token}, which is not JSON: never echo a rejected value")

    import json

    detail = json.loads(response.content, parse_constant=refuse)["detail"]
    assert any(tuple(error["loc"]) == ("body", "features", 2) for error in detail), detail


def test_fuzzed_requests_get_only_the_answers_the_schema_lists(batching, iris_model, kata):
    from graders.kit.fuzz import document, fastapi_contract, fuzz

    app = batching.create_app(iris_model, max_batch_size=8, max_wait_s=0.001, max_queue=64)
    contract = fastapi_contract(app)  # FastAPI's own /openapi.json, built from your code
    parse_error = {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}}
    error = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
    document(contract, "POST /predict", 400, parse_error, "FastAPI: a body it cannot parse (README)")
    document(contract, "POST /predict", 503, error, "overloaded (README)")
    fuzz(
        app,  # the fuzzer runs the app's lifespan, as a server would
        contract,
        label=kata.display("batching.py"),
        examples={"POST /predict": {"features": [5.1, 3.5, 1.4, 0.2]}},
    )


def test_http_service_batches_64_concurrent_requests(batching, live_server):
    import httpx

    model, rows = CountingModel(), _rows(64, seed=4)
    app = batching.create_app(model, max_batch_size=64, max_wait_s=0.1)

    async def fire(base_url):
        limits = httpx.Limits(max_connections=64)
        async with httpx.AsyncClient(base_url=base_url, timeout=10, limits=limits) as client:
            return await asyncio.gather(*(client.post("/predict", json={"features": row}) for row in rows))

    with live_server(app) as base_url:
        responses = asyncio.run(fire(base_url))
    assert all(r.status_code == 200 for r in responses), [
        r.status_code for r in responses if r.status_code != 200
    ][:5]
    assert [r.json() for r in responses] == [{"prediction": model.expected(row)} for row in rows]
    assert len(model.batch_sizes) <= 8, (
        f"64 concurrent HTTP requests took {len(model.batch_sizes)} model calls (≤ 8)"
    )
