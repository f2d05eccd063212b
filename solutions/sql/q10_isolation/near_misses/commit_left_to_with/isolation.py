"""Near miss: leaves the commit to `with psycopg.connect(...)`: it commits when the block ends, outside the
retry loop, so a serialization failure raised by the COMMIT escapes instead of being retried.

q10 · Isolation levels: what PostgreSQL really prevents, and retries after serialization failures (reference solution)."""

from collections.abc import Callable

import psycopg
from psycopg import IsolationLevel

LEVELS = {
    "READ UNCOMMITTED": IsolationLevel.READ_UNCOMMITTED,  # PostgreSQL runs it as READ COMMITTED
    "READ COMMITTED": IsolationLevel.READ_COMMITTED,
    "REPEATABLE READ": IsolationLevel.REPEATABLE_READ,
    "SERIALIZABLE": IsolationLevel.SERIALIZABLE,
}
READ = "SELECT balance FROM accounts WHERE id = %s"
COUNT = "SELECT count(*) FROM accounts WHERE balance >= %s"


def _level(isolation: str) -> IsolationLevel:
    if isolation not in LEVELS:
        raise ValueError(f"isolation must be one of {sorted(LEVELS)}, got {isolation!r}")
    return LEVELS[isolation]


def read_twice(url: str, isolation: str, account_id: int, delta: int) -> tuple[int, int]:
    """Read a balance twice in one transaction while another connection commits `balance + delta` between."""
    level = _level(isolation)
    with psycopg.connect(url) as reader, psycopg.connect(url, autocommit=True) as writer:
        reader.isolation_level = level  # applies to the transactions this connection starts
        first = reader.execute(READ, (account_id,)).fetchone()[
            0
        ]  # the transaction (and its snapshot) starts here
        writer.execute("UPDATE accounts SET balance = balance + %s WHERE id = %s", (delta, account_id))
        second = reader.execute(READ, (account_id,)).fetchone()[0]
        reader.commit()
    return first, second


def dirty_read(url: str, isolation: str, account_id: int, delta: int) -> int:
    """What a reader at `isolation` sees of a balance another transaction has changed but not committed."""
    level = _level(isolation)
    with psycopg.connect(url) as reader, psycopg.connect(url) as writer:
        reader.isolation_level = level
        writer.execute("UPDATE accounts SET balance = balance + %s WHERE id = %s", (delta, account_id))
        seen = reader.execute(READ, (account_id,)).fetchone()[0]  # never the uncommitted value in PostgreSQL
        reader.commit()
        writer.rollback()
    return seen


def count_twice(url: str, isolation: str, min_balance: int, new_id: int, new_balance: int) -> tuple[int, int]:
    """Count the accounts with balance >= min_balance twice while another connection inserts one and commits."""
    level = _level(isolation)
    with psycopg.connect(url) as reader, psycopg.connect(url, autocommit=True) as writer:
        reader.isolation_level = level
        first = reader.execute(COUNT, (min_balance,)).fetchone()[0]
        writer.execute("INSERT INTO accounts (id, balance) VALUES (%s, %s)", (new_id, new_balance))
        second = reader.execute(COUNT, (min_balance,)).fetchone()[0]  # a phantom row, or the same snapshot
        reader.commit()
    return first, second


def _with_retries(
    url: str,
    level: IsolationLevel,
    body: Callable[[psycopg.Connection, int], object],
    max_attempts: int,
):
    """Run body(conn, attempt) in a transaction at `level`, committing; retry the whole of it on 40001 only."""
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    with psycopg.connect(url) as conn:
        conn.isolation_level = level
        for attempt in range(1, max_attempts + 1):
            try:
                result = body(conn, attempt)
                return result
            except psycopg.errors.SerializationFailure:
                conn.rollback()  # the whole transaction is retried, with a fresh snapshot
                if attempt == max_attempts:
                    raise
            except BaseException:
                conn.rollback()
                raise
    raise AssertionError("unreachable")


def add_bonus(
    url: str,
    account_id: int,
    bonus: int,
    on_attempt: Callable[[int], None] | None = None,
    max_attempts: int = 5,
) -> int:
    """Add `bonus` to a balance read in a REPEATABLE READ transaction, retrying on 40001; returns attempts used."""

    def body(conn: psycopg.Connection, attempt: int) -> int:
        current = conn.execute(READ, (account_id,)).fetchone()[0]
        if on_attempt is not None:
            on_attempt(attempt)
        # Someone changed the row after our snapshot? Then this UPDATE raises 40001 instead of losing it.
        conn.execute("UPDATE accounts SET balance = %s WHERE id = %s", (current + bonus, account_id))
        return attempt

    return _with_retries(url, IsolationLevel.REPEATABLE_READ, body, max_attempts)


def go_off_call(
    url: str,
    isolation: str,
    doctor_id: int,
    on_attempt: Callable[[int], None] | None = None,
    max_attempts: int = 5,
) -> bool:
    """Take a doctor off call if another doctor of the same shift stays on call; retry on 40001."""
    level = _level(isolation)

    def body(conn: psycopg.Connection, attempt: int) -> bool:
        on_call, others = conn.execute(
            """
            SELECT me.on_call, count(other.id)
            FROM doctors AS me
            LEFT JOIN doctors AS other
                   ON other.shift = me.shift AND other.on_call AND other.id <> me.id
            WHERE me.id = %s
            GROUP BY me.on_call
            """,
            (doctor_id,),
        ).fetchone()
        if on_attempt is not None:
            on_attempt(attempt)
        if not on_call or others < 1:
            return False  # nobody else would be left on call: refuse
        # The check read other rows than the one written: only SERIALIZABLE notices a concurrent change to them.
        conn.execute("UPDATE doctors SET on_call = false WHERE id = %s", (doctor_id,))
        return True

    return _with_retries(url, level, body, max_attempts)
