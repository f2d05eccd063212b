"""Near miss: averages the chunks' average order values instead of dividing the summed revenue by the orders."""

from __future__ import annotations

import pandas as pd


def region_totals(path: str, chunksize: int = 50_000) -> pd.DataFrame:
    orders: pd.Series | None = None
    revenue: pd.Series | None = None
    means: list[pd.Series] = []
    with pd.read_csv(path, chunksize=chunksize, usecols=["region", "amount", "quantity"]) as reader:
        for chunk in reader:
            value = chunk["amount"] * chunk["quantity"]
            chunk_orders = chunk.groupby("region").size()
            chunk_revenue = value.groupby(chunk["region"]).sum()
            means.append(value.groupby(chunk["region"]).mean())
            if orders is None:
                orders, revenue = chunk_orders, chunk_revenue
            else:
                orders = orders.add(chunk_orders, fill_value=0)
                revenue = revenue.add(chunk_revenue, fill_value=0)
    if orders is None:
        return pd.DataFrame(
            {
                "orders": pd.Series(dtype="int64"),
                "revenue": pd.Series(dtype="float64"),
                "avg_order": pd.Series(dtype="float64"),
            },
            index=pd.Index([], name="region", dtype="str"),
        )
    result = pd.DataFrame({"orders": orders.astype("int64"), "revenue": revenue.astype("float64")})
    result["avg_order"] = pd.concat(means).groupby(level=0).mean()
    result.index.name = "region"
    return result.sort_index()
