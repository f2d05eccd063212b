"""Assertions shared by many katas. Each failure message says what differs and where."""

from __future__ import annotations

import math
from typing import Any


def assert_typed_equal(actual: Any, expected: Any, where: str = "value") -> None:
    """Equal values of exactly the same types, recursively (True is not 1, 1.0 is not 1)."""
    assert type(actual) is type(expected), (
        f"{where}: expected {expected!r} ({type(expected).__name__}), got {actual!r} ({type(actual).__name__})"
    )
    if isinstance(expected, dict):
        assert list(actual) == list(expected), f"{where}: keys {list(actual)} != expected {list(expected)}"
        for key in expected:
            assert_typed_equal(actual[key], expected[key], f"{where}[{key!r}]")
    elif isinstance(expected, list | tuple):
        assert len(actual) == len(expected), f"{where}: length {len(actual)} != expected {len(expected)}"
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_typed_equal(a, e, f"{where}[{index}]")
    elif isinstance(expected, float):
        assert math.isclose(actual, expected, rel_tol=1e-12, abs_tol=0.0) or (
            math.isnan(actual) and math.isnan(expected)
        ), f"{where}: expected {expected!r}, got {actual!r}"
    else:
        assert actual == expected, f"{where}: expected {expected!r}, got {actual!r}"


def assert_frame_equal(actual, expected, *, where: str = "result", **options) -> None:
    """pandas' frame comparison with the kata's context in front of pandas' own message."""
    import pandas as pd

    assert isinstance(actual, pd.DataFrame), f"{where}: expected a DataFrame, got {type(actual).__name__}"
    try:
        pd.testing.assert_frame_equal(actual, expected, **options)
    except AssertionError as exc:
        raise AssertionError(f"{where} differs from the expected frame:\n{exc}") from None


class CountingIterator:
    """Wraps an iterator, counts the items pulled, and refuses to be drained far ahead: a laziness probe."""

    def __init__(self, source, limit: int = 10_000):
        self.source = iter(source)
        self.pulls = 0
        self.limit = limit

    def __iter__(self):
        return self

    def __next__(self):
        self.pulls += 1
        if self.pulls > self.limit:
            raise RuntimeError(
                f"more than {self.limit} items were pulled from an endless iterator: the function is not "
                "lazy (it builds a list, or calls list()/sorted() on its input)"
            )
        return next(self.source)
