"""Kata deployment/q10: sticky weighted canary routing with automatic rollback; a blue-green switch. Edit this file."""

from __future__ import annotations

from collections.abc import Callable

FILE = "katas/deployment/q10_canary/rollout.py"


class CanaryRouter:
    """Sends a weighted share of users to the canary model, always the same users, and rolls back on errors."""

    def __init__(
        self,
        stable,
        canary,
        *,
        weight: float,
        salt: str = "canary",
        error_threshold: float = 0.05,
        min_requests: int = 100,
    ):
        raise NotImplementedError(f"CanaryRouter: write it in {FILE}")

    def set_weight(self, weight: float) -> None:
        raise NotImplementedError(f"CanaryRouter.set_weight: write it in {FILE}")

    def route(self, user_id: str) -> str:
        raise NotImplementedError(f"CanaryRouter.route: write it in {FILE}")

    @property
    def error_rate(self) -> float:
        raise NotImplementedError(f"CanaryRouter.error_rate: write it in {FILE}")

    def predict(self, user_id: str, features) -> tuple[str, object]:
        raise NotImplementedError(f"CanaryRouter.predict: write it in {FILE}")


class BlueGreen:
    """Two slots; one is live. New versions go to the idle slot; a switch flips the live slot atomically."""

    def __init__(self, blue, green, *, live: str = "blue"):
        raise NotImplementedError(f"BlueGreen: write it in {FILE}")

    @property
    def live(self) -> str:
        raise NotImplementedError(f"BlueGreen.live: write it in {FILE}")

    @property
    def idle(self) -> str:
        raise NotImplementedError(f"BlueGreen.idle: write it in {FILE}")

    def predict(self, features) -> tuple[str, object]:
        raise NotImplementedError(f"BlueGreen.predict: write it in {FILE}")

    def deploy(self, model) -> None:
        raise NotImplementedError(f"BlueGreen.deploy: write it in {FILE}")

    def switch(self, health_check: Callable[[object], bool] | None = None) -> str:
        raise NotImplementedError(f"BlueGreen.switch: write it in {FILE}")

    def rollback(self) -> str:
        raise NotImplementedError(f"BlueGreen.rollback: write it in {FILE}")
