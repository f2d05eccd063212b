"""Kata deployment/q06: dynamic micro-batching of concurrent prediction requests. Edit this file."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fastapi import FastAPI

FILE = "katas/deployment/q06_microbatching/batching.py"


class Overloaded(Exception):
    """The batcher's queue is full: the caller should come back later (HTTP 503 with Retry-After)."""


class MicroBatcher:
    """Collects concurrent predict() calls into batches: one model call per batch instead of one per request."""

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

    @property
    def queued(self) -> int:
        """How many rows are waiting in the queue (rows taken into a batch no longer count)."""
        raise NotImplementedError(f"MicroBatcher.queued: write it in {FILE}")

    async def start(self) -> None:
        """Start the background task that forms batches (call it inside the running event loop)."""
        raise NotImplementedError(f"MicroBatcher.start: write it in {FILE}")

    async def stop(self) -> None:
        """Stop the background task."""
        raise NotImplementedError(f"MicroBatcher.stop: write it in {FILE}")

    async def predict(self, features: list[float]):
        """Queue one row and wait for its prediction; raise Overloaded at once when max_queue rows are waiting."""
        raise NotImplementedError(f"MicroBatcher.predict: write it in {FILE}")


def create_app(
    model, *, max_batch_size: int = 32, max_wait_s: float = 0.01, max_queue: int | None = None
) -> FastAPI:
    """POST /predict through a MicroBatcher started and stopped by the app's lifespan; 503 when overloaded."""
    raise NotImplementedError(f"create_app: write it in {FILE}")
