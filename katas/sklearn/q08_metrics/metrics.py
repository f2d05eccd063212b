"""Kata sklearn/q08: regression and classification metrics from scratch in numpy. Edit this file."""

from __future__ import annotations

FILE = "katas/sklearn/q08_metrics/metrics.py"


def mse(y_true, y_pred) -> float:
    """Mean squared error."""
    raise NotImplementedError(f"mse: write it in {FILE}")


def rmse(y_true, y_pred) -> float:
    """Root mean squared error."""
    raise NotImplementedError(f"rmse: write it in {FILE}")


def mae(y_true, y_pred) -> float:
    """Mean absolute error."""
    raise NotImplementedError(f"mae: write it in {FILE}")


def r2(y_true, y_pred) -> float:
    """Coefficient of determination (constant y_true: 1.0 if exact, else 0.0)."""
    raise NotImplementedError(f"r2: write it in {FILE}")


def adjusted_r2(y_true, y_pred, n_features: int) -> float:
    """R² adjusted for the number of predictors."""
    raise NotImplementedError(f"adjusted_r2: write it in {FILE}")


def accuracy(y_true, y_pred) -> float:
    """Share of equal labels."""
    raise NotImplementedError(f"accuracy: write it in {FILE}")


def precision(y_true, y_pred) -> float:
    """TP / (TP + FP); 0.0 without predicted positives."""
    raise NotImplementedError(f"precision: write it in {FILE}")


def recall(y_true, y_pred) -> float:
    """TP / (TP + FN); 0.0 without actual positives."""
    raise NotImplementedError(f"recall: write it in {FILE}")


def f1(y_true, y_pred) -> float:
    """2TP / (2TP + FP + FN); 0.0 without any positive."""
    raise NotImplementedError(f"f1: write it in {FILE}")


def roc_auc(y_true, scores) -> float:
    """P(positive scores above negative), ties count 1/2."""
    raise NotImplementedError(f"roc_auc: write it in {FILE}")
