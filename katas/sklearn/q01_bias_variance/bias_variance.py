"""Kata sklearn/q01: a bootstrap bias²/variance decomposition for squared error. Edit this file."""

from __future__ import annotations

FILE = "katas/sklearn/q01_bias_variance/bias_variance.py"


def bias_variance(estimator, X_train, y_train, X_test, y_test, n_rounds: int = 100, seed: int = 0) -> dict:
    """{'loss': ..., 'bias2': ..., 'variance': ...} over n_rounds bootstrap fits (see the README)."""
    raise NotImplementedError(f"bias_variance: write it in {FILE}")
