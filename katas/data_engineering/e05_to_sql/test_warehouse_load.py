"""Hidden-test style checks for data_engineering/e05: to_sql into a real PostgreSQL, read back through SQLAlchemy."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

EXPECTED_TYPES = {
    "order_id": ("bigint", None, None, None),
    "customer": ("character varying", 40, None, None),
    "amount": ("numeric", None, 12, 2),
    "quantity": ("integer", None, 32, 0),
    "ordered_at": ("timestamp with time zone", None, None, None),
    "paid": ("boolean", None, None, None),
}


def make_orders(n: int, seed: int, start_id: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    quantity = pd.array(rng.integers(1, 20, n), dtype="Int64")
    quantity[rng.random(n) < 0.15] = pd.NA
    return pd.DataFrame(
        {
            "order_id": np.arange(start_id, start_id + n, dtype="int64"),
            "customer": [f"customer-{c}" for c in rng.integers(1, 999, n)],
            "amount": rng.uniform(1, 9999, n).round(2),
            "quantity": quantity,
            "ordered_at": pd.Timestamp("2025-01-01", tz="UTC")
            + pd.to_timedelta(rng.integers(0, 10**7, n), "s"),
            "paid": rng.random(n) < 0.7,
        }
    )


@pytest.fixture
def wl(kata):
    return kata.module("warehouse_load")


def column_types(postgres_engine, table: str) -> dict:
    from sqlalchemy import text

    with postgres_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT column_name, data_type, character_maximum_length, numeric_precision, numeric_scale "
                "FROM information_schema.columns WHERE table_name = :t ORDER BY ordinal_position"
            ),
            {"t": table},
        ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def read_back(postgres_engine, table: str) -> pd.DataFrame:
    from sqlalchemy import text

    with postgres_engine.connect() as conn:
        rows = conn.execute(text(f'SELECT * FROM "{table}" ORDER BY order_id')).mappings().all()
    return pd.DataFrame([dict(r) for r in rows])


def check_rows(postgres_engine, table: str, expected: pd.DataFrame) -> None:
    got = read_back(postgres_engine, table)
    assert len(got) == len(expected), f"{table}: {len(got)} rows in the table, expected {len(expected)}"
    exp = expected.sort_values("order_id").reset_index(drop=True)
    assert got["order_id"].tolist() == exp["order_id"].tolist(), f"{table}: order_id values differ"
    assert got["customer"].tolist() == exp["customer"].tolist(), f"{table}: customer values differ"
    assert [Decimal(str(a)) for a in exp["amount"]] == list(got["amount"]), f"{table}: amounts differ"
    want_q = [None if pd.isna(q) else int(q) for q in exp["quantity"]]
    have_q = [
        None if q is None or (isinstance(q, float) and math.isnan(q)) else int(q) for q in got["quantity"]
    ]
    assert have_q == want_q, f"{table}: quantity differs (missing values must be NULL)"
    assert [pd.Timestamp(t) for t in got["ordered_at"]] == list(exp["ordered_at"]), (
        f"{table}: ordered_at differs"
    )
    assert got["paid"].tolist() == exp["paid"].tolist(), f"{table}: paid differs"


def test_column_types_and_rows(wl, postgres_engine):
    orders = make_orders(57, 0)
    count = wl.load_orders(orders, postgres_engine)  # the default table name, "orders"
    assert count == 57, f"load_orders should return the table's row count, 57, got {count!r}"
    types = column_types(postgres_engine, "orders")
    assert list(types) == list(EXPECTED_TYPES), (
        f"columns {list(types)} (no index column), expected {list(EXPECTED_TYPES)}"
    )
    for name, want in EXPECTED_TYPES.items():
        assert types[name][0] == want[0] and types[name][1] == want[1], (
            f"column {name}: {types[name]} expected {want}"
        )
        if want[0] == "numeric":
            assert types[name][2:] == want[2:], f"column {name}: precision/scale {types[name][2:]} != (12, 2)"
    check_rows(postgres_engine, "orders", orders)


@pytest.mark.parametrize(("n", "chunksize"), [(1000, 100), (250, 64), (1000, None)])
def test_inserts_in_chunks(wl, postgres_engine, n, chunksize):
    from sqlalchemy import event

    inserts = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        if statement.lstrip().upper().startswith("INSERT"):
            inserts.append(statement)

    event.listen(postgres_engine, "before_cursor_execute", count)
    try:
        options = {} if chunksize is None else {"chunksize": chunksize}  # None: the default, 500
        wl.load_orders(make_orders(n, 1), postgres_engine, table="chunked", **options)
    finally:
        event.remove(postgres_engine, "before_cursor_execute", count)
    chunksize = chunksize or 500
    assert len(inserts) == math.ceil(n / chunksize), (
        f"{n} rows with chunksize={chunksize} should take {math.ceil(n / chunksize)} INSERT batches, "
        f"took {len(inserts)}"
    )


def test_if_exists_behaviour(wl, postgres_engine):
    from sqlalchemy import text

    first, second = make_orders(30, 2), make_orders(20, 3, start_id=1000)
    wl.load_orders(first, postgres_engine, table="o")
    with pytest.raises(ValueError):
        wl.load_orders(second, postgres_engine, table="o", if_exists="fail")
    assert wl.load_orders(second, postgres_engine, table="o", if_exists="append") == 50, (
        "append adds the rows"
    )
    check_rows(postgres_engine, "o", pd.concat([first, second]))
    with postgres_engine.begin() as conn:
        conn.execute(text('ALTER TABLE "o" ADD PRIMARY KEY (order_id)'))
    assert wl.load_orders(first, postgres_engine, table="o", if_exists="delete_rows") == 30, (
        "delete_rows keeps only the new rows"
    )
    check_rows(postgres_engine, "o", first)
    with postgres_engine.connect() as conn:
        pk = conn.execute(
            text(
                "SELECT count(*) FROM information_schema.table_constraints "
                "WHERE table_name = 'o' AND constraint_type = 'PRIMARY KEY'"
            )
        ).scalar_one()
    assert pk == 1, "delete_rows must keep the table (and its primary key)"
    assert wl.load_orders(second, postgres_engine, table="o", if_exists="replace") == 20
    assert column_types(postgres_engine, "o")["amount"][0] == "numeric", (
        "replace recreates the table: keep the types"
    )
    check_rows(postgres_engine, "o", second)


def test_a_failing_chunk_leaves_the_table_unchanged(wl, postgres_engine):
    base = make_orders(40, 4)
    wl.load_orders(base, postgres_engine, table="t")
    bad = make_orders(300, 5, start_id=500)
    bad.loc[280, "customer"] = "x" * 60  # too long for varchar(40): the last chunk fails in PostgreSQL
    for mode in ("append", "delete_rows"):
        with pytest.raises(Exception):  # noqa: B017 - the driver's error class is the learner's business
            wl.load_orders(bad, postgres_engine, table="t", if_exists=mode, chunksize=50)
        check_rows(postgres_engine, "t", base)


def test_instants_survive_a_non_utc_session(wl, postgres_engine):
    """ordered_at is an instant: whatever the database's session time zone, the same instants come back."""
    from sqlalchemy import text

    with postgres_engine.begin() as conn:
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        conn.execute(text(f"ALTER DATABASE \"{database}\" SET timezone = 'America/Sao_Paulo'"))
    postgres_engine.dispose()  # new sessions run in UTC-03:00
    orders = make_orders(25, 6)
    orders.loc[0, "ordered_at"] = pd.Timestamp("2025-01-01T00:00:00", tz="UTC")  # a new year in UTC only
    assert wl.load_orders(orders, postgres_engine, table="tz_orders") == 25
    check_rows(postgres_engine, "tz_orders", orders)
    with postgres_engine.connect() as conn:
        first = conn.execute(
            text("SELECT ordered_at AT TIME ZONE 'UTC' FROM tz_orders WHERE order_id = 1")
        ).scalar_one()
    assert str(first) == "2025-01-01 00:00:00", (
        f"order 1 was placed at 2025-01-01 00:00 UTC, stored {first} UTC"
    )
