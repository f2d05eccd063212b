"""Near miss: splits off the default 20 % whatever test_size asks for."""

from __future__ import annotations

from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def split_and_scale(X, y, test_size: float = 0.2, seed: int = 42):
    """Return (X_train_scaled, X_test_scaled, y_train, y_test, fitted StandardScaler)."""
    # stratify=y keeps each class's share equal in both parts.
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=seed)
    # The statistics (mean_, scale_) come from the training rows only: the test set stays unseen.
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test, scaler
