"""Near miss: keeps the revenue in whatever dtype the file gave (int64 for whole amounts, object for a
header-only file) instead of float64."""

from __future__ import annotations

import pandas as pd


def region_totals(path: str, chunksize: int = 50_000) -> pd.DataFrame:
    """Per-region orders, revenue and average order value, reading `chunksize` rows at a time."""
    orders: pd.Series | None = None
    revenue: pd.Series | None = None
    # With chunksize, read_csv returns an iterator of DataFrames: only one chunk is in memory at a time.
    with pd.read_csv(path, chunksize=chunksize, usecols=["region", "amount", "quantity"]) as reader:
        for chunk in reader:
            value = chunk["amount"] * chunk["quantity"]
            chunk_orders = chunk.groupby("region").size()
            chunk_revenue = value.groupby(chunk["region"]).sum()
            if orders is None:
                orders, revenue = chunk_orders, chunk_revenue
            else:
                # fill_value=0: a region absent from this chunk must keep its running total, not become NaN.
                orders = orders.add(chunk_orders, fill_value=0)
                revenue = revenue.add(chunk_revenue, fill_value=0)
    if orders is None:  # an empty file (header only)
        return pd.DataFrame(
            {
                "orders": pd.Series(dtype="int64"),
                "revenue": pd.Series(dtype="float64"),
                "avg_order": pd.Series(dtype="float64"),
            },
            index=pd.Index([], name="region", dtype="str"),
        )
    result = pd.DataFrame({"orders": orders.astype("int64"), "revenue": revenue})
    # Combine *sums*, then divide once: averaging the chunks' averages weighs small chunks wrongly.
    result["avg_order"] = result["revenue"] / result["orders"]
    result.index.name = "region"
    return result.sort_index()
