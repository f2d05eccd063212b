"""Kata sklearn/e02: a seeded random forest and its importance table. Edit this file."""

from __future__ import annotations

FILE = "katas/sklearn/e02_random_forest/forest.py"


def train_forest(X_train, y_train, seed: int = 42):
    """A fitted RandomForestClassifier with 100 trees and random_state=seed."""
    raise NotImplementedError(f"train_forest: write it in {FILE}")


def importance_table(model, feature_names):
    """DataFrame with columns feature, importance, sorted by importance descending, index 0..n-1."""
    raise NotImplementedError(f"importance_table: write it in {FILE}")
