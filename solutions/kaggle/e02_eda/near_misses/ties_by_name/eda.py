"""Near miss: breaks ties between equal counts by column name instead of keeping the frame's column order."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure  # the object API: no pyplot state, no window, works on a server

DPI = 100


def load_data(data_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test) DataFrames read from data_dir/train.csv and data_dir/test.csv."""
    data_dir = Path(data_dir)
    return pd.read_csv(data_dir / "train.csv"), pd.read_csv(data_dir / "test.csv")


def missing_counts(df: pd.DataFrame) -> pd.Series:
    """Missing values per column, only columns with at least one, most first."""
    counts = df.isna().sum()
    # A stable sort keeps the column order among equal counts.
    counts = counts[counts > 0].sort_index()  # alphabetical first, then by count
    return counts.sort_values(ascending=False, kind="stable").rename("missing")


def target_balance(df: pd.DataFrame, target: str = "Survived") -> pd.Series:
    """Share of each class of `target`, by class value."""
    return df[target].value_counts(normalize=True).sort_index().rename("proportion")


def plot_survival_rate(df: pd.DataFrame, column: str, path: str | Path) -> Figure:
    """Bar chart of the survival rate per value of `column`, saved as a 600x400 px PNG."""
    rates = df.groupby(column)["Survived"].mean().sort_index()  # groupby drops missing keys
    fig = Figure(figsize=(6, 4), dpi=DPI)
    ax = fig.add_subplot()
    ax.bar([str(v) for v in rates.index], rates.to_numpy(), color="tab:blue")
    ax.set(xlabel=column, ylabel="survival rate", ylim=(0, 1), title=f"Survival rate by {column}")
    fig.savefig(path, dpi=DPI)  # no bbox_inches="tight": it would crop the size away from 600x400
    return fig


def plot_age_histogram(df: pd.DataFrame, path: str | Path, bins: int = 20) -> Figure:
    """Histogram of the known ages, saved as an 800x400 px PNG."""
    fig = Figure(figsize=(8, 4), dpi=DPI)
    ax = fig.add_subplot()
    ax.hist(df["Age"].dropna(), bins=bins, color="tab:gray", edgecolor="white")
    ax.set(xlabel="Age", ylabel="passengers", title="Known ages")
    fig.savefig(path, dpi=DPI)
    return fig
