"""Hidden-test style checks for sql/q05: running totals, a 7-row moving average, ranks and lag deltas."""

import datetime as dt
import random

import pytest

from graders.kit.sql_checks import assert_rows_equal


@pytest.fixture
def windows(kata):
    return kata.module("windows")


def _seed(admin, rows):
    admin.execute(
        "CREATE TABLE daily_sales (store text NOT NULL, day date NOT NULL, amount int NOT NULL, PRIMARY KEY (store, day))"
    )
    with admin.cursor() as cur:
        cur.executemany("INSERT INTO daily_sales VALUES (%s, %s, %s)", rows)


def reference(rows):
    out = []
    for store in sorted({r[0] for r in rows}):
        mine = sorted((r for r in rows if r[0] == store), key=lambda r: r[1])
        amounts = [r[2] for r in mine]
        distinct = sorted(set(amounts), reverse=True)
        total = 0
        for i, (_, day, amount) in enumerate(mine):
            total += amount
            window = amounts[max(0, i - 6) : i + 1]
            rank = 1 + sum(1 for a in amounts if a > amount)
            dense = distinct.index(amount) + 1
            delta = None if i == 0 else amount - amounts[i - 1]
            out.append((store, day, amount, total, sum(window) / len(window), rank, dense, delta))
    return out


def test_readme_example(windows, admin):
    rows = [
        ("north", dt.date(2024, 3, 1), 50),
        ("north", dt.date(2024, 3, 2), 80),
        ("north", dt.date(2024, 3, 4), 50),
    ]
    _seed(admin, rows)
    want = [
        ("north", dt.date(2024, 3, 1), 50, 50, 50.0, 2, 2, None),
        ("north", dt.date(2024, 3, 2), 80, 130, 65.0, 1, 1, 30),
        ("north", dt.date(2024, 3, 4), 50, 180, 60.0, 2, 2, -30),
    ]
    assert_rows_equal(windows.sales_windows(admin), want, rel_tol=1e-9, where="sales_windows(conn)")


def test_seeded_stores_with_gaps_and_ties(windows, admin):
    rng = random.Random(505)
    rows = []
    for store in ["east", "north", "south", "west"]:
        day = dt.date(2024, 1, 1)
        for _ in range(rng.randint(25, 45)):
            day += dt.timedelta(days=rng.choice([1, 1, 1, 2, 3]))  # missing days
            rows.append((store, day, rng.choice([10, 20, 20, 35, 50, 50, 75, 90])))
    rows.append(("solo", dt.date(2024, 2, 29), 40))  # a store with a single row
    # a store whose amounts are all tied
    rows += [("flat", dt.date(2024, 1, 1) + dt.timedelta(days=3 * i), 25) for i in range(9)]
    rng.shuffle(rows)
    _seed(admin, rows)
    got = windows.sales_windows(admin)
    assert isinstance(got, list), f"expected a list of tuples, got {type(got).__name__}"
    assert_rows_equal(got, reference(rows), rel_tol=1e-9, where="sales_windows(conn)")
    assert all(isinstance(r[4], float) for r in got), "moving_avg_7 must be a float (cast to float8)"
    assert all(isinstance(r[3], int) for r in got), "running_total must be an int"
