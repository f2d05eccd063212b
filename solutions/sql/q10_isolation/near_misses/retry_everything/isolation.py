"""Near miss: retries on any exception, not only serialization failures.

q10 · Isolation levels: a non-repeatable read, and a retry after a serialization failure (reference solution)."""

from collections.abc import Callable

import psycopg
from psycopg import IsolationLevel

LEVELS = {"READ COMMITTED": IsolationLevel.READ_COMMITTED, "REPEATABLE READ": IsolationLevel.REPEATABLE_READ}
READ = "SELECT balance FROM accounts WHERE id = %s"


def read_twice(url: str, isolation: str, account_id: int, delta: int) -> tuple[int, int]:
    """Read a balance twice in one transaction while another connection commits `balance + delta` between."""
    if isolation not in LEVELS:
        raise ValueError(f"isolation must be one of {sorted(LEVELS)}, got {isolation!r}")
    with psycopg.connect(url) as reader, psycopg.connect(url, autocommit=True) as writer:
        reader.isolation_level = LEVELS[isolation]  # applies to the transactions this connection starts
        first = reader.execute(READ, (account_id,)).fetchone()[
            0
        ]  # the transaction (and its snapshot) starts here
        writer.execute("UPDATE accounts SET balance = balance + %s WHERE id = %s", (delta, account_id))
        second = reader.execute(READ, (account_id,)).fetchone()[0]
        reader.commit()
    return first, second


def add_bonus(
    url: str,
    account_id: int,
    bonus: int,
    on_attempt: Callable[[int], None] | None = None,
    max_attempts: int = 5,
) -> int:
    """Add `bonus` to a balance read in a REPEATABLE READ transaction, retrying on 40001; returns attempts used."""
    with psycopg.connect(url) as conn:
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        for attempt in range(1, max_attempts + 1):
            try:
                current = conn.execute(READ, (account_id,)).fetchone()[0]
                if on_attempt is not None:
                    on_attempt(attempt)
                # Someone changed the row after our snapshot? Then this UPDATE raises 40001 instead of losing it.
                conn.execute("UPDATE accounts SET balance = %s WHERE id = %s", (current + bonus, account_id))
                conn.commit()
                return attempt
            except Exception:
                conn.rollback()  # the whole transaction is retried, with a fresh snapshot
                if attempt == max_attempts:
                    raise
            except BaseException:
                conn.rollback()
                raise
    raise ValueError("max_attempts must be at least 1")
