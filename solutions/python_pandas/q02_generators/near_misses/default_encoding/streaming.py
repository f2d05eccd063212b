"""Near miss: read_lines opens the file in the machine's default encoding instead of UTF-8."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

HEADER = "user,amount"


def read_lines(path: str | Path) -> Iterator[str]:
    """A generator function: open() runs at the first next(), and `with` closes the file at the end."""
    with open(path) as handle:
        for line in handle:  # a file object reads a buffer at a time, never the whole file
            yield line.rstrip("\r\n")


def parse_records(lines: Iterable[str]) -> Iterator[tuple[str, float]]:
    """One line in, at most one record out: nothing is stored."""
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped == HEADER:
            continue
        user, _, amount = stripped.partition(",")
        yield user.strip(), float(amount)


def large_only(records: Iterable[tuple[str, float]], threshold: float) -> Iterator[tuple[str, float]]:
    """A generator expression is the one-line version of a filtering generator function."""
    return (record for record in records if record[1] >= threshold)


def total_by_user(path: str | Path, threshold: float = 0.0) -> dict[str, float]:
    """Chain the stages; memory holds one total per user, whatever the size of the file."""
    totals: dict[str, float] = {}
    for user, amount in large_only(parse_records(read_lines(path)), threshold):
        totals[user] = totals.get(user, 0.0) + amount
    return totals
