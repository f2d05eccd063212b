"""Near miss: returns the JSON prediction as it came (1.0 from a server that sends floats) instead of
int(body["prediction"])."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

RETRY_STATUSES = frozenset({502, 503, 504})  # the server or a proxy is temporarily unable: try again


class PredictionError(Exception):
    """The prediction could not be obtained; the message says why."""


def predict(
    base_url: str,
    features: list[float],
    *,
    timeout: float = 2.0,
    retries: int = 3,
    backoff: float = 0.1,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """POST {base_url}/predict and return the prediction, retrying transient failures with backoff."""
    attempts = retries + 1
    last_problem = ""
    # One client for all attempts: connections are reused; the timeout bounds connect, read, write and pool waits.
    with httpx.Client(base_url=base_url, timeout=timeout) as client:
        for attempt in range(attempts):
            delay = backoff * 2**attempt  # 0.1, 0.2, 0.4, ... : give a struggling server room to recover
            try:
                response = client.post("/predict", json={"features": features})
            except httpx.TimeoutException as exc:
                last_problem = f"timed out after {timeout} s ({type(exc).__name__})"
            except httpx.TransportError as exc:  # connection refused or reset
                last_problem = f"could not connect ({type(exc).__name__}: {exc})"
            else:
                if response.status_code == 200:
                    return response.json()["prediction"]
                if response.status_code not in RETRY_STATUSES:
                    # A client error will not get better by asking again: fail at once.
                    raise PredictionError(
                        f"POST {base_url}/predict answered {response.status_code}: {response.text[:200]}"
                    )
                last_problem = f"answered {response.status_code}"
                retry_after = response.headers.get("Retry-After", "")
                if retry_after.isdigit():  # the server says when to come back
                    delay = float(retry_after)
            if attempt < attempts - 1:
                sleep(delay)
    raise PredictionError(f"POST {base_url}/predict: gave up after {attempts} attempts; last: {last_problem}")
