"""Near miss: always splits into GroupKFold(5), whatever n_splits asks for."""

from __future__ import annotations

import numpy as np
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline


def cv_with_selection(X, y, k: int = 20, n_splits: int = 5, seed: int = 0) -> float:
    """Selection is a pipeline step, so each fold chooses its features from its own training rows only."""
    pipeline = make_pipeline(SelectKBest(f_classif, k=k), LogisticRegression())
    cv = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    return float(cross_val_score(pipeline, X, y, cv=cv).mean())


def grouped_cv(model, X, y, groups, n_splits: int = 5) -> float:
    """Each group lands in exactly one test fold and never in that fold's training part."""
    return float(cross_val_score(model, X, y, groups=groups, cv=GroupKFold(5)).mean())


def temporal_cv(model, X, y, times, n_splits: int = 5) -> float:
    """TimeSeriesSplit splits by position, so put the rows in time order first."""
    order = np.argsort(np.asarray(times), kind="stable")
    X_sorted, y_sorted = np.asarray(X)[order], np.asarray(y)[order]
    return float(cross_val_score(model, X_sorted, y_sorted, cv=TimeSeriesSplit(n_splits)).mean())
