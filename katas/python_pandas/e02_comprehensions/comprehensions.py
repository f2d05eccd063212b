"""Kata python_pandas/e02: list, dict and generator comprehensions. Edit this file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

FILE = "katas/python_pandas/e02_comprehensions/comprehensions.py"


def squares(n: int) -> list[int]:
    """[0, 1, 4, ..., (n-1)**2]; [] when n <= 0."""
    raise NotImplementedError(f"squares: write it in {FILE}")


def evens(numbers: Iterable[int]) -> Iterator[int]:
    """The even numbers of `numbers`, lazily (a generator; works on endless iterators)."""
    raise NotImplementedError(f"evens: write it in {FILE}")


def flatten(nested: Iterable[Iterable]) -> list:
    """Remove one level of nesting: [[1, 2], [], [3]] -> [1, 2, 3]."""
    raise NotImplementedError(f"flatten: write it in {FILE}")


def word_lengths(text: str) -> dict[str, int]:
    """{word: len(word)} for the distinct cleaned words (punctuation stripped, lowercased), in first-seen order."""
    raise NotImplementedError(f"word_lengths: write it in {FILE}")
