"""Near miss: sorts with sort_values' default quicksort, which is not stable: features with equal importance
(the unused ones at 0) come out in any order instead of the order of feature_names."""

from __future__ import annotations

import pandas as pd
from sklearn.ensemble import RandomForestClassifier


def train_forest(X_train, y_train, seed: int = 42):
    """A fitted RandomForestClassifier with 100 trees and random_state=seed."""
    # random_state fixes the bootstrap samples and the features tried at each split: same seed, same forest.
    model = RandomForestClassifier(n_estimators=100, random_state=seed, n_jobs=1)
    return model.fit(X_train, y_train)


def importance_table(model, feature_names):
    """DataFrame with columns feature, importance, sorted by importance descending, index 0..n-1."""
    table = pd.DataFrame(
        {"feature": [str(name) for name in feature_names], "importance": model.feature_importances_}
    )
    return table.sort_values("importance", ascending=False).reset_index(drop=True)
