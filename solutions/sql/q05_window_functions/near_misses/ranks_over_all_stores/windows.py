"""Near miss: ranks the amounts over all stores together instead of within each store.

q05 · Window functions: running total, 7-row moving average, rank vs dense_rank, lag (reference solution)."""

import psycopg

QUERY = """
    SELECT store, day, amount,
           -- default frame with ORDER BY: from the partition's start up to the current row
           SUM(amount) OVER by_day                                          AS running_total,
           -- 7 rows, not 7 days: RANGE would count calendar days and some are missing
           (AVG(amount) OVER (by_day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW))::float8 AS moving_avg_7,
           RANK()       OVER by_amount                                      AS rank,
           DENSE_RANK() OVER by_amount                                      AS dense_rank,
           amount - LAG(amount) OVER by_day                                 AS delta
    FROM daily_sales
    WINDOW by_day    AS (PARTITION BY store ORDER BY day),
           by_amount AS (ORDER BY amount DESC)
    ORDER BY store, day
"""


def sales_windows(conn: psycopg.Connection) -> list[tuple]:
    """(store, day, amount, running_total, moving_avg_7, rank, dense_rank, delta) per row of daily_sales."""
    # SUM over int gives bigint, RANK gives bigint: psycopg returns Python ints for both.
    return conn.execute(QUERY).fetchall()
