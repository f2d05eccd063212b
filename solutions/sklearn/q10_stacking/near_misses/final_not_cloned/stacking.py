"""Near miss: fits the caller's final_estimator itself instead of a clone, leaving the object it was given fitted."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import StackingClassifier
from sklearn.model_selection import cross_val_predict


def oof_meta_features(estimators, X, y, cv):
    """(n_samples, n_estimators): out-of-fold positive-class probabilities of each member."""
    # Each row is predicted by a copy of the member that never saw it: honest inputs for the meta-model.
    return np.column_stack(
        [cross_val_predict(est, X, y, cv=cv, method="predict_proba")[:, 1] for _, est in estimators]
    )


def fit_manual_stack(estimators, final_estimator, X, y, cv):
    """(members refitted on all rows, final estimator fitted on the out-of-fold meta-features)."""
    final = final_estimator.fit(oof_meta_features(estimators, X, y, cv), y)
    # At prediction time the members may use every training row.
    members = [clone(est).fit(X, y) for _, est in estimators]
    return members, final


def predict_manual_stack(members, final, X):
    """final.predict_proba of the members' positive-class probabilities on X."""
    meta = np.column_stack([member.predict_proba(X)[:, 1] for member in members])
    return final.predict_proba(meta)


def build_stacking(estimators, final_estimator, cv):
    """An unfitted StackingClassifier(..., cv=cv, stack_method='predict_proba')."""
    return StackingClassifier(estimators, final_estimator, cv=cv, stack_method="predict_proba")
