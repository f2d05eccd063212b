"""e04 · Idempotent index creation with psycopg (and CONCURRENTLY): see README.md."""

import psycopg

FILE = "katas/sql/e04_index_psycopg/indexing.py"


def ensure_index(conn: psycopg.Connection, table: str, column: str) -> str:
    """Create the index idx_<table>_<column> if it does not exist yet, commit, and return its name."""
    raise NotImplementedError(f"ensure_index: write it in {FILE}")


def ensure_index_concurrently(url: str, table: str, column: str) -> str:
    """The same with CREATE INDEX CONCURRENTLY, on a connection of its own to `url`; returns the name."""
    raise NotImplementedError(f"ensure_index_concurrently: write it in {FILE}")
