"""Near miss: copies the feature names as given, so numbered features stay integers instead of becoming str."""

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
    table = pd.DataFrame({"feature": list(feature_names), "importance": model.feature_importances_})
    return table.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)
