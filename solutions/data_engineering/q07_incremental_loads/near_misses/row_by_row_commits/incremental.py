"""Near miss: upserts each row in its own transaction: a failure halfway leaves part of the batch loaded.

Reference solution for data_engineering/q07: watermark-based incremental loads and a full refresh."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, text

COLUMNS = "id, customer, amount, updated_at"
TABLE = "dw_orders"


def full_refresh(engine: Engine) -> int:
    """Rebuild dw_orders from src_orders and set the watermark; returns the rows loaded."""
    with engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {TABLE}"))
        loaded = conn.execute(
            text(f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {COLUMNS} FROM src_orders")
        ).rowcount
        conn.execute(
            text(
                "INSERT INTO etl_watermarks (table_name, watermark) "
                "SELECT :t, max(updated_at) FROM src_orders "
                "ON CONFLICT (table_name) DO UPDATE SET watermark = EXCLUDED.watermark"
            ),
            {"t": TABLE},
        )
    return loaded


def incremental_load(engine: Engine, lookback: timedelta = timedelta(0)) -> int:
    """Upsert the source rows changed since the watermark (minus `lookback`); returns the rows read."""
    with engine.begin() as conn:  # the rows and the new watermark commit together, or not at all
        watermark = conn.execute(
            text("SELECT watermark FROM etl_watermarks WHERE table_name = :t"), {"t": TABLE}
        ).scalar_one_or_none()
        if watermark is None:
            rows = conn.execute(text(f"SELECT {COLUMNS} FROM src_orders")).mappings().all()
        else:
            # Strictly greater: rows at exactly the watermark were loaded last time. The lookback re-reads a
            # window before it, for rows committed late with an older updated_at; the upsert makes that harmless.
            rows = (
                conn.execute(
                    text(f"SELECT {COLUMNS} FROM src_orders WHERE updated_at > :since"),
                    {"since": watermark - lookback},
                )
                .mappings()
                .all()
            )
        if not rows:
            return 0  # nothing new: the watermark stays where it is (never NULL, never backwards)
        for row in rows:
            with engine.begin() as own:
                own.execute(
                    text(
                        f"INSERT INTO {TABLE} ({COLUMNS}) VALUES (:id, :customer, :amount, :updated_at) "
                        "ON CONFLICT (id) DO UPDATE SET customer = EXCLUDED.customer, amount = EXCLUDED.amount, "
                        "updated_at = EXCLUDED.updated_at"
                    ),
                    dict(row),
                )
        newest = max(r["updated_at"] for r in rows)
        conn.execute(
            text(
                "INSERT INTO etl_watermarks (table_name, watermark) VALUES (:t, :w) "
                "ON CONFLICT (table_name) DO UPDATE SET watermark = GREATEST(etl_watermarks.watermark, EXCLUDED.watermark)"
            ),
            {"t": TABLE, "w": newest},
        )
    return len(rows)
