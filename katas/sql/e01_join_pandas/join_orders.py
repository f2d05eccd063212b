"""e01 · JOIN into pandas through SQLAlchemy: see README.md."""

import pandas as pd
import sqlalchemy

FILE = "katas/sql/e01_join_pandas/join_orders.py"


def orders_with_customers(engine: sqlalchemy.Engine, min_amount: float) -> pd.DataFrame:
    """Orders of at least `min_amount` joined to their customer, one row per order, ordered by order id."""
    raise NotImplementedError(f"orders_with_customers: write it in {FILE}")
