"""Near miss: checks only that the amount is positive: 10.5 goes through and is rounded into the bigint balances.

q01 · OLTP vs OLAP: an atomic transfer with row locks, and a ROLLUP report (reference solution)."""

import psycopg

# FOR UPDATE locks the rows until the transaction ends; ORDER BY id takes the two locks in the same order in
# every transaction, so opposite transfers (A→B while B→A) cannot deadlock.
LOCK = "SELECT id, balance FROM accounts WHERE id = ANY(%s) ORDER BY id FOR UPDATE"
MOVE = "UPDATE accounts SET balance = balance + %s WHERE id = %s"

REPORT = """
    SELECT region, product, SUM(amount)::bigint AS total
    FROM sales
    GROUP BY ROLLUP (region, product)
    ORDER BY region NULLS LAST, product NULLS LAST
"""


def transfer(conn: psycopg.Connection, src: int, dst: int, amount: int) -> bool:
    """Move `amount` from account `src` to `dst` atomically; False (and no change) when funds are short."""
    if amount <= 0:
        raise ValueError(f"amount must be a positive int, got {amount!r}")
    if src == dst:
        raise ValueError("source and destination are the same account")
    try:
        balances = dict(conn.execute(LOCK, ([src, dst],)).fetchall())
        if src not in balances or dst not in balances:
            raise LookupError(f"unknown account: {src if src not in balances else dst}")
        if balances[src] < amount:
            conn.rollback()
            return False
        conn.execute(MOVE, (-amount, src))
        conn.execute(MOVE, (amount, dst))
        conn.commit()
        return True
    except BaseException:
        conn.rollback()  # never leave the connection inside a failed or half-done transaction
        raise


def sales_report(conn: psycopg.Connection) -> list[tuple]:
    """Totals per (region, product), per region and overall with ROLLUP: (region, product, total) rows."""
    return conn.execute(REPORT).fetchall()
