"""Near miss: refit=False, so the search cannot predict and has no best_estimator_."""

from __future__ import annotations

import pandas as pd
from sklearn.model_selection import GridSearchCV, ParameterGrid

SCORES = ["mean_test_score", "std_test_score", "rank_test_score"]


def count_fits(param_grid, cv: int) -> int:
    """Number of fit calls of GridSearchCV(..., param_grid, cv=cv): candidates * cv + 1 refit."""
    return len(ParameterGrid(param_grid)) * cv + 1


def run_grid_search(estimator, param_grid, X, y, cv: int = 3):
    """A fitted GridSearchCV(estimator, param_grid, cv=cv) that refits the best candidate."""
    # refit=True (the default) retrains the best candidate on all of X, y: the search then predicts.
    return GridSearchCV(estimator, param_grid, cv=cv, refit=False, n_jobs=1).fit(X, y)


def results_frame(search):
    """One row per candidate: parameter columns (sorted), mean/std/rank of the test score; sorted by rank."""
    results = search.cv_results_
    # `params` holds plain dicts; the `param_<name>` columns are masked arrays of objects.
    params = pd.DataFrame(list(results["params"]))
    params = params[sorted(params.columns)]
    scores = pd.DataFrame({name: results[name] for name in SCORES})
    frame = pd.concat([params, scores], axis=1)
    return frame.sort_values("rank_test_score", kind="stable").reset_index(drop=True)
