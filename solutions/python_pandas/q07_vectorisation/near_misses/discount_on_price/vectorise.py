"""Near miss: the member discount is applied to the price before multiplying by the quantity, which rounds differently."""

from __future__ import annotations

import numpy as np
import pandas as pd

TIERS = ["gold", "silver", "bronze", "none"]


def score_row(row) -> tuple[float, str]:
    """The row-wise reference (do not change it): what add_scores must reproduce for every row."""
    total = row["price"] * row["quantity"]
    if row["member"]:
        total = total * 0.9  # members get 10 % off
    if total >= 1000:
        tier = "gold"
    elif total >= 100:
        tier = "silver"
    elif total > 0:
        tier = "bronze"
    else:
        tier = "none"
    return total, tier


def add_scores_apply(df: pd.DataFrame) -> pd.DataFrame:
    """The slow way, for comparison: one Python call per row."""
    out = df.copy()
    pairs = df.apply(score_row, axis=1)
    out["total"] = [total for total, _ in pairs]
    out["tier"] = [tier for _, tier in pairs]
    return out


def add_scores(df: pd.DataFrame) -> pd.DataFrame:
    """Whole columns at a time: NumPy loops in C, once per operation instead of once per row."""
    out = df.copy()
    price = np.where(df["member"].to_numpy(), df["price"].to_numpy() * 0.9, df["price"].to_numpy())
    total = price * df["quantity"].to_numpy()  # discount first: (price * 0.9) * quantity
    # The if/elif chain becomes np.select: conditions in the same order, the first true one wins.
    # Selecting small integer codes and wrapping them in a Categorical avoids building a million
    # Python strings (np.select on the strings themselves is correct too, about ten times slower).
    codes = np.select([total >= 1000, total >= 100, total > 0], [0, 1, 2], default=3)
    out["total"] = total
    out["tier"] = pd.Categorical.from_codes(codes, categories=TIERS)
    return out
