"""Hidden-test style checks for deployment/q06: concurrent requests answered by few batched model calls."""

import asyncio
import threading
import time

import numpy as np
import pytest


class CountingModel:
    """Predicts (sum of the row) mod 3 and records the size of every batch it is called with."""

    def __init__(self, fail_marker: float | None = None):
        self.batch_sizes: list[int] = []
        self.fail_marker = fail_marker
        self._lock = threading.Lock()

    def predict_rows(self, rows):
        rows = np.asarray(rows, dtype=float)
        with self._lock:
            self.batch_sizes.append(len(rows))
        if self.fail_marker is not None and (rows[:, 0] == self.fail_marker).any():
            raise ValueError("model failure on this batch")
        return [int(x) for x in rows.sum(axis=1).astype(int) % 3]

    predict = predict_rows  # the app calls model.predict(X)

    @staticmethod
    def expected(row) -> int:
        return int(np.asarray(row, dtype=float).sum().astype(int) % 3)


def _rows(n, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 50, size=(n, 4)).astype(float).tolist()


@pytest.fixture
def batching(kata):
    return kata.module("batching")


def _run(batching, model, body, **options):
    """Run body(batcher) inside an event loop with a started batcher; always stop it."""

    async def main():
        batcher = batching.MicroBatcher(model.predict_rows, **options)
        await batcher.start()
        try:
            return await asyncio.wait_for(body(batcher), timeout=10)
        finally:
            await batcher.stop()

    return asyncio.run(main())


def test_64_concurrent_requests_take_at_most_8_model_calls(batching):
    model, rows = CountingModel(), _rows(64)

    async def body(batcher):
        return await asyncio.gather(*(batcher.predict(row) for row in rows))

    results = _run(batching, model, body, max_batch_size=32, max_wait_s=0.02)
    assert [int(r) for r in results] == [model.expected(r) for r in rows], (
        "each caller must get its own row's answer"
    )
    assert len(model.batch_sizes) <= 8, (
        f"64 concurrent requests took {len(model.batch_sizes)} model calls (≤ 8)"
    )
    assert sum(model.batch_sizes) == 64 and max(model.batch_sizes) <= 32, f"batch sizes {model.batch_sizes}"


def test_batches_never_exceed_max_batch_size(batching):
    model, rows = CountingModel(), _rows(23, seed=1)

    async def body(batcher):
        return await asyncio.gather(*(batcher.predict(row) for row in rows))

    results = _run(batching, model, body, max_batch_size=5, max_wait_s=0.02)
    assert [int(r) for r in results] == [model.expected(r) for r in rows]
    assert max(model.batch_sizes) <= 5, f"max_batch_size=5 but the model got batches {model.batch_sizes}"
    assert len(model.batch_sizes) <= 7, (
        f"23 rows in batches of ≤ 5 should take about 5 calls: {model.batch_sizes}"
    )


def test_requests_arriving_within_the_window_share_a_batch(batching):
    model, rows = CountingModel(), _rows(16, seed=2)

    async def body(batcher):
        async def late(i, row):
            await asyncio.sleep(0.002 * i)  # arrivals spread over 30 ms
            return await batcher.predict(row)

        return await asyncio.gather(*(late(i, row) for i, row in enumerate(rows)))

    results = _run(batching, model, body, max_batch_size=64, max_wait_s=0.25)
    assert [int(r) for r in results] == [model.expected(r) for r in rows]
    assert len(model.batch_sizes) <= 2, (
        f"16 requests within 30 ms and max_wait_s=0.25 should share one or two batches, got {model.batch_sizes}: "
        "after the first row arrives, wait up to max_wait_s for more"
    )


def test_a_lone_request_waits_at_most_about_max_wait(batching):
    model = CountingModel()

    async def body(batcher):
        start = time.perf_counter()
        answer = await batcher.predict([1.0, 2.0, 3.0, 4.0])
        return answer, time.perf_counter() - start

    answer, elapsed = _run(batching, model, body, max_batch_size=32, max_wait_s=0.05)
    assert int(answer) == 1 and model.batch_sizes == [1]
    assert elapsed < 0.5, f"a single request took {elapsed:.2f} s: do not wait for a full batch forever"


def test_sequential_requests_each_get_an_answer(batching):
    model, rows = CountingModel(), _rows(5, seed=3)

    async def body(batcher):
        return [await batcher.predict(row) for row in rows]

    assert [int(r) for r in _run(batching, model, body, max_wait_s=0.005)] == [
        model.expected(r) for r in rows
    ]


def test_a_model_error_reaches_its_callers_and_the_batcher_survives(batching):
    model = CountingModel(fail_marker=-1.0)

    async def body(batcher):
        bad = [[-1.0, 0, 0, 0], [1.0, 1, 1, 1], [2.0, 2, 2, 2]]
        outcomes = await asyncio.wait_for(
            asyncio.gather(*(batcher.predict(row) for row in bad), return_exceptions=True), timeout=1.5
        )
        later = await asyncio.wait_for(batcher.predict([1.0, 1.0, 1.0, 0.0]), timeout=1.5)
        return outcomes, later

    try:
        outcomes, later = _run(batching, model, body, max_batch_size=8, max_wait_s=0.02)
    except TimeoutError:
        pytest.fail("a model error left requests unanswered: set the exception on every future of the batch")
    assert all(isinstance(o, ValueError) for o in outcomes), (
        f"the failing batch's callers should get the error: {outcomes}"
    )
    assert int(later) == 0, "after a failed batch the batcher must go on serving"


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
