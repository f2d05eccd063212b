"""Near miss: waits for more than min_requests canary requests (>, not >=): the rollback comes one request late."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

BUCKETS = 10_000


def bucket(user_id: str, salt: str) -> int:
    """A stable bucket in [0, BUCKETS) for a user: the same in every process and on every machine.

    Python's built-in hash() of a str is randomised per process (PYTHONHASHSEED), so replicas would disagree.
    """
    digest = hashlib.sha256(f"{salt}:{user_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


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
        self.stable, self.canary = stable, canary
        self.salt = salt
        self.error_threshold = error_threshold
        self.min_requests = min_requests
        self.canary_requests = 0
        self.canary_errors = 0
        self.rolled_back = False
        self._lock = threading.Lock()
        self.set_weight(weight)

    def set_weight(self, weight: float) -> None:
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"weight must be within [0, 1], got {weight}")
        self.weight = weight

    def route(self, user_id: str) -> str:
        # A user is in the canary when their bucket is below the threshold. Raising the weight only adds
        # users (those with the next buckets): nobody flips back and forth during a ramp-up.
        if self.rolled_back:
            return "stable"
        return "canary" if bucket(user_id, self.salt) < round(self.weight * BUCKETS) else "stable"

    @property
    def error_rate(self) -> float:
        return self.canary_errors / self.canary_requests if self.canary_requests else 0.0

    def _record(self, ok: bool) -> None:
        with self._lock:
            self.canary_requests += 1
            self.canary_errors += not ok
            # Judge only on enough evidence: one early error out of three requests is not a 33 % error rate.
            if self.canary_requests > self.min_requests and self.error_rate > self.error_threshold:
                self.rolled_back = True
                self.weight = 0.0

    def predict(self, user_id: str, features) -> tuple[str, object]:
        if self.route(user_id) == "canary":
            try:
                answer = self.canary.predict([features])[0]
            except Exception:
                self._record(ok=False)
            else:
                self._record(ok=True)
                return "canary", answer
        # Stable users, and canary users whose request failed: the user still gets an answer.
        return "stable", self.stable.predict([features])[0]


class BlueGreen:
    """Two slots; one is live. New versions go to the idle slot; a switch flips the live slot atomically."""

    def __init__(self, blue, green, *, live: str = "blue"):
        if live not in ("blue", "green"):
            raise ValueError("live must be 'blue' or 'green'")
        self._slots = {"blue": blue, "green": green}
        self._live = (
            live,
            self._slots[live],
        )  # one tuple, replaced in one assignment: readers see old or new
        self._previous: str | None = None
        self._lock = threading.Lock()

    @property
    def live(self) -> str:
        return self._live[0]

    @property
    def idle(self) -> str:
        return "green" if self.live == "blue" else "blue"

    def predict(self, features) -> tuple[str, object]:
        color, model = self._live  # read once: a concurrent switch cannot mix two versions in one request
        return color, model.predict([features])[0]

    def deploy(self, model) -> None:
        """Put a new version in the idle slot; live traffic is untouched."""
        with self._lock:
            self._slots[self.idle] = model

    def switch(self, health_check: Callable[[object], bool] | None = None) -> str:
        """Make the idle slot live, if it passes the health check; returns the new live colour."""
        with self._lock:
            target = self.idle
            model = self._slots[target]
            if health_check is not None and not health_check(model):
                raise RuntimeError(f"{target} failed its health check; {self.live} stays live")
            self._previous = self.live
            self._live = (target, model)
            return target

    def rollback(self) -> str:
        """Go back to the slot that was live before the last switch."""
        with self._lock:
            if self._previous is None:
                raise RuntimeError("nothing to roll back to")
            target, self._previous = self._previous, self.live
            self._live = (target, self._slots[target])
            return target
