"""Kata sklearn/q10: stacking with out-of-fold predictions, by hand and with StackingClassifier. Edit this file."""

from __future__ import annotations

FILE = "katas/sklearn/q10_stacking/stacking.py"


def oof_meta_features(estimators, X, y, cv):
    """(n_samples, n_estimators): out-of-fold positive-class probabilities of each member."""
    raise NotImplementedError(f"oof_meta_features: write it in {FILE}")


def fit_manual_stack(estimators, final_estimator, X, y, cv):
    """(members refitted on all rows, final estimator fitted on the out-of-fold meta-features)."""
    raise NotImplementedError(f"fit_manual_stack: write it in {FILE}")


def predict_manual_stack(members, final, X):
    """final.predict_proba of the members' positive-class probabilities on X."""
    raise NotImplementedError(f"predict_manual_stack: write it in {FILE}")


def build_stacking(estimators, final_estimator, cv):
    """An unfitted StackingClassifier(..., cv=cv, stack_method='predict_proba')."""
    raise NotImplementedError(f"build_stacking: write it in {FILE}")
