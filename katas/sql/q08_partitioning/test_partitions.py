"""Hidden-test style checks for sql/q08: monthly range partitions, routing and pruning."""

import datetime as dt
import random

import psycopg
import pytest

from graders.kit.sql_checks import explain, walk


@pytest.fixture
def partitions(kata):
    return kata.module("partitions")


def months_from(first, count):
    out, year, month = [], first.year, first.month
    for _ in range(count):
        out.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def expected_partition(day, starts):
    for start in starts:
        if start.year == day.year and start.month == day.month:
            return f"measurements_{start.year:04d}_{start.month:02d}"
    return "measurements_default"


@pytest.fixture
def conn(postgres_url):
    with psycopg.connect(postgres_url) as conn:
        yield conn


@pytest.mark.parametrize(
    ("first", "count"), [(dt.date(2024, 11, 1), 3), (dt.date(2023, 1, 1), 14), (dt.date(2024, 2, 1), 1)]
)
def test_names_returned_and_created(partitions, conn, admin, first, count):
    names = partitions.create_measurements(conn, first, count)
    starts = months_from(first, count)
    expected = [f"measurements_{m.year:04d}_{m.month:02d}" for m in starts] + ["measurements_default"]
    assert names == expected, f"returned {names}, expected {expected}"
    assert not conn.closed, (
        "create_measurements closed the caller's connection (psycopg 3's `with conn:` does)"
    )
    status = conn.info.transaction_status
    assert status == psycopg.pq.TransactionStatus.IDLE, (
        f"create_measurements left the connection {status.name}"
    )
    attached = admin.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'measurements'::regclass ORDER BY c.relname"
    ).fetchall()
    assert sorted(n for (n,) in attached) == sorted(expected), (
        f"partitions seen by another session: {attached}"
    )


def test_rows_are_routed_to_their_month(partitions, conn, admin):
    first = dt.date(2024, 10, 1)
    partitions.create_measurements(conn, first, 5)
    starts = months_from(first, 5)
    rng = random.Random(508)
    days = [dt.date(2024, 8, 15) + dt.timedelta(days=i) for i in range(260)]  # every day from mid-August on
    rows = [(i, day, rng.choice(["a", "b", "c"]), rng.random()) for i, day in enumerate(days)]
    with admin.cursor() as cur:
        cur.executemany("INSERT INTO measurements VALUES (%s, %s, %s, %s)", rows)
    placed = dict(admin.execute("SELECT id, tableoid::regclass::text FROM measurements").fetchall())
    wrong = [
        (day.isoformat(), placed[i], expected_partition(day, starts))
        for i, day in enumerate(days)
        if placed[i] != expected_partition(day, starts)
    ]
    assert not wrong, f"{len(wrong)} rows in the wrong partition, e.g. (day, got, expected): {wrong[:4]}"


@pytest.mark.parametrize(
    ("where", "params", "month"),
    [
        (
            "taken_on >= %s AND taken_on < %s",
            (dt.date(2025, 1, 1), dt.date(2025, 2, 1)),
            "measurements_2025_01",
        ),
        ("taken_on = %s", (dt.date(2024, 12, 31),), "measurements_2024_12"),
        ("taken_on BETWEEN %s AND %s", (dt.date(2024, 11, 1), dt.date(2024, 11, 30)), "measurements_2024_11"),
    ],
)
def test_queries_are_pruned_to_one_partition(partitions, conn, admin, where, params, month):
    partitions.create_measurements(conn, dt.date(2024, 11, 1), 3)
    admin.execute(
        "INSERT INTO measurements SELECT g, DATE '2024-09-01' + g % 200, 's', g FROM generate_series(1, 4000) AS g"
    )
    admin.execute("ANALYZE measurements")
    plan = explain(admin, f"SELECT count(*) FROM measurements WHERE {where}", params)
    scanned = sorted({node["Relation Name"] for node in walk(plan) if "Relation Name" in node})
    assert scanned == [month], f"the query scans {scanned}, expected only {month}"
    count = admin.execute(f"SELECT count(*) FROM measurements WHERE {where}", params).fetchone()[0]
    assert count > 0
