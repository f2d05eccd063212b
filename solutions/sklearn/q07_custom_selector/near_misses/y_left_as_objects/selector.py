"""Near miss: validates y without y_numeric=True: a y of numbers held in an object array stays objects, so the
scores come out as an object array instead of floats."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin
from sklearn.utils.validation import check_is_fitted, validate_data


class CorrelationSelector(SelectorMixin, BaseEstimator):
    """Keep the k features with the largest absolute Pearson correlation with y."""

    def __init__(self, k=2):
        # scikit-learn's rule: __init__ only stores the parameters, unchanged and unvalidated.
        self.k = k

    def fit(self, X, y):
        # validate_data checks X and y, converts them to float arrays and sets n_features_in_
        # (and feature_names_in_ when X is a DataFrame).
        X, y = validate_data(self, X, y, y_numeric=False)
        if not isinstance(self.k, numbers.Integral) or isinstance(self.k, bool) or self.k < 1:
            raise ValueError(f"k must be a positive integer, got {self.k!r}")
        Xc = X - X.mean(axis=0)
        yc = y - y.mean()
        denom = np.sqrt((Xc**2).sum(axis=0) * (yc**2).sum())
        with np.errstate(divide="ignore", invalid="ignore"):
            corr = np.where(denom > 0, (Xc.T @ yc) / denom, 0.0)  # constant columns score 0
        self.scores_ = np.abs(corr)
        keep = np.argsort(-self.scores_, kind="stable")[: min(self.k, X.shape[1])]
        self.support_ = np.zeros(X.shape[1], dtype=bool)
        self.support_[keep] = True
        return self

    def _get_support_mask(self):
        # SelectorMixin builds transform, get_support and get_feature_names_out on this mask.
        check_is_fitted(self)
        return self.support_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True  # fit needs y
        return tags
