"""Hidden-test style checks for sql/e01: an inner JOIN read into pandas through SQLAlchemy."""

import random
from decimal import Decimal

import pandas as pd
import pytest

from graders.kit.checks import assert_frame_equal

COLUMNS = ["order_id", "customer_name", "country", "amount"]


@pytest.fixture
def join_orders(kata):
    return kata.module("join_orders")


@pytest.fixture
def data(admin):
    """Seeded customers and orders; orders are inserted in shuffled id order (heap order is not id order)."""
    rng = random.Random(501)
    admin.execute("CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, country text NOT NULL)")
    admin.execute(
        "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, "
        "amount numeric(10,2) NOT NULL, ordered_at date NOT NULL)"
    )
    names = ["Alice", "Bob", "O'Brien", "Chen", "Dana", "Émile", "Farah", "Goran"]
    customers = [
        (i, f"{rng.choice(names)} {i}", rng.choice(["FR", "IE", "DE", "JP", "BR"])) for i in range(1, 41)
    ]
    customers.append((41, "O'Brien", "IE"))
    ids = list(range(1, 401))
    rng.shuffle(ids)
    orders = []
    for oid in ids:
        customer = None if rng.random() < 0.1 else rng.randint(1, 41)
        amount = Decimal(rng.randint(100, 50000)) / 100
        if oid % 37 == 0:
            amount = Decimal("100.00")  # ties with the threshold used below
        orders.append((oid, customer, amount, f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
    with admin.cursor() as cur:
        cur.executemany("INSERT INTO customers VALUES (%s, %s, %s)", customers)
        cur.executemany("INSERT INTO orders VALUES (%s, %s, %s, %s)", orders)
    return {c[0]: c for c in customers}, orders


def expected(data, min_amount):
    customers, orders = data
    rows = [
        (oid, customers[cid][1], customers[cid][2], float(amount))
        for oid, cid, amount, _ in orders
        if cid is not None and amount >= Decimal(str(min_amount))
    ]
    rows.sort()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"order_id": "int64", "amount": "float64"})


def test_returns_a_frame_with_the_columns(join_orders, postgres_engine, data):
    got = join_orders.orders_with_customers(postgres_engine, 0.0)
    assert isinstance(got, pd.DataFrame), f"expected a DataFrame, got {type(got).__name__}"
    assert list(got.columns) == COLUMNS, f"columns {list(got.columns)} != {COLUMNS}"


@pytest.mark.parametrize("min_amount", [0.0, 100.0, 250.5, 480.0])
def test_exact_rows(join_orders, postgres_engine, data, min_amount):
    got = join_orders.orders_with_customers(postgres_engine, min_amount)
    want = expected(data, min_amount)
    assert len(want) > 0
    assert_frame_equal(
        got,
        want,
        where=f"orders_with_customers(engine, {min_amount})",
        check_dtype=False,
    )
    assert str(got["order_id"].dtype) == "int64", f"order_id dtype {got['order_id'].dtype}, expected int64"
    assert str(got["amount"].dtype) == "float64", f"amount dtype {got['amount'].dtype}, expected float64"
    for column in ("customer_name", "country"):
        assert pd.api.types.is_string_dtype(got[column]), f"{column} dtype {got[column].dtype}, expected str"
    assert list(got.index) == list(range(len(got))), "the index should be the default 0..n-1"


def test_orders_without_customer_are_left_out(join_orders, postgres_engine, data):
    got = join_orders.orders_with_customers(postgres_engine, 0.0)
    orphans = {oid for oid, cid, _, _ in data[1] if cid is None}
    leaked = orphans & set(got["order_id"].tolist())
    assert not leaked, f"orders without a customer must not appear (inner join): {sorted(leaked)[:5]}"


def test_threshold_beyond_every_amount_gives_an_empty_frame(join_orders, postgres_engine, data):
    got = join_orders.orders_with_customers(postgres_engine, 10_000.0)
    assert isinstance(got, pd.DataFrame) and len(got) == 0, f"expected no rows, got {len(got)}"
    assert list(got.columns) == COLUMNS
