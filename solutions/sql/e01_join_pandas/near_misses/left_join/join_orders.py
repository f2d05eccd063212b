"""Near miss: a LEFT JOIN keeps orders that have no customer.

e01 · JOIN into pandas through SQLAlchemy (reference solution)."""

import pandas as pd
import sqlalchemy

# An inner JOIN keeps only orders whose customer exists; :min_amount is a bound parameter (never an f-string).
# numeric comes back as Decimal objects: cast to float8 in SQL so pandas makes a float64 column.
QUERY = sqlalchemy.text(
    """
    SELECT o.id           AS order_id,
           c.name         AS customer_name,
           c.country      AS country,
           o.amount::float8 AS amount
    FROM orders AS o
    LEFT JOIN customers AS c ON c.id = o.customer_id
    WHERE o.amount >= :min_amount
    ORDER BY o.id
    """
)


def orders_with_customers(engine: sqlalchemy.Engine, min_amount: float) -> pd.DataFrame:
    """Orders of at least `min_amount` joined to their customer, one row per order, ordered by order id."""
    return pd.read_sql_query(QUERY, engine, params={"min_amount": min_amount})
