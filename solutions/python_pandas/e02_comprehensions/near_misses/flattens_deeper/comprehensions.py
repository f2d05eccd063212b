"""Near miss: flatten() recurses into every list, flattening deeper than the one level asked for."""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator


def squares(n: int) -> list[int]:
    """[0, 1, 4, ..., (n-1)**2]; range() of a negative number is simply empty."""
    return [i * i for i in range(n)]


def evens(numbers: Iterable[int]) -> Iterator[int]:
    """A generator expression: nothing is pulled from `numbers` until the caller asks for a value."""
    return (x for x in numbers if x % 2 == 0)


def flatten(nested: Iterable[Iterable]) -> list:
    """The loops read left to right, as if nested: for inner in nested: for item in inner: ..."""
    out = []
    for inner in nested:
        for item in inner:
            out.extend(flatten([item]) if isinstance(item, list) else [item])
    return out


def word_lengths(text: str) -> dict[str, int]:
    """A generator cleans the words lazily; the dict comprehension keeps the first occurrence's position."""
    cleaned = (raw.strip(string.punctuation).lower() for raw in text.split())
    return {word: len(word) for word in cleaned if word}
