"""Kata kaggle/e02: first look at a competition's data, with saved plots. Edit this file."""

from __future__ import annotations

from pathlib import Path

FILE = "katas/kaggle/e02_eda/eda.py"


def load_data(data_dir: str | Path):
    """(train, test) DataFrames read from data_dir/train.csv and data_dir/test.csv."""
    raise NotImplementedError(f"load_data: write it in {FILE}")


def missing_counts(df):
    """Missing values per column, only columns with at least one, most first (a Series named 'missing')."""
    raise NotImplementedError(f"missing_counts: write it in {FILE}")


def target_balance(df, target: str = "Survived"):
    """Share of each class of `target`, indexed by class in ascending order (a Series named 'proportion')."""
    raise NotImplementedError(f"target_balance: write it in {FILE}")


def plot_survival_rate(df, column: str, path: str | Path):
    """Bar chart of the survival rate per value of `column`, 600x400 px PNG at `path`; return the Figure."""
    raise NotImplementedError(f"plot_survival_rate: write it in {FILE}")


def plot_age_histogram(df, path: str | Path, bins: int = 20):
    """Histogram of the known ages in `bins` equal-width bins, 800x400 px PNG at `path`; return the Figure."""
    raise NotImplementedError(f"plot_age_histogram: write it in {FILE}")
