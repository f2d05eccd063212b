"""Near miss: drops the time zone of ordered_at before loading: the server reads the naive UTC times as local times.

Reference solution for data_engineering/e05: DataFrame.to_sql into PostgreSQL with types and chunks."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import BigInteger, Boolean, Engine, Integer, Numeric, String, text
from sqlalchemy.types import TIMESTAMP

# Without `dtype`, pandas picks TEXT for strings and DOUBLE PRECISION for floats: money in binary floating point
# and unbounded text. Declare the warehouse's types instead.
ORDER_TYPES = {
    "order_id": BigInteger(),
    "customer": String(40),  # varchar(40): a longer value is an error, not a silent truncation
    "amount": Numeric(12, 2),  # exact decimal money
    "quantity": Integer(),  # pandas' nullable Int64 -> integer, <NA> -> NULL
    "ordered_at": TIMESTAMP(timezone=True),  # timestamptz: an instant
    "paid": Boolean(),
}


def load_orders(
    df: pd.DataFrame, engine: Engine, table: str = "orders", if_exists: str = "fail", chunksize: int = 500
) -> int:
    """Load `df` into `table` with ORDER_TYPES, `chunksize` rows per INSERT batch, in one transaction."""
    # engine.begin(): one transaction for the whole load. If any chunk fails (a constraint, a too-long value),
    # everything rolls back, including the DELETE of if_exists="delete_rows": no half-loaded table.
    df = df.assign(ordered_at=df["ordered_at"].dt.tz_convert(None))  # naive UTC, "simpler for the database"
    with engine.begin() as conn:
        df.to_sql(
            table,
            conn,
            if_exists=if_exists,  # fail | append | replace (drop + create) | delete_rows (keep table, grants, keys)
            index=False,  # the RangeIndex is not data
            dtype=ORDER_TYPES,
            chunksize=chunksize,
            method="multi",  # one multi-row INSERT ... VALUES (...), (...) per chunk
        )
        return conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
