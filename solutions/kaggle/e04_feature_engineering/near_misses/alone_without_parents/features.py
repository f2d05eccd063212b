"""Near miss: calls a passenger alone when they have no sibling or spouse aboard, ignoring parents and children."""

from __future__ import annotations

import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

COMMON = ["Mr", "Mrs", "Miss", "Master"]
SYNONYMS = {"Mlle": "Miss", "Ms": "Miss", "Mme": "Mrs"}


def extract_title(names: pd.Series) -> pd.Series:
    """The title in each 'Surname, Title. Given names', normalised to Mr, Mrs, Miss, Master or Rare."""
    # Everything between the first comma and the next full stop: "the Countess" included.
    raw = names.str.extract(r",\s*([^.]*)\.", expand=False).str.strip()
    title = raw.replace(SYNONYMS)
    return title.where(title.isin(COMMON), "Rare").rename("Title")


def add_family_features(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of df with FamilySize, IsAlone and Title added."""
    out = df.copy()  # never write into the caller's frame
    out["FamilySize"] = (out["SibSp"] + out["Parch"] + 1).astype(int)
    out["IsAlone"] = (out["SibSp"] == 0).astype(int)
    out["Title"] = extract_title(out["Name"])
    return out


class FamilyFeatures(BaseEstimator, TransformerMixin):
    """Stateless: nothing is learnt in fit, so it cannot leak anything across CV folds."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return add_family_features(X)
