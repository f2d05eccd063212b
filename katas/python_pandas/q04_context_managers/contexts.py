"""Kata python_pandas/q04: three context managers. Edit this file."""

from __future__ import annotations

import sqlite3

FILE = "katas/python_pandas/q04_context_managers/contexts.py"


def transaction(conn: sqlite3.Connection):
    """`with transaction(conn) as c:` commits on success, rolls back and re-raises on error."""
    raise NotImplementedError(f"transaction: write it in {FILE}")


def temp_env(**variables: str | None):
    """Set (or, with None, unset) environment variables for the block; restore them exactly afterwards."""
    raise NotImplementedError(f"temp_env: write it in {FILE}")


def timer():
    """`with timer() as t:` sets t.elapsed (seconds) on exit, even when the block raises."""
    raise NotImplementedError(f"timer: write it in {FILE}")
