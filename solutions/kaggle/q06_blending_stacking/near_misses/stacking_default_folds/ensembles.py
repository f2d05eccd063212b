"""Near miss: builds the stacking meta-features with oof_predictions' default folds, dropping the n_splits and seed it was given."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split


def _positive(model, X) -> np.ndarray:
    """P(class 1): the meta-model learns more from probabilities than from hard 0/1 labels."""
    return model.predict_proba(X)[:, 1]


def oof_predictions(models, X, y, n_splits: int = 5, seed: int = 0) -> np.ndarray:
    """One column per model: each row predicted by a copy of the model that never saw that row."""
    cv = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    columns = [cross_val_predict(clone(m), X, y, cv=cv, method="predict_proba")[:, 1] for m in models]
    return np.column_stack(columns)


def fit_stacking(models, meta, X, y, n_splits: int = 5, seed: int = 0):
    """Meta-model on out-of-fold predictions; base models refitted on every row for prediction time."""
    meta_features = oof_predictions(models, X, y)
    fitted_meta = clone(meta).fit(meta_features, y)
    fitted_bases = [clone(m).fit(X, y) for m in models]
    return fitted_bases, fitted_meta


def fit_blending(models, meta, X, y, holdout: float = 0.25, seed: int = 0):
    """Base models on one part, meta-model on their predictions for the held-out part."""
    X_base, X_hold, y_base, y_hold = train_test_split(X, y, test_size=holdout, stratify=y, random_state=seed)
    fitted_bases = [clone(m).fit(X_base, y_base) for m in models]
    meta_features = np.column_stack([_positive(b, X_hold) for b in fitted_bases])
    fitted_meta = clone(meta).fit(meta_features, y_hold)
    return fitted_bases, fitted_meta


def predict_ensemble(bases, meta, X) -> np.ndarray:
    """P(class 1) from the meta-model fed with the base models' probabilities."""
    return _positive(meta, np.column_stack([_positive(b, X) for b in bases]))
