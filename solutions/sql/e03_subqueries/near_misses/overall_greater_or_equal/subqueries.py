"""Near miss: keeps the sales exactly at the overall average (>= instead of >).

e03 · Subqueries: above the average, and above the category's average (reference solution)."""

import psycopg

# The scalar subquery runs once; AVG skips NULL amounts, and `NULL > x` is never true.
ABOVE_AVERAGE = """
    SELECT id
    FROM sales
    WHERE amount >= (SELECT AVG(amount) FROM sales)
    ORDER BY id
"""

# Correlated: the inner query refers to the outer row's category (s.category).
ABOVE_CATEGORY_AVERAGE = """
    SELECT s.id
    FROM sales AS s
    WHERE s.amount > (SELECT AVG(i.amount) FROM sales AS i WHERE i.category = s.category)
    ORDER BY s.id
"""


def above_average(conn: psycopg.Connection) -> list[int]:
    """Ids of the sales whose amount is greater than the average amount of all sales, ascending."""
    return [row[0] for row in conn.execute(ABOVE_AVERAGE)]


def above_category_average(conn: psycopg.Connection) -> list[int]:
    """Ids of the sales whose amount is greater than the average amount of their own category, ascending."""
    return [row[0] for row in conn.execute(ABOVE_CATEGORY_AVERAGE)]
