"""Reference solution for python_pandas/q01: lists, tuples, sets and dicts at work."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any


def dedupe(items: Iterable[Any], key: Callable[[Any], Hashable] | None = None) -> list:
    """A set remembers what we have seen (O(1) lookups); a list keeps the order."""
    seen: set = set()
    out: list = []
    for item in items:
        marker = item if key is None else key(item)
        if marker not in seen:
            seen.add(marker)
            out.append(item)
    return out


def freeze(value: Any) -> Hashable:
    """Replace every mutable container by its immutable twin, all the way down."""
    if isinstance(value, dict):
        # A frozenset of pairs: equal dicts give equal values whatever their insertion order.
        return frozenset((key, freeze(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)  # order matters for sequences: keep it
    if isinstance(value, set | frozenset):
        return frozenset(freeze(item) for item in value)
    return value


def index_by(records: list[dict], field: str, unique: bool = False) -> dict:
    """Group records by one field; dicts keep the keys in order of first appearance."""
    out: dict = {}
    for record in records:
        key = record[field]
        if unique:
            if key in out:
                raise ValueError(f"duplicate key {key!r} in field {field!r}")
            out[key] = record
        else:
            out.setdefault(key, []).append(record)
    return out


def tags_by(records: list[dict], field: str, tags_field: str = "tags") -> dict:
    """Collect the distinct tags of each key's records in a set."""
    out: dict = {}
    for record in records:
        # set(), not {}: the literal {} is an empty *dict*; Python has no literal for the empty set.
        out.setdefault(record[field], set()).update(record[tags_field])
    return out
