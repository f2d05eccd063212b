"""Kata data_engineering/q01: one source loaded with ETL (pandas first) and with ELT (SQL in the warehouse).
Edit this file."""

from __future__ import annotations

from sqlalchemy import Engine

FILE = "katas/data_engineering/q01_etl_vs_elt/etl_elt.py"


def etl(csv_path: str, engine: Engine) -> int:
    """Transform the CSV in pandas, load only the final table etl_daily_revenue; return its number of rows."""
    raise NotImplementedError(f"etl: write it in {FILE}")


def elt(csv_path: str, engine: Engine) -> int:
    """Load the CSV as-is into raw_orders, build elt_daily_revenue with SQL; return its number of rows."""
    raise NotImplementedError(f"elt: write it in {FILE}")
