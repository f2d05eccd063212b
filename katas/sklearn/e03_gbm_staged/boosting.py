"""Kata sklearn/e03: choose a GBM's number of trees from staged_predict on a validation set. Edit this file."""

from __future__ import annotations

FILE = "katas/sklearn/e03_gbm_staged/boosting.py"


def best_n_estimators(model, X_val, y_val) -> tuple[int, list[float]]:
    """(best count from 1, validation accuracy after each stage); ties go to the smallest count."""
    raise NotImplementedError(f"best_n_estimators: write it in {FILE}")


def fit_with_validation(X, y, max_estimators: int = 100, seed: int = 0):
    """(GradientBoostingClassifier refitted with the best count, best count) — see the README's three steps."""
    raise NotImplementedError(f"fit_with_validation: write it in {FILE}")
