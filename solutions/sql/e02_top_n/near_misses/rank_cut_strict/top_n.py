"""Near miss: keeps the ranks below n (< instead of <=): one row short in every category.

e02 · Top-N per category with ROW_NUMBER, and with ties (reference solution)."""

import psycopg

# A window function is evaluated after WHERE, so number the rows in a subquery and filter outside it.
# `id` breaks price ties: without it ROW_NUMBER's choice among equal prices is arbitrary.
TOP_N = """
    SELECT category, id, price, rn
    FROM (
        SELECT category, id, price,
               ROW_NUMBER() OVER (PARTITION BY category ORDER BY price DESC, id) AS rn
        FROM products
    ) AS numbered
    WHERE rn < %s
    ORDER BY category, rn
"""

# RANK gives equal prices the same number and skips the next ones (1, 2, 2, 4): every tie at the cut is kept.
TOP_N_WITH_TIES = """
    SELECT category, id, price, rnk
    FROM (
        SELECT category, id, price,
               RANK() OVER (PARTITION BY category ORDER BY price DESC) AS rnk
        FROM products
    ) AS ranked
    WHERE rnk <= %s
    ORDER BY category, rnk, id
"""


def top_n_per_category(conn: psycopg.Connection, n: int) -> list[tuple]:
    """The n most expensive products of each category: (category, id, price, rank), ties broken by id."""
    return conn.execute(TOP_N, (n,)).fetchall()


def top_n_with_ties(conn: psycopg.Connection, n: int) -> list[tuple]:
    """Every product whose RANK() by price within its category is <= n: (category, id, price, rank)."""
    return conn.execute(TOP_N_WITH_TIES, (n,)).fetchall()
