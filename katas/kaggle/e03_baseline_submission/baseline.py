"""Kata kaggle/e03: a decision-tree baseline and a valid Kaggle submission file. Edit this file."""

from __future__ import annotations

from pathlib import Path

FILE = "katas/kaggle/e03_baseline_submission/baseline.py"

FEATURES = ["Pclass", "IsFemale", "Age", "SibSp", "Parch", "Fare"]


def baseline_features(df):
    """The FEATURES columns of a train or test frame (IsFemale = 1 for women, 0 for men; NaN kept)."""
    raise NotImplementedError(f"baseline_features: write it in {FILE}")


def fit_baseline(train):
    """A DecisionTreeClassifier(max_depth=4, random_state=0) fitted on baseline_features(train) and Survived."""
    raise NotImplementedError(f"fit_baseline: write it in {FILE}")


def write_submission(model, test, path: str | Path):
    """Predict every test row, write PassengerId,Survived to `path` (CSV, no index) and return that frame."""
    raise NotImplementedError(f"write_submission: write it in {FILE}")
