"""Kata sklearn/q05: class weights and an F1-optimal threshold on imbalanced data. Edit this file."""

from __future__ import annotations

FILE = "katas/sklearn/q05_imbalanced/imbalance.py"


def best_f1_threshold(y_true, scores) -> tuple[float, float]:
    """(threshold, F1) with the highest F1 over the distinct scores; ties -> the largest threshold."""
    raise NotImplementedError(f"best_f1_threshold: write it in {FILE}")


def fit_weighted(X, y):
    """A fitted make_pipeline(StandardScaler(), LogisticRegression(class_weight='balanced', max_iter=1000))."""
    raise NotImplementedError(f"fit_weighted: write it in {FILE}")


def tune_threshold(model, X, y, cv: int = 5, seed: int = 0) -> float:
    """The F1-optimal threshold of the model's out-of-fold probabilities."""
    raise NotImplementedError(f"tune_threshold: write it in {FILE}")


def predict_with_threshold(model, X, threshold: float):
    """1 where predict_proba(X)[:, 1] >= threshold, else 0."""
    raise NotImplementedError(f"predict_with_threshold: write it in {FILE}")
