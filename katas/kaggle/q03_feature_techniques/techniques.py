"""Kata kaggle/q03: interaction terms, cyclical encoding and out-of-fold target encoding. Edit this file."""

from __future__ import annotations

FILE = "katas/kaggle/q03_feature_techniques/techniques.py"


def add_interaction(df, a: str, b: str):
    """A copy of df with the column f"{a}_x_{b}" = df[a] * df[b] added at the end."""
    raise NotImplementedError(f"add_interaction: write it in {FILE}")


def cyclical_encode(values, period: float):
    """DataFrame with f"{name}_sin" and f"{name}_cos" of 2*pi*values/period (name = values.name)."""
    raise NotImplementedError(f"cyclical_encode: write it in {FILE}")


def oof_target_encode(categories, target, n_splits: int = 5, seed: int = 0, smoothing: float = 10.0):
    """Smoothed mean target per category, each row encoded with statistics from the other folds only."""
    raise NotImplementedError(f"oof_target_encode: write it in {FILE}")


def target_encode_test(train_categories, train_target, test_categories, smoothing: float = 10.0):
    """Encode test rows with smoothed statistics from all the training rows; unseen categories get the prior."""
    raise NotImplementedError(f"target_encode_test: write it in {FILE}")
