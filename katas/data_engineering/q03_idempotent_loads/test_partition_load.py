"""Hidden-test style checks for data_engineering/q03: idempotent, atomic partition loads on real PostgreSQL."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

DAY1, DAY2 = date(2025, 5, 1), date(2025, 5, 2)


@pytest.fixture
def pl(kata):
    return kata.module("partition_load")


@pytest.fixture
def engine(postgres_sqlalchemy_url, pl):
    from sqlalchemy import create_engine

    eng = create_engine(postgres_sqlalchemy_url)
    pl.ensure_table(eng)
    yield eng
    eng.dispose()


def make_rows(n: int, seed: int) -> list[tuple[str, float]]:
    rng = random.Random(seed)
    stores = rng.sample(range(1, 10 * n + 10), n)
    return [(f"S{s:05d}", round(rng.uniform(0, 5000), 2)) for s in stores]


def state(engine) -> dict[date, dict[str, Decimal]]:
    from sqlalchemy import text

    out: dict[date, dict[str, Decimal]] = {}
    with engine.connect() as conn:
        for day, store, revenue in conn.execute(text("SELECT day, store, revenue FROM daily_sales")):
            out.setdefault(day, {})[store] = revenue
    return out


def as_partition(rows) -> dict[str, Decimal]:
    return {store: Decimal(str(revenue)) for store, revenue in rows}


def failing_source(rows, fail_after: int):
    """A source that dies half-way, like a network read that breaks."""
    for i, row in enumerate(rows):
        if i == fail_after:
            raise ConnectionError("source connection lost")
        yield row


def test_table_shape(engine):
    from sqlalchemy import text

    with engine.connect() as conn:
        cols = conn.execute(
            text(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = 'daily_sales' ORDER BY ordinal_position"
            )
        ).all()
        pk = conn.execute(
            text(
                "SELECT count(*) FROM information_schema.table_constraints "
                "WHERE table_name = 'daily_sales' AND constraint_type = 'PRIMARY KEY'"
            )
        ).scalar_one()
    assert [tuple(c) for c in cols] == [("day", "date"), ("store", "text"), ("revenue", "numeric")], (
        f"columns {cols}"
    )
    assert pk == 1, "daily_sales needs a primary key on (day, store)"


def test_ensure_table_twice_keeps_the_data(pl, engine):
    rows = make_rows(12, 12)
    pl.load_partition(engine, DAY1, rows)
    pl.ensure_table(engine)  # every run of the pipeline calls it: the second call must be harmless
    assert state(engine) == {DAY1: as_partition(rows)}, "ensure_table on an existing table must keep its rows"


def test_load_replaces_only_its_day(pl, engine):
    first, second, corrected = make_rows(40, 1), make_rows(25, 2), make_rows(30, 3)
    assert pl.load_partition(engine, DAY1, first) == 40
    assert pl.load_partition(engine, DAY2, second) == 25
    assert pl.load_partition(engine, DAY1, corrected) == 30
    assert state(engine) == {DAY1: as_partition(corrected), DAY2: as_partition(second)}, (
        "re-loading a day must replace that day's rows exactly and leave the other days alone"
    )


def test_running_twice_gives_the_same_state(pl, engine):
    rows = make_rows(120, 4)
    pl.load_partition(engine, DAY2, make_rows(10, 5))
    pl.load_partition(engine, DAY1, rows, batch_size=50)
    once = state(engine)
    inserted = pl.load_partition(engine, DAY1, iter(rows), batch_size=50)
    assert inserted == 120, (
        f"120 rows in batches of 50 (50 + 50 + 20): return 120 rows inserted, got {inserted!r}"
    )
    assert state(engine) == once, "a second identical load must not change anything (idempotency)"
    pl.load_partition(engine, DAY1, [])
    assert DAY1 not in state(engine), "loading an empty day leaves that day empty"


@pytest.mark.parametrize("fail_after", [0, 130, 299])
def test_a_crash_in_the_source_leaves_the_old_partition(pl, engine, fail_after):
    old, new = make_rows(60, 6), make_rows(300, 7)
    pl.load_partition(engine, DAY1, old)
    pl.load_partition(engine, DAY2, make_rows(5, 8))
    before = state(engine)
    with pytest.raises(ConnectionError):
        pl.load_partition(engine, DAY1, failing_source(new, fail_after), batch_size=50)
    assert state(engine) == before, (
        f"the source failed after {fail_after} rows: the table must be exactly as before (no partial day, no "
        "missing day): run the DELETE and every INSERT in one transaction, and let the error propagate"
    )


def test_a_database_error_leaves_the_old_partition(pl, engine):
    old = make_rows(20, 9)
    pl.load_partition(engine, DAY1, old)
    bad = make_rows(200, 10)
    bad[150] = bad[10]  # the same store twice: primary key violation in the 4th batch
    with pytest.raises(Exception):  # noqa: B017 - SQLAlchemy's IntegrityError
        pl.load_partition(engine, DAY1, bad, batch_size=50)
    assert state(engine) == {DAY1: as_partition(old)}, "a failed load must leave the old partition intact"


def test_upsert_updates_inserts_and_keeps_the_rest(pl, engine):
    rows = make_rows(50, 11)
    pl.load_partition(engine, DAY1, rows)
    changed = [(store, round(revenue + 1.25, 2)) for store, revenue in rows[:10]]
    added = [("Z00001", 12.5), ("Z00002", 0.0)]
    assert pl.upsert_rows(engine, DAY1, changed + added) == 12
    expected = as_partition(rows) | as_partition(changed) | as_partition(added)
    assert state(engine) == {DAY1: expected}, (
        "upsert must update existing stores, insert new ones, keep others"
    )
    pl.upsert_rows(engine, DAY1, changed + added)
    assert state(engine) == {DAY1: expected}, "upserting the same rows again must change nothing"
    with pytest.raises(ConnectionError):
        pl.upsert_rows(engine, DAY1, failing_source([(s, 1.0) for s, _ in rows], 30), batch_size=8)
    assert state(engine) == {DAY1: expected}, "a crash during an upsert must leave nothing half-applied"
