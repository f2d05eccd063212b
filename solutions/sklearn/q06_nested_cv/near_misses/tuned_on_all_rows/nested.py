"""Near miss: tunes once on ALL rows, then cross-validates the winner: the search saw every test fold."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, StratifiedKFold


def nested_cv(estimator, param_grid, X, y, inner_cv: int = 3, outer_cv: int = 5, seed: int = 0) -> dict:
    X, y = np.asarray(X), np.asarray(y)
    search = GridSearchCV(estimator, param_grid, cv=inner_cv, n_jobs=1).fit(X, y)
    outer = StratifiedKFold(n_splits=outer_cv, shuffle=True, random_state=seed)
    scores, best_params = [], []
    for train, test in outer.split(X, y):
        model = clone(estimator).set_params(**search.best_params_).fit(X[train], y[train])
        scores.append(model.score(X[test], y[test]))
        best_params.append(search.best_params_)
    scores = np.array(scores, dtype=float)
    return {
        "scores": scores,
        "best_params": best_params,
        "mean": float(scores.mean()),
        "std": float(scores.std()),
    }
