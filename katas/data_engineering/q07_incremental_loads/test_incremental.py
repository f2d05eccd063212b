"""Hidden-test style checks for data_engineering/q07: incremental loads equal a full refresh on real PostgreSQL."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

DDL = [
    "CREATE TABLE src_orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2) NOT NULL, "
    "updated_at timestamptz NOT NULL)",
    "CREATE TABLE dw_orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2) NOT NULL, "
    "updated_at timestamptz NOT NULL)",
    "CREATE TABLE etl_watermarks (table_name text PRIMARY KEY, watermark timestamptz)",
]
T0 = datetime(2025, 4, 1, tzinfo=UTC)


@pytest.fixture
def inc(kata):
    return kata.module("incremental")


@pytest.fixture
def engine(postgres_sqlalchemy_url):
    from sqlalchemy import create_engine, text

    eng = create_engine(postgres_sqlalchemy_url)
    with eng.begin() as conn:
        for statement in DDL:
            conn.execute(text(statement))
    yield eng
    eng.dispose()


class Source:
    """The operational table, changed by the test: inserts, updates, late rows."""

    def __init__(self, engine, seed: int):
        self.engine = engine
        self.rng = random.Random(seed)
        self.next_id = 1

    def insert(self, n: int, at: datetime) -> None:
        self._write(
            [
                (self._new_id(), f"c{self.rng.randint(1, 99)}", self._amount(), at + timedelta(seconds=i))
                for i in range(n)
            ]
        )

    def update(self, n: int, at: datetime) -> None:
        from sqlalchemy import text

        ids = self.rng.sample(range(1, self.next_id), n)
        with self.engine.begin() as conn:
            for i, ident in enumerate(ids):
                conn.execute(
                    text("UPDATE src_orders SET amount = :a, updated_at = :u WHERE id = :id"),
                    {"a": self._amount(), "u": at + timedelta(seconds=i), "id": ident},
                )

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _amount(self) -> Decimal:
        return Decimal(self.rng.randint(100, 999_999)) / 100

    def _write(self, rows) -> None:
        from sqlalchemy import text

        with self.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO src_orders VALUES (:id, :c, :a, :u)"),
                [{"id": r[0], "c": r[1], "a": r[2], "u": r[3]} for r in rows],
            )

    def changed_after(self, since: datetime) -> int:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            return conn.execute(
                text("SELECT count(*) FROM src_orders WHERE updated_at > :s"), {"s": since}
            ).scalar_one()


def table(engine, name: str) -> list[tuple]:
    from sqlalchemy import text

    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(text(f"SELECT id, customer, amount, updated_at FROM {name} ORDER BY id"))
        ]


def watermark(engine):
    from sqlalchemy import text

    with engine.connect() as conn:
        return conn.execute(
            text("SELECT watermark FROM etl_watermarks WHERE table_name = 'dw_orders'")
        ).scalar_one_or_none()


def assert_in_sync(engine, where: str) -> None:
    src, dw = table(engine, "src_orders"), table(engine, "dw_orders")
    missing = sorted(set(src) - set(dw))[:3]
    extra = sorted(set(dw) - set(src))[:3]
    assert src == dw, (
        f"{where}: dw_orders differs from a full refresh; missing or stale rows {missing}, wrong {extra}"
    )


def test_full_refresh(inc, engine):
    source = Source(engine, 0)
    source.insert(80, T0)
    assert inc.full_refresh(engine) == 80
    assert_in_sync(engine, "after full_refresh")
    assert watermark(engine) == T0 + timedelta(seconds=79), "the watermark is the newest updated_at loaded"
    source.update(10, T0 + timedelta(hours=1))
    assert inc.full_refresh(engine) == 80, "a full refresh reloads every row"
    assert_in_sync(engine, "after a second full_refresh")


def test_first_incremental_run_loads_everything(inc, engine):
    source = Source(engine, 1)
    source.insert(150, T0)
    assert inc.incremental_load(engine) == 150, "without a watermark, every row is read"
    assert_in_sync(engine, "first incremental run")
    assert watermark(engine) == T0 + timedelta(seconds=149)


@pytest.mark.parametrize("seed", [2, 3])
def test_inserts_and_updates_read_only_new_rows(inc, engine, seed):
    source = Source(engine, seed)
    source.insert(200, T0)
    inc.incremental_load(engine)
    for step in range(1, 4):
        wm = watermark(engine)
        source.insert(15 * step, T0 + timedelta(hours=step))
        source.update(7 * step, T0 + timedelta(hours=step, minutes=30))
        expected_reads = source.changed_after(wm)
        got = inc.incremental_load(engine)
        assert got == expected_reads, (
            f"run {step}: {expected_reads} rows changed after the watermark {wm}; incremental_load read {got}"
        )
        assert_in_sync(engine, f"after incremental run {step}")
    assert inc.incremental_load(engine) == 0, "nothing changed: the next run reads 0 rows"
    assert inc.incremental_load(engine) == 0, "still nothing: the watermark must not move back or become NULL"
    assert_in_sync(engine, "after empty runs")


def test_late_rows_need_the_lookback(inc, engine):
    source = Source(engine, 4)
    source.insert(100, T0)
    inc.incremental_load(engine)
    wm = watermark(engine)
    source.insert(5, wm - timedelta(minutes=20))  # committed now, stamped 20 minutes before the watermark
    source.insert(3, wm + timedelta(minutes=5))
    got = inc.incremental_load(engine, lookback=timedelta(hours=1))
    assert got == source.changed_after(wm - timedelta(hours=1)), (
        f"with lookback=1h the run reads the rows updated after watermark - 1h; read {got}"
    )
    assert_in_sync(engine, "after a run with a lookback over late rows")
    assert watermark(engine) == wm + timedelta(minutes=5, seconds=2), (
        "the watermark moves to the newest row read"
    )
    assert inc.incremental_load(engine, lookback=timedelta(hours=1)) == source.changed_after(
        watermark(engine) - timedelta(hours=1)
    ), "re-reading the lookback window is expected"
    assert_in_sync(engine, "after re-reading the lookback window (the upsert makes it harmless)")
