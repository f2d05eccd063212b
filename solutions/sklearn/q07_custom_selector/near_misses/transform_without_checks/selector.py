"""Near miss: a hand-written transform that never checks the number of columns it receives."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data


class CorrelationSelector(TransformerMixin, BaseEstimator):
    def __init__(self, k=2):
        self.k = k

    def fit(self, X, y):
        X, y = validate_data(self, X, y, y_numeric=True)
        if not isinstance(self.k, numbers.Integral) or isinstance(self.k, bool) or self.k < 1:
            raise ValueError(f"k must be a positive integer, got {self.k!r}")
        Xc = X - X.mean(axis=0)
        yc = y - y.mean()
        denom = np.sqrt((Xc**2).sum(axis=0) * (yc**2).sum())
        with np.errstate(divide="ignore", invalid="ignore"):
            corr = np.where(denom > 0, (Xc.T @ yc) / denom, 0.0)
        self.scores_ = np.abs(corr)
        keep = np.argsort(-self.scores_, kind="stable")[: min(self.k, X.shape[1])]
        self.support_ = np.zeros(X.shape[1], dtype=bool)
        self.support_[keep] = True
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = np.asarray(X, dtype=float)
        return X[:, np.flatnonzero(self.support_)]

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        names = getattr(self, "feature_names_in_", None)
        if names is None:
            names = np.array([f"x{i}" for i in range(self.n_features_in_)], dtype=object)
        return np.asarray(names, dtype=object)[self.support_]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags
