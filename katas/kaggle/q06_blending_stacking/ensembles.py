"""Kata kaggle/q06: holdout blending and out-of-fold stacking. Edit this file."""

from __future__ import annotations

FILE = "katas/kaggle/q06_blending_stacking/ensembles.py"


def oof_predictions(models, X, y, n_splits: int = 5, seed: int = 0):
    """(n_rows, n_models) array: out-of-fold P(class 1) of each model."""
    raise NotImplementedError(f"oof_predictions: write it in {FILE}")


def fit_stacking(models, meta, X, y, n_splits: int = 5, seed: int = 0):
    """(fitted base models, fitted meta-model): meta on out-of-fold predictions, bases refitted on all rows."""
    raise NotImplementedError(f"fit_stacking: write it in {FILE}")


def fit_blending(models, meta, X, y, holdout: float = 0.25, seed: int = 0):
    """(fitted base models, fitted meta-model): bases on one part, meta on their predictions for the holdout."""
    raise NotImplementedError(f"fit_blending: write it in {FILE}")


def predict_ensemble(bases, meta, X):
    """P(class 1) of the ensemble: the meta-model applied to the base models' probabilities."""
    raise NotImplementedError(f"predict_ensemble: write it in {FILE}")
