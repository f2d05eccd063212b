"""Near miss: fits the caller's estimator itself every round instead of a fresh clone: the figures are right, the caller's object is left fitted."""

from __future__ import annotations

import numpy as np


def bias_variance(estimator, X_train, y_train, X_test, y_test, n_rounds: int = 100, seed: int = 0) -> dict:
    """{'loss': ..., 'bias2': ..., 'variance': ...} over n_rounds bootstrap fits."""
    if n_rounds < 1:
        raise ValueError(f"n_rounds must be at least 1, got {n_rounds}")
    X_train, y_train = np.asarray(X_train), np.asarray(y_train)
    X_test, y_test = np.asarray(X_test), np.asarray(y_test, dtype=float)
    rng = np.random.RandomState(seed)  # one generator: each round draws a different sample
    n_train = len(y_train)
    preds = np.empty((n_rounds, len(y_test)))
    for r in range(n_rounds):
        idx = rng.choice(n_train, size=n_train, replace=True)  # a bootstrap sample: with replacement
        preds[r] = estimator.fit(X_train[idx], y_train[idx]).predict(X_test)
    main = preds.mean(axis=0)  # the "average model" at each test point
    return {
        "loss": float(np.mean((preds - y_test) ** 2)),
        "bias2": float(np.mean((main - y_test) ** 2)),  # how far the average model is from the truth
        "variance": float(np.mean((preds - main) ** 2)),  # how much single models scatter around it
    }
