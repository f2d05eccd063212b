"""Hidden-test style checks for sql/e02: top-N per category with ROW_NUMBER and with RANK (ties)."""

import random
from decimal import Decimal
from itertools import groupby

import pytest

from graders.kit.sql_checks import assert_rows_equal


@pytest.fixture
def top_n(kata):
    return kata.module("top_n")


def _seed(admin, products):
    admin.execute(
        "CREATE TABLE products (id int PRIMARY KEY, category text NOT NULL, name text NOT NULL, "
        "price numeric(8,2) NOT NULL)"
    )
    with admin.cursor() as cur:
        cur.executemany("INSERT INTO products VALUES (%s, %s, %s, %s)", products)


@pytest.fixture
def products(admin):
    rng = random.Random(502)
    rows = []
    ids = list(range(1, 301))
    rng.shuffle(ids)
    for pid in ids:
        category = rng.choice(["books", "games", "garden", "music", "tools", "toys"])
        price = (
            Decimal(rng.choice([5, 10, 10, 20, 20, 20, 35, 50, 50, 80]) * 100 + rng.choice([0, 0, 99])) / 100
        )
        rows.append((pid, category, f"item {pid}", price))
    rows.append((1001, "single", "lonely", Decimal("9.99")))  # a category smaller than n
    _seed(admin, rows)
    return rows


def reference(products, n, *, ties):
    out = []
    ordered = sorted(products, key=lambda r: (r[1], -r[3], r[0]))
    for category, group in groupby(ordered, key=lambda r: r[1]):
        group = list(group)
        for position, (pid, _, _, price) in enumerate(group, start=1):
            rank = 1 + sum(1 for other in group if other[3] > price) if ties else position
            if rank <= n:
                out.append((category, pid, price, rank))
    return out


def test_readme_example(top_n, admin):
    _seed(
        admin,
        [
            (4, "books", "d", Decimal("10")),
            (3, "books", "c", Decimal("20")),
            (2, "books", "b", Decimal("20")),
            (1, "books", "a", Decimal("30")),
        ],
    )
    assert_rows_equal(
        top_n.top_n_per_category(admin, 2),
        [("books", 1, Decimal("30.00"), 1), ("books", 2, Decimal("20.00"), 2)],
        where="top_n_per_category(conn, 2)",
    )
    three = [
        ("books", 1, Decimal("30.00"), 1),
        ("books", 2, Decimal("20.00"), 2),
        ("books", 3, Decimal("20.00"), 2),
    ]
    assert_rows_equal(top_n.top_n_with_ties(admin, 2), three, where="top_n_with_ties(conn, 2)")
    assert_rows_equal(top_n.top_n_with_ties(admin, 3), three, where="top_n_with_ties(conn, 3)")


@pytest.mark.parametrize("n", [1, 3, 5])
def test_top_n_per_category(top_n, admin, products, n):
    got = top_n.top_n_per_category(admin, n)
    assert isinstance(got, list), f"expected a list of tuples, got {type(got).__name__}"
    assert_rows_equal(got, reference(products, n, ties=False), where=f"top_n_per_category(conn, {n})")


@pytest.mark.parametrize("n", [1, 2, 4])
def test_top_n_with_ties(top_n, admin, products, n):
    got = top_n.top_n_with_ties(admin, n)
    assert isinstance(got, list), f"expected a list of tuples, got {type(got).__name__}"
    assert_rows_equal(got, reference(products, n, ties=True), where=f"top_n_with_ties(conn, {n})")
