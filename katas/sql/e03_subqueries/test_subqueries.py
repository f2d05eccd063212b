"""Hidden-test style checks for sql/e03: scalar and correlated subqueries."""

import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.checks import assert_typed_equal
from graders.kit.strategies import kata_settings


@pytest.fixture
def subqueries(kata):
    return kata.module("subqueries")


def _seed(admin, rows):
    admin.execute("DROP TABLE IF EXISTS sales")
    admin.execute(
        "CREATE TABLE sales (id int PRIMARY KEY, region text NOT NULL, category text NOT NULL, amount numeric(10,2))"
    )
    with admin.cursor() as cur:
        cur.executemany("INSERT INTO sales VALUES (%s, %s, %s, %s)", rows)


def _avg(values):
    known = [v for v in values if v is not None]
    return sum(known) / len(known)


def reference(rows, *, per_category):
    out = []
    for sid, _, category, amount in rows:
        group = [r[3] for r in rows if r[2] == category] if per_category else [r[3] for r in rows]
        if amount is not None and amount > _avg(group):
            out.append(sid)
    return sorted(out)


@pytest.fixture
def sales(admin):
    rng = random.Random(503)
    rows = []
    for sid in rng.sample(range(1, 2000), 400):
        amount = None if rng.random() < 0.08 else Decimal(rng.randint(100, 90000)) / 100
        rows.append(
            (sid, rng.choice(["north", "south", "east"]), rng.choice(["a", "b", "c", "d", "e"]), amount)
        )
    # category 'z': amounts 10, 20, 30 → average exactly 20: the 20 is not above it
    rows += [
        (5001, "north", "z", Decimal("10")),
        (5002, "south", "z", Decimal("20")),
        (5003, "east", "z", Decimal("30")),
    ]
    _seed(admin, rows)
    return rows


def test_readme_example(subqueries, admin):
    _seed(
        admin,
        [(1, "n", "a", 10), (2, "n", "a", 30), (3, "s", "b", 100), (4, "s", "b", None), (5, "s", "b", 50)],
    )
    assert_typed_equal(subqueries.above_average(admin), [3, 5], "above_average(conn)")
    assert_typed_equal(subqueries.above_category_average(admin), [2, 3], "above_category_average(conn)")


def test_amounts_exactly_at_the_average(subqueries, admin):
    # Overall: 10, 20, 30, 20, 20 and a NULL average exactly 20; category 'b' (30, NULL) averages 30, 'a' 17.5.
    _seed(
        admin,
        [
            (1, "n", "a", 10),
            (2, "n", "a", 20),
            (3, "s", "b", 30),
            (4, "s", "b", None),
            (5, "e", "a", 20),
            (6, "e", "a", 20),
        ],
    )
    assert_typed_equal(
        subqueries.above_average(admin), [3], "above_average(conn) with amounts at the average"
    )
    assert_typed_equal(
        subqueries.above_category_average(admin), [2, 5, 6], "above_category_average(conn) with a NULL in 'b'"
    )


def test_above_average(subqueries, admin, sales):
    assert_typed_equal(
        subqueries.above_average(admin), reference(sales, per_category=False), "above_average(conn)"
    )


def test_above_category_average(subqueries, admin, sales):
    got = subqueries.above_category_average(admin)
    want = reference(sales, per_category=True)
    assert isinstance(got, list), f"expected a list of ids, got {type(got).__name__}"
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    assert not missing and not extra, (
        f"above_category_average: missing ids {missing[:8]}, unexpected ids {extra[:8]}"
    )
    assert_typed_equal(got, want, "above_category_average(conn)")


_AMOUNTS = st.one_of(
    st.none(),
    st.sampled_from([Decimal("10.00"), Decimal("20.00"), Decimal("30.00"), Decimal("0.00")]),  # ties
    st.integers(-5000, 5000).map(lambda cents: Decimal(cents) / 100),
)


@kata_settings(max_examples=40)
@given(
    cells=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), _AMOUNTS), max_size=8),
)
def test_arbitrary_tables(subqueries, admin, cells):
    """An empty table, one row, every amount NULL, negative amounts, amounts exactly at an average."""
    rows = [(10 + i, "north", category, amount) for i, (category, amount) in enumerate(cells)]
    _seed(admin, rows)
    assert_typed_equal(
        subqueries.above_average(admin), reference(rows, per_category=False), f"above_average, rows {rows}"
    )
    assert_typed_equal(
        subqueries.above_category_average(admin),
        reference(rows, per_category=True),
        f"above_category_average, rows {rows}",
    )
