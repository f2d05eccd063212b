"""Kata python_pandas/q01: lists, tuples, sets and dicts at work. Edit this file."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

FILE = "katas/python_pandas/q01_collections/containers.py"


def dedupe(items: Iterable[Any], key: Callable[[Any], Hashable] | None = None) -> list:
    """Drop duplicates (by item, or by key(item)), keeping the first occurrence and the order."""
    raise NotImplementedError(f"dedupe: write it in {FILE}")


def freeze(value: Any) -> Hashable:
    """A hashable, immutable copy: dict -> frozenset of pairs, list/tuple -> tuple, set -> frozenset."""
    raise NotImplementedError(f"freeze: write it in {FILE}")


def index_by(records: list[dict], field: str, unique: bool = False) -> dict:
    """{record[field]: [records...]}, or {record[field]: record} with unique=True (ValueError on duplicates)."""
    raise NotImplementedError(f"index_by: write it in {FILE}")


def tags_by(records: list[dict], field: str, tags_field: str = "tags") -> dict:
    """{record[field]: set of the tags in record[tags_field] of all its records}; no tags -> set()."""
    raise NotImplementedError(f"tags_by: write it in {FILE}")
