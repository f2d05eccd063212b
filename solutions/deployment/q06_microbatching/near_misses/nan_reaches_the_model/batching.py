"""Near miss: features: list[float]: NaN and Infinity pass validation and crash the model's batch (a 500)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence

import numpy as np
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field


class Overloaded(Exception):
    """The batcher's queue is full: the caller should come back later (HTTP 503 with Retry-After)."""


class MicroBatcher:
    """Collects concurrent predict() calls into batches: one model call per batch instead of one per request.

    A batch closes when it holds max_batch_size rows or when max_wait_s has passed since its first row arrived,
    whichever comes first: under load batches are full, when idle a lone request waits at most max_wait_s.
    At most max_queue rows wait in the queue (None: no limit); beyond that predict() fails at once with
    Overloaded, so an overloaded service answers "come back later" instead of letting every latency grow.
    """

    def __init__(
        self,
        predict_batch: Callable[[list[list[float]]], Sequence],
        *,
        max_batch_size: int = 32,
        max_wait_s: float = 0.01,
        max_queue: int | None = None,
    ):
        self.predict_batch = predict_batch
        self.max_batch_size = max_batch_size
        self.max_wait_s = max_wait_s
        self.max_queue = max_queue
        self._queue: asyncio.Queue | None = None
        self._task: asyncio.Task | None = None

    @property
    def queued(self) -> int:
        """Rows waiting in the queue (rows already taken into a batch no longer count)."""
        return self._queue.qsize() if self._queue is not None else 0

    async def start(self) -> None:
        # The queue and the task belong to the running event loop, so they are created here, not in __init__.
        # A bounded queue is the back-pressure: put_nowait raises QueueFull instead of letting it grow.
        self._queue = asyncio.Queue(maxsize=self.max_queue or 0)
        self._task = asyncio.create_task(self._run(), name="micro-batcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        while self._queue is not None and not self._queue.empty():  # nobody will answer these any more
            _, future = self._queue.get_nowait()
            if not future.done():
                future.set_exception(RuntimeError("the batcher was stopped"))

    async def predict(self, features: list[float]):
        if self._task is None or self._queue is None:
            raise RuntimeError("call `await batcher.start()` first")
        future = asyncio.get_running_loop().create_future()
        try:
            self._queue.put_nowait((features, future))
        except asyncio.QueueFull:  # never wait for room: the caller learns at once that it should retry later
            raise Overloaded(f"{self.max_queue} rows are already waiting") from None
        return await future

    async def _next_item(self, timeout: float):
        """The next queued item, or None if none arrives within timeout (without losing an item to a race)."""
        assert self._queue is not None
        if not self._queue.empty():
            return self._queue.get_nowait()
        getter = asyncio.ensure_future(self._queue.get())
        await asyncio.wait({getter}, timeout=timeout)
        if not getter.done():
            getter.cancel()
        try:
            return await getter  # done just before the cancel: keep the item
        except asyncio.CancelledError:
            return None

    async def _collect(self) -> list:
        assert self._queue is not None
        # loop.time(), the event loop's own clock, is what asyncio's timeouts use too.
        loop = asyncio.get_running_loop()
        batch = [await self._queue.get()]  # sleep until there is work
        deadline = loop.time() + self.max_wait_s
        while len(batch) < self.max_batch_size:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            item = await self._next_item(remaining)
            if item is None:
                break
            batch.append(item)
        return batch

    async def _run(self) -> None:
        while True:
            batch = await self._collect()
            rows = [features for features, _ in batch]
            try:
                # The model runs in a worker thread: the event loop keeps accepting requests meanwhile, and
                # they form the next batch.
                predictions = await asyncio.to_thread(self.predict_batch, rows)
            except Exception as exc:  # every caller of this batch gets the error; the batcher lives on
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), prediction in zip(batch, predictions, strict=True):
                if not future.done():  # the caller may have given up (cancelled)
                    future.set_result(prediction)


class PredictRequest(BaseModel):
    # FiniteFloat: NaN and ±Infinity (which Python's JSON parser accepts) are refused, not handed to the model.
    features: list[float] = Field(min_length=4, max_length=4)


async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 without the rejected values: its default handler echoes each one as "input", and a NaN
    there cannot be written as JSON (the default handler answers 500 instead)."""
    detail = [{"loc": error["loc"], "msg": error["msg"], "type": error["type"]} for error in exc.errors()]
    return JSONResponse({"detail": detail}, status_code=422)


def create_app(
    model, *, max_batch_size: int = 32, max_wait_s: float = 0.01, max_queue: int | None = None
) -> FastAPI:
    """POST /predict through a MicroBatcher started and stopped by the app's lifespan."""

    def predict_batch(rows: list[list[float]]) -> list[int]:
        return [int(p) for p in model.predict(np.asarray(rows, dtype=float))]

    batcher = MicroBatcher(
        predict_batch, max_batch_size=max_batch_size, max_wait_s=max_wait_s, max_queue=max_queue
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        await batcher.start()
        yield
        await batcher.stop()

    app = FastAPI(lifespan=lifespan)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.state.batcher = batcher

    @app.post("/predict")
    async def predict(request: PredictRequest):
        # async def: the endpoint only awaits the batcher; the model itself runs in the batcher's worker thread.
        try:
            prediction = await batcher.predict(request.features)
        except Overloaded as exc:
            # Back-pressure: fail fast with 503 and a hint, so clients and load balancers retry (elsewhere) later.
            return JSONResponse(
                {"error": f"overloaded: {exc}"}, status_code=503, headers={"Retry-After": "1"}
            )
        return {"prediction": prediction}

    return app
