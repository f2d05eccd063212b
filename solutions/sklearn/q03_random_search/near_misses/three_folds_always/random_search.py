"""Near miss: hard-codes cv=3, the README's default, whatever cv the caller passes."""

from __future__ import annotations

from scipy.stats import loguniform
from sklearn.model_selection import RandomizedSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def svc_pipeline():
    """Unfitted Pipeline([('scale', StandardScaler()), ('svc', SVC())])."""
    return Pipeline([("scale", StandardScaler()), ("svc", SVC())])


def svc_space() -> dict:
    """{'svc__C': log-uniform 1e-2..1e2, 'svc__gamma': log-uniform 1e-4..1e-1} as scipy distributions."""
    # Log-uniform: each decade is equally likely, which suits parameters that act on a multiplicative scale.
    return {"svc__C": loguniform(1e-2, 1e2), "svc__gamma": loguniform(1e-4, 1e-1)}


def random_search(estimator, param_distributions, X, y, n_iter: int = 10, cv: int = 3, seed: int = 0):
    """A fitted RandomizedSearchCV with n_iter candidates, cv folds and random_state=seed."""
    # Cost: n_iter * cv fits + 1 refit, independent of how many parameters are searched.
    search = RandomizedSearchCV(
        estimator, param_distributions, n_iter=n_iter, cv=3, random_state=seed, n_jobs=1
    )
    return search.fit(X, y)
