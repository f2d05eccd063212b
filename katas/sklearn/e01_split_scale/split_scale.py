"""Kata sklearn/e01: a stratified split and a scaler fitted on the training rows only. Edit this file."""

from __future__ import annotations

FILE = "katas/sklearn/e01_split_scale/split_scale.py"


def split_and_scale(X, y, test_size: float = 0.2, seed: int = 42):
    """Return (X_train_scaled, X_test_scaled, y_train, y_test, fitted StandardScaler)."""
    raise NotImplementedError(f"split_and_scale: write it in {FILE}")
