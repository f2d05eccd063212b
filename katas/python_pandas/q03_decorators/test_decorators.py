"""Hidden-test style checks for python_pandas/q03: @timer, @retry and @memoize."""

import random
import time

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from graders.kit.strategies import kata_settings, words


@pytest.fixture
def deco(kata):
    return kata.module("decorators")


def _original():
    def compute_total(x, y=1):
        """Add two numbers (the docstring must survive decoration)."""
        return x + y

    return compute_total


def _check_metadata(wrapped, original, name):
    assert wrapped is not original, f"{name} should return a new wrapper function"
    for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
        assert getattr(wrapped, attr, None) == getattr(original, attr), (
            f"{name}: the wrapper's {attr} is {getattr(wrapped, attr, None)!r}, expected "
            f"{getattr(original, attr)!r} (use functools.wraps)"
        )
    assert getattr(wrapped, "__wrapped__", None) is original, (
        f"{name}: __wrapped__ should be the original (functools.wraps)"
    )
    assert wrapped(2, y=5) == 7, f"{name}: the wrapper should pass arguments through"


def test_metadata_kept(deco):
    original = _original()
    _check_metadata(deco.timer(original), original, "timer")
    _check_metadata(deco.retry(3, ValueError)(original), original, "retry(3, ValueError)")
    _check_metadata(deco.memoize(original), original, "memoize")


def test_timer_records_each_call(deco):
    @deco.timer
    def nap(seconds):
        time.sleep(seconds)
        return seconds

    assert nap.timings == [], "timings should start empty"
    assert nap(0.03) == 0.03 and nap(0.0) == 0.0
    assert len(nap.timings) == 2, f"two calls should give two timings, got {nap.timings}"
    assert all(isinstance(t, float) for t in nap.timings), f"timings should be floats: {nap.timings}"
    assert 0.025 <= nap.timings[0] < 2.0, f"a 0.03 s sleep was timed at {nap.timings[0]:.4f} s"


def test_timer_records_failing_calls(deco):
    @deco.timer
    def broken():
        time.sleep(0.01)
        raise KeyError("boom")

    with pytest.raises(KeyError):
        broken()
    assert len(broken.timings) == 1 and broken.timings[0] >= 0.008, (
        f"a call that raises is timed too (try/finally): timings = {broken.timings}"
    )


def _flaky(failures, error=ConnectionError):
    calls = []

    def fetch(value):
        calls.append(value)
        if len(calls) <= failures:
            raise error(f"attempt {len(calls)} failed")
        return value * 2

    return fetch, calls


def test_retry_until_success(deco):
    fetch, calls = _flaky(2)
    assert deco.retry(3, ConnectionError)(fetch)(21) == 42
    assert len(calls) == 3, f"2 failures then a success: 3 calls expected, got {len(calls)}"


def test_retry_gives_up_after_times_attempts(deco):
    fetch, calls = _flaky(10)
    with pytest.raises(ConnectionError, match="attempt 4 failed"):
        deco.retry(4, ConnectionError)(fetch)(1)
    assert len(calls) == 4, f"retry(4, ...) should try 4 times in total, it tried {len(calls)}"


def test_retry_only_named_exceptions(deco):
    fetch, calls = _flaky(3, error=KeyError)
    with pytest.raises(KeyError):
        deco.retry(5, (ConnectionError, TimeoutError))(fetch)(1)
    assert len(calls) == 1, (
        f"a KeyError is not in (ConnectionError, TimeoutError): no retry, got {len(calls)} calls"
    )
    fetch, calls = _flaky(2, error=ConnectionRefusedError)  # a subclass of ConnectionError, and of OSError
    assert deco.retry(3, OSError)(fetch)(5) == 10 and len(calls) == 3, (
        "subclasses of the named exceptions are retried"
    )


def test_retry_random_plans(deco):
    rng = random.Random(30)
    for _ in range(40):
        times, failures = rng.randint(1, 5), rng.randint(0, 6)
        fetch, calls = _flaky(failures, error=TimeoutError)
        wrapped = deco.retry(times, TimeoutError)(fetch)
        if failures < times:
            assert wrapped(3) == 6, f"retry({times}) with {failures} failures should succeed"
        else:
            with pytest.raises(TimeoutError):
                wrapped(3)
        assert len(calls) == min(failures + 1, times), (
            f"retry({times}) with {failures} failures: {len(calls)} calls"
        )


