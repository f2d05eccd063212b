"""Kata python_pandas/q02: a streaming generator pipeline over a large file. Edit this file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

FILE = "katas/python_pandas/q02_generators/streaming.py"


def read_lines(path: str | Path) -> Iterator[str]:
    """Yield the file's lines without line endings, lazily (the file opens at the first next())."""
    raise NotImplementedError(f"read_lines: write it in {FILE}")


def parse_records(lines: Iterable[str]) -> Iterator[tuple[str, float]]:
    """Yield (user, amount) for each data line; skip blanks, '#' comments and the 'user,amount' header."""
    raise NotImplementedError(f"parse_records: write it in {FILE}")


def large_only(records: Iterable[tuple[str, float]], threshold: float) -> Iterator[tuple[str, float]]:
    """Yield the records with amount >= threshold."""
    raise NotImplementedError(f"large_only: write it in {FILE}")


def total_by_user(path: str | Path, threshold: float = 0.0) -> dict[str, float]:
    """{user: sum of kept amounts}, streaming: only the totals stay in memory."""
    raise NotImplementedError(f"total_by_user: write it in {FILE}")
