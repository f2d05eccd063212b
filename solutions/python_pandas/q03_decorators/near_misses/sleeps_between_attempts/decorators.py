"""Near miss: retry waits a little longer after each failed attempt (a back-off the README does not ask for)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable


def timer(func: Callable) -> Callable:
    """Record each call's duration in wrapper.timings."""

    @functools.wraps(func)  # copies __name__, __doc__, ... and sets __wrapped__ = func
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:  # runs on return and on exception alike
            wrapper.timings.append(time.perf_counter() - start)

    wrapper.timings = []
    return wrapper


def retry(
    times: int, exceptions: type[BaseException] | tuple[type[BaseException], ...] = Exception
) -> Callable:
    """A decorator factory: retry(...) returns the decorator, which returns the wrapper."""
    if times < 1:
        raise ValueError(f"retry needs times >= 1, got {times}")

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:  # only the named exceptions; anything else escapes at once
                    if attempt == times:
                        raise
                    time.sleep(0.1 * attempt)  # back off before the next attempt

        return wrapper

    return decorator


def memoize(func: Callable) -> Callable:
    """Cache by arguments, with hit/miss counters kept on the wrapper itself."""
    cache: dict = {}

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        if key in cache:  # membership, not truthiness: None, 0 and "" are valid cached results
            wrapper.hits += 1
            return cache[key]
        wrapper.misses += 1
        cache[key] = result = func(*args, **kwargs)
        return result

    def cache_clear() -> None:
        cache.clear()
        wrapper.hits = wrapper.misses = 0

    wrapper.hits = wrapper.misses = 0
    wrapper.cache_clear = cache_clear
    return wrapper
