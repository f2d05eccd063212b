"""Kata sklearn/q04: how a forest cuts variance and boosting cuts training loss. Edit this file."""

from __future__ import annotations

FILE = "katas/sklearn/q04_rf_vs_gbm/ensembles.py"


def prediction_spread(make_model, X_train, y_train, X_eval, n_repeats: int = 10, seed: int = 0) -> float:
    """Mean over X_eval of the variance across bootstrap repeats of the predictions (see the README)."""
    raise NotImplementedError(f"prediction_spread: write it in {FILE}")


def staged_train_loss(gbm, X, y):
    """MSE on (X, y) after each boosting stage, as an array of length n_estimators."""
    raise NotImplementedError(f"staged_train_loss: write it in {FILE}")


def compare_models(X_train, y_train, X_test, y_test, seed: int = 0) -> dict[str, float]:
    """Test MSE of a tree, a 50-tree forest and a 100-stage GBM: {'tree': ..., 'forest': ..., 'gbm': ...}."""
    raise NotImplementedError(f"compare_models: write it in {FILE}")
