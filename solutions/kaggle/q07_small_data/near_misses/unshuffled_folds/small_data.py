"""Near miss: passes cv=5 to the search, so its folds are stratified but neither shuffled nor seeded."""

from __future__ import annotations

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, learning_curve
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler


def make_model(C: float = 1.0) -> Pipeline:
    """Scaling first: the L2 penalty treats every coefficient alike, so features must share a scale."""
    return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=1000))


def choose_C(X, y, Cs, seed: int = 0) -> float:
    """The C with the best cross-validated log loss; on ties the smallest C (the strongest regularisation)."""
    grid = {"logisticregression__C": sorted(Cs)}  # ascending: GridSearchCV keeps the first of equal scores
    search = GridSearchCV(make_model(), grid, cv=5, scoring="neg_log_loss").fit(X, y)
    return float(search.best_params_["logisticregression__C"])


def learning_curve_table(model, X, y, train_sizes, seed: int = 0) -> pd.DataFrame:
    """Mean training and validation accuracy for growing training sets."""
    cv = StratifiedKFold(5, shuffle=True, random_state=seed)
    sizes, train_scores, cv_scores = learning_curve(
        model, X, y, train_sizes=train_sizes, cv=cv, scoring="accuracy"
    )
    return pd.DataFrame(
        {
            "train_size": sizes.astype(int),
            "train_score": train_scores.mean(axis=1),
            "cv_score": cv_scores.mean(axis=1),
        }
    )
