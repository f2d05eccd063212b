"""e02 · Top-N per category with ROW_NUMBER, and with ties: see README.md."""

import psycopg

FILE = "katas/sql/e02_top_n/top_n.py"


def top_n_per_category(conn: psycopg.Connection, n: int) -> list[tuple]:
    """The n most expensive products of each category: (category, id, price, rank), ties broken by id."""
    raise NotImplementedError(f"top_n_per_category: write it in {FILE}")


def top_n_with_ties(conn: psycopg.Connection, n: int) -> list[tuple]:
    """Every product whose RANK() by price within its category is <= n: (category, id, price, rank)."""
    raise NotImplementedError(f"top_n_with_ties: write it in {FILE}")
