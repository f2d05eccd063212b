"""Kata kaggle/q05: cross-validation without leakage: preprocessing in folds, group and time splits. Edit this file."""

from __future__ import annotations

FILE = "katas/kaggle/q05_leakage/leakage.py"


def cv_with_selection(X, y, k: int = 20, n_splits: int = 5, seed: int = 0) -> float:
    """Mean CV accuracy of 'keep the k best features, then logistic regression', selection inside the folds."""
    raise NotImplementedError(f"cv_with_selection: write it in {FILE}")


def grouped_cv(model, X, y, groups, n_splits: int = 5) -> float:
    """Mean CV accuracy of `model` with every group kept inside one fold (GroupKFold)."""
    raise NotImplementedError(f"grouped_cv: write it in {FILE}")


def temporal_cv(model, X, y, times, n_splits: int = 5) -> float:
    """Mean CV accuracy of `model` trained on the past and tested on the future (TimeSeriesSplit)."""
    raise NotImplementedError(f"temporal_cv: write it in {FILE}")
