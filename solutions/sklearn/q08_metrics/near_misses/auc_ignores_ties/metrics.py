"""Near miss: ROC AUC counts only strict wins: ties add nothing instead of one half."""

from __future__ import annotations

import numpy as np


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(y_true, dtype=float).ravel(), np.asarray(y_pred, dtype=float).ravel()
    if a.size == 0 or a.size != b.size:
        raise ValueError(f"need two non-empty inputs of equal length, got {a.size} and {b.size}")
    return a, b


def mse(y_true, y_pred) -> float:
    """Mean squared error: large errors dominate."""
    a, b = _pair(y_true, y_pred)
    return float(np.mean((a - b) ** 2))


def rmse(y_true, y_pred) -> float:
    """Root mean squared error: in the target's own unit."""
    return float(np.sqrt(mse(y_true, y_pred)))


def mae(y_true, y_pred) -> float:
    """Mean absolute error: every unit of error counts the same, robust to outliers."""
    a, b = _pair(y_true, y_pred)
    return float(np.mean(np.abs(a - b)))


def r2(y_true, y_pred) -> float:
    """Coefficient of determination (constant y_true: 1.0 if exact, else 0.0)."""
    a, b = _pair(y_true, y_pred)
    ss_res = np.sum((a - b) ** 2)
    ss_tot = np.sum((a - a.mean()) ** 2)
    if ss_tot == 0:  # nothing to explain: perfect or not, no ratio exists
        return 1.0 if ss_res == 0 else 0.0
    return float(1 - ss_res / ss_tot)


def adjusted_r2(y_true, y_pred, n_features: int) -> float:
    """R² adjusted for the number of predictors."""
    n = np.asarray(y_true).size
    dof = n - n_features - 1
    if dof <= 0:
        raise ValueError(f"adjusted R² needs n - p - 1 > 0, got n={n}, p={n_features}")
    return float(1 - (1 - r2(y_true, y_pred)) * (n - 1) / dof)


def accuracy(y_true, y_pred) -> float:
    """Share of equal labels."""
    a, b = _pair(y_true, y_pred)
    return float(np.mean(a == b))


def _counts(y_true, y_pred) -> tuple[int, int, int]:
    a, b = _pair(y_true, y_pred)
    tp = int(np.sum((a == 1) & (b == 1)))
    fp = int(np.sum((a != 1) & (b == 1)))
    fn = int(np.sum((a == 1) & (b != 1)))
    return tp, fp, fn


def precision(y_true, y_pred) -> float:
    """TP / (TP + FP); 0.0 without predicted positives."""
    tp, fp, _ = _counts(y_true, y_pred)
    return tp / (tp + fp) if tp + fp else 0.0


def recall(y_true, y_pred) -> float:
    """TP / (TP + FN); 0.0 without actual positives."""
    tp, _, fn = _counts(y_true, y_pred)
    return tp / (tp + fn) if tp + fn else 0.0


def f1(y_true, y_pred) -> float:
    """2TP / (2TP + FP + FN); 0.0 without any positive."""
    tp, fp, fn = _counts(y_true, y_pred)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def roc_auc(y_true, scores) -> float:
    """P(positive scores above negative), ties count 1/2."""
    a, s = _pair(y_true, scores)
    pos, neg = s[a == 1], s[a != 1]
    if pos.size == 0 or neg.size == 0:
        raise ValueError("ROC AUC needs both classes in y_true")
    # Every positive against every negative: a win counts 1, a tie 1/2 (the Mann–Whitney U statistic).
    wins = (pos[:, None] > neg[None, :]).sum()
    return float(wins / (pos.size * neg.size))
