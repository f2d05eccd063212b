"""Hidden-test style checks for data_engineering/q01: ETL and ELT give the same final table as a reference."""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

COUNTRIES = {"FR": ["FR", "fr", " FR", "Fr "], "DE": ["DE", "de ", " De"], "IT": ["IT", "it"]}
STATUSES = ["new", "paid", "shipped", "cancelled", " Cancelled ", "PAID"]
COLUMNS = ["order_id", "customer", "country", "amount", "status", "order_ts", "updated_at"]


def make_source(path, seed: int, n_orders: int = 300) -> list[tuple]:
    """A dirty CSV of order versions, and the expected (day, country, orders, revenue) rows."""
    rng = random.Random(seed)
    rows, latest = [], {}
    start = datetime(2025, 3, 30, 20, 0, tzinfo=UTC)
    for order_id in rng.sample(range(1000, 99_999), n_orders):
        country = rng.choice(list(COUNTRIES))
        order_ts = start + timedelta(minutes=rng.randint(0, 3 * 24 * 60))
        updated = order_ts
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            updated += timedelta(minutes=rng.randint(1, 600))
            amount = "" if rng.random() < 0.04 else f"{rng.randint(100, 99_999) / 100:.2f}"
            version = {
                "order_id": str(order_id),
                "customer": f" c{rng.randint(1, 50)} ",
                "country": rng.choice(COUNTRIES[country]),
                "amount": amount,
                "status": rng.choice(STATUSES),
                "order_ts": order_ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "updated_at": updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            rows.append(version)
            latest[order_id] = (version, country, order_ts)
    rng.shuffle(rows)
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    groups: dict[tuple, list[Decimal]] = defaultdict(list)
    for version, country, order_ts in latest.values():
        if version["status"].strip().lower() == "cancelled" or not version["amount"].strip():
            continue
        groups[(order_ts.date(), country)].append(Decimal(version["amount"]))
    return sorted((day, country, len(v), sum(v)) for (day, country), v in groups.items())


@pytest.fixture
def ee(kata):
    return kata.module("etl_elt")


def final_table(postgres_engine, name: str) -> list[tuple]:
    from sqlalchemy import text

    with postgres_engine.connect() as conn:
        types = dict(
            conn.execute(
                text(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_name = :t ORDER BY ordinal_position"
                ),
                {"t": name},
            ).all()
        )
        assert list(types.items()) == [
            ("day", "date"),
            ("country", "text"),
            ("orders", "bigint"),
            ("revenue", "numeric"),
        ], f"{name}: columns and types {types}"
        return [
            tuple(r)
            for r in conn.execute(
                text(f"SELECT day, country, orders, revenue FROM {name} ORDER BY day, country")
            )
        ]


def compare(got: list[tuple], expected: list[tuple], where: str) -> None:
    assert len(got) == len(expected), (
        f"{where}: {len(got)} rows, expected {len(expected)}: {got[:3]} vs {expected[:3]}"
    )
    for g, e in zip(got, expected, strict=True):
        assert g == e, f"{where}: row {g} differs from the expected {e}"


@pytest.mark.parametrize("seed", [0, 1])
def test_etl(ee, postgres_engine, tmp_path, seed):
    expected = make_source(tmp_path / "orders.csv", seed)
    assert ee.etl(str(tmp_path / "orders.csv"), postgres_engine) == len(expected)
    compare(final_table(postgres_engine, "etl_daily_revenue"), expected, "etl_daily_revenue")


@pytest.mark.parametrize("seed", [0, 2])
def test_elt(ee, postgres_engine, tmp_path, seed):
    from sqlalchemy import text

    path = tmp_path / "orders.csv"
    expected = make_source(path, seed)
    assert ee.elt(str(path), postgres_engine) == len(expected)
    compare(final_table(postgres_engine, "elt_daily_revenue"), expected, "elt_daily_revenue")
    with open(path) as handle:
        raw_rows = sum(1 for _ in handle) - 1
    with postgres_engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM raw_orders")).scalar_one()
        types = {
            r[1]
            for r in conn.execute(
                text(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_name = 'raw_orders'"
                )
            )
        }
    assert count == raw_rows, f"ELT keeps every raw row in raw_orders: {count} of {raw_rows}"
    assert types == {"text"}, f"raw_orders holds the source as text, untouched: column types {types}"


def test_both_agree_and_rerun_replaces(ee, postgres_engine, tmp_path):
    make_source(tmp_path / "a.csv", 3)
    expected = make_source(tmp_path / "b.csv", 4)
    for run in (ee.etl, ee.elt):
        run(str(tmp_path / "a.csv"), postgres_engine)
        run(str(tmp_path / "b.csv"), postgres_engine)  # a second run replaces the first one's tables
    etl_rows, elt_rows = (
        final_table(postgres_engine, "etl_daily_revenue"),
        final_table(postgres_engine, "elt_daily_revenue"),
    )
    compare(etl_rows, expected, "etl_daily_revenue after a re-run")
    assert etl_rows == elt_rows, "ETL and ELT must produce identical final tables"


def test_days_are_utc_days_in_any_session_time_zone(ee, postgres_engine, tmp_path):
    """A database whose sessions run in Pacific/Auckland (UTC+13 then): `day` is still the UTC date."""
    from sqlalchemy import text

    with postgres_engine.begin() as conn:
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        conn.execute(text(f"ALTER DATABASE \"{database}\" SET timezone = 'Pacific/Auckland'"))
    postgres_engine.dispose()
    expected = make_source(tmp_path / "orders.csv", 5)
    ee.etl(str(tmp_path / "orders.csv"), postgres_engine)
    ee.elt(str(tmp_path / "orders.csv"), postgres_engine)
    compare(
        final_table(postgres_engine, "elt_daily_revenue"), expected, "elt_daily_revenue (Auckland session)"
    )
    compare(
        final_table(postgres_engine, "etl_daily_revenue"), expected, "etl_daily_revenue (Auckland session)"
    )
