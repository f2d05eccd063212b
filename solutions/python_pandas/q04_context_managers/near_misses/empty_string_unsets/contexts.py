"""Near miss: temp_env unsets a variable whose value is "" as if it were None."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Commit on success; on error roll back and re-raise."""
    try:
        yield conn  # the block's exception, if any, is raised right here
    except BaseException:
        conn.rollback()
        raise  # a bare raise re-raises the same exception with its traceback
    else:
        conn.commit()


@contextmanager
def temp_env(**variables: str | None) -> Iterator[None]:
    """Set or unset environment variables for the block, then restore them exactly."""
    saved = {name: os.environ.get(name) for name in variables}  # None: did not exist
    try:
        for name, value in variables.items():
            if not value:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:  # on success and on exceptions alike
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)  # it did not exist before: remove it, do not set it to ""
            else:
                os.environ[name] = old


class timer:  # noqa: N801 - used like a function: `with timer() as t`
    """The class form of a context manager: __enter__ gives the `as` value, __exit__ always runs."""

    def __init__(self) -> None:
        self.elapsed: float | None = None
        self._start = 0.0

    def __enter__(self) -> timer:
        self._start = time.perf_counter()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.elapsed = time.perf_counter() - self._start
        return False  # a true value would swallow the block's exception
