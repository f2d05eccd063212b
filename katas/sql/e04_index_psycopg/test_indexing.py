"""Hidden-test style checks for sql/e04: idempotent index creation with psycopg 3."""

import psycopg
import pytest

from graders.kit.sql_checks import explain, walk


@pytest.fixture
def indexing(kata):
    return kata.module("indexing")


@pytest.fixture
def tables(admin):
    admin.execute(
        "CREATE TABLE \"order\" AS SELECT g AS id, DATE '2024-01-01' + (g % 366) AS placed_on, g % 97 AS qty "
        "FROM generate_series(1, 60000) AS g"
    )
    admin.execute(
        "CREATE TABLE sales AS SELECT g AS id, DATE '2023-01-01' + (g % 700) AS sale_date, (g % 1000) / 10.0 AS amount "
        "FROM generate_series(1, 60000) AS g"
    )
    return admin


def indexes_on(conn, table, column):
    rows = conn.execute(
        """
        SELECT i.relname, x.indisvalid
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (x.indkey)
        WHERE t.relname = %s AND a.attname = %s
        """,
        (table, column),
    ).fetchall()
    return rows


def access_method(conn, name):
    row = conn.execute(
        "SELECT am.amname FROM pg_class i JOIN pg_am am ON am.oid = i.relam WHERE i.relname = %s", (name,)
    ).fetchone()
    return row and row[0]


def again(function, *args):
    """The second call of an index function: it must be a no-op, not an error."""
    try:
        return function(*args)
    except psycopg.errors.DuplicateTable as exc:
        raise AssertionError(
            f"the second {function.__name__}{args[1:]} failed: {str(exc).strip()} (IF NOT EXISTS makes it a no-op)"
        ) from exc


def uses_index(conn, query, name):
    conn.execute("ANALYZE")
    plan = explain(conn, query, analyze=False)
    return any(node.get("Index Name") == name for node in walk(plan))


def test_ensure_index_is_idempotent_and_committed(indexing, postgres_url, tables):
    conn = psycopg.connect(postgres_url)  # not autocommit: the learner must commit
    try:
        first = indexing.ensure_index(conn, "order", "placed_on")
        second = again(indexing.ensure_index, conn, "order", "placed_on")
        # Seen from another connection while the learner's is still open: only a commit makes it visible.
        found = indexes_on(tables, "order", "placed_on")
    finally:
        conn.rollback()
        conn.close()
    assert first == second == "idx_order_placed_on", f"returned {first!r}, {second!r}"
    assert found == [("idx_order_placed_on", True)], (
        f"indexes on order(placed_on) seen by another session: {found} (was the index committed?)"
    )
    method = access_method(tables, "idx_order_placed_on")
    assert method == "btree", f"idx_order_placed_on is a {method} index, expected a b-tree"


def test_planner_uses_the_index(indexing, postgres_url, tables):
    with psycopg.connect(postgres_url) as conn:
        name = indexing.ensure_index(conn, "order", "placed_on")
    assert uses_index(tables, "SELECT * FROM \"order\" WHERE placed_on = DATE '2024-03-01'", name), (
        f"EXPLAIN does not use {name} for an equality lookup on placed_on"
    )


def test_ensure_index_on_another_table(indexing, postgres_url, tables):
    with psycopg.connect(postgres_url) as conn:
        assert indexing.ensure_index(conn, "sales", "amount") == "idx_sales_amount"
    assert indexes_on(tables, "sales", "amount") == [("idx_sales_amount", True)]
    assert indexes_on(tables, "order", "placed_on") == [], "only the requested index should be created"


def test_ensure_index_concurrently(indexing, postgres_url, tables):
    first = indexing.ensure_index_concurrently(postgres_url, "sales", "sale_date")
    second = again(indexing.ensure_index_concurrently, postgres_url, "sales", "sale_date")
    assert first == second == "idx_sales_sale_date", f"returned {first!r}, {second!r}"
    found = indexes_on(tables, "sales", "sale_date")
    assert found == [("idx_sales_sale_date", True)], f"indexes on sales(sale_date): {found}"
    method = access_method(tables, "idx_sales_sale_date")
    assert method == "btree", f"idx_sales_sale_date is a {method} index, expected a b-tree"
    assert uses_index(tables, "SELECT * FROM sales WHERE sale_date = DATE '2023-05-05'", first)


def test_ensure_index_concurrently_on_a_keyword_table(indexing, postgres_url, tables):
    assert indexing.ensure_index_concurrently(postgres_url, "order", "qty") == "idx_order_qty"
    assert indexes_on(tables, "order", "qty") == [("idx_order_qty", True)]
