"""Near miss: casts the timestamptz straight to date in SQL, which takes the date in the session's time zone.

Reference solution for data_engineering/q01: one source, loaded with ETL (pandas) and with ELT (SQL)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import BigInteger, Date, Engine, Numeric, Text, text

OUTPUT_TYPES = {"day": Date(), "country": Text(), "orders": BigInteger(), "revenue": Numeric(12, 2)}


def etl(csv_path: str, engine: Engine) -> int:
    """Extract the CSV, Transform in pandas, Load only the final table etl_daily_revenue; returns its rows."""
    raw = pd.read_csv(csv_path, dtype=str, keep_default_na=False)  # everything as text, like the raw file
    frame = raw.assign(
        country=raw["country"].str.strip().str.upper(),
        status=raw["status"].str.strip().str.lower(),
        updated_at=pd.to_datetime(raw["updated_at"], utc=True),
    )
    # 1. the latest version of each order wins (before filtering: a later cancellation must count)
    frame = frame.sort_values("updated_at").drop_duplicates("order_id", keep="last")
    # 2. drop cancelled orders and orders without an amount
    frame = frame[(frame["status"] != "cancelled") & (raw.loc[frame.index, "amount"].str.strip() != "")]
    frame = frame.assign(
        amount=frame["amount"].astype(float), day=pd.to_datetime(frame["order_ts"], utc=True).dt.date
    )
    out = frame.groupby(["day", "country"], as_index=False).agg(
        orders=("order_id", "size"), revenue=("amount", "sum")
    )
    out["revenue"] = out["revenue"].round(2)
    with engine.begin() as conn:
        out.to_sql("etl_daily_revenue", conn, if_exists="replace", index=False, dtype=OUTPUT_TYPES)
    return len(out)


ELT_SQL = """
CREATE TABLE elt_daily_revenue AS
WITH latest AS (
    SELECT DISTINCT ON (order_id) *
    FROM raw_orders
    ORDER BY order_id, updated_at::timestamptz DESC          -- the latest version of each order
)
SELECT (order_ts::timestamptz)::date AS day,
       upper(trim(country))                             AS country,
       count(*)::bigint                                 AS orders,
       sum(amount::numeric)::numeric(12, 2)             AS revenue
FROM latest
WHERE lower(trim(status)) <> 'cancelled' AND trim(amount) <> ''
GROUP BY 1, 2
"""


def elt(csv_path: str, engine: Engine) -> int:
    """Extract and Load the CSV as-is into raw_orders, then Transform with SQL inside the warehouse."""
    raw = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    with engine.begin() as conn:
        # Load: the raw rows, all text, untouched: they stay available to re-transform later.
        raw.to_sql("raw_orders", conn, if_exists="replace", index=False)
        # Transform: the warehouse does the work, in SQL.
        conn.execute(text("DROP TABLE IF EXISTS elt_daily_revenue"))
        conn.execute(text(ELT_SQL))
        return conn.execute(text("SELECT count(*) FROM elt_daily_revenue")).scalar_one()
