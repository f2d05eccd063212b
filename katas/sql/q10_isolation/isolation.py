"""q10 · Isolation levels: what PostgreSQL really prevents, and retries after serialization failures: see README.md."""

from collections.abc import Callable

FILE = "katas/sql/q10_isolation/isolation.py"


def read_twice(url: str, isolation: str, account_id: int, delta: int) -> tuple[int, int]:
    """Read a balance twice in one transaction while another connection commits `balance + delta` between."""
    raise NotImplementedError(f"read_twice: write it in {FILE}")


def dirty_read(url: str, isolation: str, account_id: int, delta: int) -> int:
    """What a reader at `isolation` sees of a balance another transaction has changed but not committed."""
    raise NotImplementedError(f"dirty_read: write it in {FILE}")


def count_twice(url: str, isolation: str, min_balance: int, new_id: int, new_balance: int) -> tuple[int, int]:
    """Count the accounts with balance >= min_balance twice while another connection inserts one and commits."""
    raise NotImplementedError(f"count_twice: write it in {FILE}")


def add_bonus(
    url: str,
    account_id: int,
    bonus: int,
    on_attempt: Callable[[int], None] | None = None,
    max_attempts: int = 5,
) -> int:
    """Add `bonus` to a balance read in a REPEATABLE READ transaction, retrying on 40001; returns attempts used."""
    raise NotImplementedError(f"add_bonus: write it in {FILE}")


def go_off_call(
    url: str,
    isolation: str,
    doctor_id: int,
    on_attempt: Callable[[int], None] | None = None,
    max_attempts: int = 5,
) -> bool:
    """Take a doctor off call if another doctor of the same shift stays on call; retry on 40001."""
    raise NotImplementedError(f"go_off_call: write it in {FILE}")