def test_retry_default_is_every_exception(deco):
    fetch, calls = _flaky(2, error=ValueError)
    try:
        result = deco.retry(3)(fetch)(4)
    except ValueError as err:
        pytest.fail(f"retry(3) without `exceptions` retries any Exception, but the ValueError {err} escaped")
    assert result == 8 and len(calls) == 3, (
        f"retry(3) without `exceptions`: 2 ValueErrors then a success should take 3 calls, took {len(calls)}"
    )
    fetch, calls = _flaky(5, error=KeyError)
    with pytest.raises(KeyError):
        deco.retry(2)(fetch)(1)
    assert len(calls) == 2, f"retry(2) makes 2 attempts in all, it made {len(calls)}"
    fetch, calls = _flaky(1, error=KeyboardInterrupt)
    with pytest.raises(KeyboardInterrupt):
        deco.retry(3)(fetch)(1)
    assert len(calls) == 1, "KeyboardInterrupt is not an Exception: the default does not retry it"


def test_retry_does_not_wait(deco):
    fetch, calls = _flaky(10, error=TimeoutError)
    start = time.perf_counter()
    with pytest.raises(TimeoutError):
        deco.retry(5, TimeoutError)(fetch)(1)
    elapsed = time.perf_counter() - start
    assert len(calls) == 5 and elapsed < 0.5, (
        f"5 failing attempts took {elapsed:.2f} s: no waiting between attempts (no sleep, no back-off)"
    )


@pytest.mark.parametrize("times", [0, -2])
def test_retry_rejects_bad_times(deco, times):
    with pytest.raises(ValueError):
        deco.retry(times, ValueError)


def test_memoize_counts_hits(deco):
    calls = []

    @deco.memoize
    def square(x):
        calls.append(x)
        return x * x

    assert (square.hits, square.misses) == (0, 0)
    assert [square(3), square(3), square(4), square(3)] == [9, 9, 16, 9]
    assert calls == [3, 4], f"the original should run once per distinct argument, ran for {calls}"
    assert (square.hits, square.misses) == (2, 2), (
        f"hits, misses = {square.hits}, {square.misses}; expected 2, 2"
    )
    square.cache_clear()
    assert (square.hits, square.misses) == (0, 0), "cache_clear() resets the counters"
    assert square(3) == 9 and calls == [3, 4, 3], "after cache_clear() the original runs again"


@pytest.mark.parametrize("falsy", [None, 0, False, "", ()])
def test_memoize_caches_falsy_results(deco, falsy):
    calls = []

    @deco.memoize
    def lookup(key, default=None):
        calls.append(key)
        return falsy

    for _ in range(3):
        assert lookup("k", default=1) == falsy
    assert len(calls) == 1, (
        f"a cached {falsy!r} result was recomputed: {len(calls)} calls (test `key in cache`)"
    )
    assert (lookup.hits, lookup.misses) == (2, 1)


def test_memoize_random_and_separate_caches(deco):
    rng = random.Random(31)
    calls_a, calls_b = [], []

    @deco.memoize
    def a(x, y=0):
        calls_a.append((x, y))
        return x * 10 + y

    @deco.memoize
    def b(x, y=0):
        calls_b.append((x, y))
        return -x

    seen = set()
    for _ in range(200):
        x, y = rng.randint(0, 9), rng.randint(0, 2)
        assert a(x, y=y) == x * 10 + y and b(x) == -x
        seen.add((x, y))
    assert sorted(calls_a) == sorted(seen) and len(calls_a) == len(seen), (
        "each distinct call computes exactly once"
    )
    assert a.misses == len(seen) and a.hits == 200 - len(seen), f"a: hits {a.hits}, misses {a.misses}"
    assert b.misses == len({x for x, _ in seen}) and b.hits + b.misses == 200, (
        "each decorated function has its own cache and counters"
    )


CALLS = hs.lists(
    hs.tuples(hs.one_of(hs.integers(-3, 3), words(1, 2)), hs.sampled_from([None, 0, "x", (1, 2)])),
    max_size=25,
)


@kata_settings(max_examples=60)
@given(calls=CALLS)
def test_memoize_properties(deco, calls):
    """Any sequence of calls: one computation per distinct (args, kwargs), hits + misses = calls."""
    ran = []

    @deco.memoize
    def describe(value, extra=None):
        ran.append((value, extra))
        return None if value == 0 else (value, extra)  # None is a result worth caching too

    distinct = []
    for value, extra in calls:
        got = describe(value) if extra is None else describe(value, extra=extra)
        assert got == (None if value == 0 else (value, extra)), (
            f"describe({value!r}, extra={extra!r}) = {got!r}"
        )
        if (value, extra) not in distinct:
            distinct.append((value, extra))
    assert ran == distinct, f"the original should run once per distinct call, in call order: ran {ran}"
    assert (describe.hits, describe.misses) == (len(calls) - len(distinct), len(distinct)), (
        f"{len(calls)} calls, {len(distinct)} distinct: hits, misses = {describe.hits}, {describe.misses}"
    )
