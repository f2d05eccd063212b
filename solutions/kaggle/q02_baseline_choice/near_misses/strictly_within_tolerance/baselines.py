"""Near miss: requires a score strictly above max - tolerance, so a model exactly at the tolerance is passed over for a more complex one."""

from __future__ import annotations

import pandas as pd
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier


def baseline_models(seed: int = 0) -> dict:
    """From the simplest to the most flexible; the order is the order of preference."""
    return {
        "majority": DummyClassifier(strategy="most_frequent"),  # the floor: no feature at all
        "logistic": make_pipeline(StandardScaler(), LogisticRegression()),  # linear, scaled features
        "tree": DecisionTreeClassifier(max_depth=4, random_state=seed),  # thresholds and interactions
    }


def compare_baselines(X, y, seed: int = 0, n_splits: int = 5) -> pd.Series:
    """Mean CV accuracy of each baseline, all on the same seeded stratified folds."""
    cv = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    scores = {
        name: cross_val_score(model, X, y, cv=cv).mean() for name, model in baseline_models(seed).items()
    }
    return pd.Series(scores, name="accuracy", dtype=float)


def choose_baseline(scores: pd.Series, tolerance: float = 0.01) -> str:
    """The simplest model within `tolerance` of the best score: extra complexity must earn its place."""
    good_enough = scores[scores > scores.max() - tolerance]
    return str(good_enough.index[0])
