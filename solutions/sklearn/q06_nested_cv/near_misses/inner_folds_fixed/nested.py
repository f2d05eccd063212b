"""Near miss: runs the inner search with 3 folds (the README's default) whatever inner_cv says."""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import GridSearchCV, StratifiedKFold


def nested_cv(estimator, param_grid, X, y, inner_cv: int = 3, outer_cv: int = 5, seed: int = 0) -> dict:
    """{'scores', 'best_params', 'mean', 'std'} of an inner GridSearchCV scored on outer folds."""
    X, y = np.asarray(X), np.asarray(y)
    outer = StratifiedKFold(n_splits=outer_cv, shuffle=True, random_state=seed)
    scores, best_params = [], []
    for train, test in outer.split(X, y):
        # The inner search tunes AND refits on the outer training rows only ...
        search = GridSearchCV(estimator, param_grid, cv=3, n_jobs=1).fit(X[train], y[train])
        # ... and is scored once on rows it has never seen: an honest estimate of "tune, then train".
        scores.append(search.score(X[test], y[test]))
        best_params.append(search.best_params_)
    scores = np.array(scores, dtype=float)
    return {
        "scores": scores,
        "best_params": best_params,
        "mean": float(scores.mean()),
        "std": float(scores.std()),
    }
