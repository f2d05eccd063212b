"""q10 · Isolation levels: a non-repeatable read, and a retry after a serialization failure: see README.md."""

from collections.abc import Callable

FILE = "katas/sql/q10_isolation/isolation.py"


def read_twice(url: str, isolation: str, account_id: int, delta: int) -> tuple[int, int]:
    """Read a balance twice in one transaction while another connection commits `balance + delta` between."""
    raise NotImplementedError(f"read_twice: write it in {FILE}")


def add_bonus(
    url: str,
    account_id: int,
    bonus: int,
    on_attempt: Callable[[int], None] | None = None,
    max_attempts: int = 5,
) -> int:
    """Add `bonus` to a balance read in a REPEATABLE READ transaction, retrying on 40001; returns attempts used."""
    raise NotImplementedError(f"add_bonus: write it in {FILE}")
