"""Kata kaggle/e04: FamilySize, IsAlone and Title, usable as a transformer in a Pipeline. Edit this file."""

from __future__ import annotations

from sklearn.base import BaseEstimator, TransformerMixin

FILE = "katas/kaggle/e04_feature_engineering/features.py"


def extract_title(names):
    """The title in each 'Surname, Title. Given names' (Mr, Mrs, Miss, Master or Rare): a Series named 'Title'."""
    raise NotImplementedError(f"extract_title: write it in {FILE}")


def add_family_features(df):
    """A copy of df with FamilySize, IsAlone and Title added (df itself unchanged)."""
    raise NotImplementedError(f"add_family_features: write it in {FILE}")


class FamilyFeatures(BaseEstimator, TransformerMixin):
    """A stateless scikit-learn transformer: transform(X) is add_family_features(X)."""

    def fit(self, X, y=None):
        raise NotImplementedError(f"FamilyFeatures.fit: write it in {FILE}")

    def transform(self, X):
        raise NotImplementedError(f"FamilyFeatures.transform: write it in {FILE}")
