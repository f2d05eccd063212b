"""e03 · Subqueries: above the average, and above the category's average: see README.md."""

import psycopg

FILE = "katas/sql/e03_subqueries/subqueries.py"


def above_average(conn: psycopg.Connection) -> list[int]:
    """Ids of the sales whose amount is greater than the average amount of all sales, ascending."""
    raise NotImplementedError(f"above_average: write it in {FILE}")


def above_category_average(conn: psycopg.Connection) -> list[int]:
    """Ids of the sales whose amount is greater than the average amount of their own category, ascending."""
    raise NotImplementedError(f"above_category_average: write it in {FILE}")
