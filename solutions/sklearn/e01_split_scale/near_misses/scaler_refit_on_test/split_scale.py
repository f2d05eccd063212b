"""Near miss: the test rows are scaled with fit_transform, i.e. with their own statistics."""

from __future__ import annotations

from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def split_and_scale(X, y, test_size: float = 0.2, seed: int = 42):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=seed
    )
    scaler = StandardScaler().fit(X_train)
    X_train_s = scaler.transform(X_train)
    X_test_s = StandardScaler().fit_transform(X_test)
    return X_train_s, X_test_s, y_train, y_test, scaler
