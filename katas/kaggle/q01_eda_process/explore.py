"""Kata kaggle/q01: the standard first pass over a new competition's data. Edit this file."""

from __future__ import annotations

FILE = "katas/kaggle/q01_eda_process/explore.py"


def target_correlations(df, target: str = "Survived"):
    """Pearson correlation of each numeric column (not the target, not PassengerId) with the target."""
    raise NotImplementedError(f"target_correlations: write it in {FILE}")


def missingness(df):
    """DataFrame of the columns with missing values: 'missing' (count) and 'percent'."""
    raise NotImplementedError(f"missingness: write it in {FILE}")


def survival_by(df, by, target: str = "Survived"):
    """DataFrame per group of `by`: 'passengers', 'survived', 'rate'."""
    raise NotImplementedError(f"survival_by: write it in {FILE}")
