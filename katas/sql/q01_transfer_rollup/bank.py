"""q01 · OLTP vs OLAP: an atomic transfer with row locks, and a ROLLUP report: see README.md."""

import psycopg

FILE = "katas/sql/q01_transfer_rollup/bank.py"


def transfer(conn: psycopg.Connection, src: int, dst: int, amount: int) -> bool:
    """Move `amount` from account `src` to `dst` atomically; False (and no change) when funds are short."""
    raise NotImplementedError(f"transfer: write it in {FILE}")


def sales_report(conn: psycopg.Connection) -> list[tuple]:
    """Totals per (region, product), per region and overall with ROLLUP: (region, product, total) rows."""
    raise NotImplementedError(f"sales_report: write it in {FILE}")
