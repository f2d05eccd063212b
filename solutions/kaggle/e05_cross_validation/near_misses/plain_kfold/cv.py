"""Near miss: shuffles with a seed but does not stratify, so fold survival rates drift."""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import KFold, cross_val_score


def _splitter(n_splits: int, seed: int) -> KFold:
    # shuffle=True needs a random_state, otherwise every call draws new folds.
    return KFold(n_splits=n_splits, shuffle=True, random_state=seed)


def make_folds(y, n_splits: int = 5, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(train_indices, test_indices), ...]: stratified, shuffled with `seed`."""
    # split() needs an X only for its length: the stratification reads y.
    return list(_splitter(n_splits, seed).split(np.zeros(len(y)), y))


def cv_scores(model, X, y, n_splits: int = 5, seed: int = 0) -> np.ndarray:
    """Accuracy per fold; cross_val_score fits a fresh clone of `model` on each fold."""
    return cross_val_score(model, X, y, cv=_splitter(n_splits, seed), scoring="accuracy")


def summarize(scores) -> tuple[float, float]:
    """(mean, population standard deviation) of the fold scores."""
    values = np.asarray(scores, dtype=float)
    return float(values.mean()), float(values.std())
