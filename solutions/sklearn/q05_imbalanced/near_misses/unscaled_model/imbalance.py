"""Near miss: fits the balanced logistic regression on raw features, without the StandardScaler step the README asks for."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline


def best_f1_threshold(y_true, scores) -> tuple[float, float]:
    """(threshold, F1) with the highest F1 over the distinct scores; ties -> the largest threshold."""
    y_true = np.asarray(y_true) == 1
    scores = np.asarray(scores, dtype=float)
    n_pos = int(y_true.sum())
    if n_pos == 0:
        raise ValueError("y_true has no positive sample: F1 is undefined")
    # Sort by score, descending: lowering the threshold to the k-th distinct value predicts its whole block 1.
    order = np.argsort(-scores, kind="stable")
    s, t = scores[order], y_true[order]
    tp = np.cumsum(t)
    fp = np.cumsum(~t)
    last = np.r_[s[1:] != s[:-1], True]  # the last position of each block of equal scores
    thresholds, tp, fp = s[last], tp[last], fp[last]
    f1 = 2 * tp / (2 * tp + fp + (n_pos - tp))
    best = int(np.argmax(f1))  # thresholds are descending: the first maximum is the largest threshold
    return float(thresholds[best]), float(f1[best])


def fit_weighted(X, y):
    """A fitted make_pipeline(StandardScaler(), LogisticRegression(class_weight='balanced', max_iter=1000))."""
    # 'balanced' weighs each class by n_samples / (n_classes * count): the rare class counts as much in total.
    model = make_pipeline(LogisticRegression(class_weight="balanced", max_iter=1000))
    return model.fit(X, y)


def tune_threshold(model, X, y, cv: int = 5, seed: int = 0) -> float:
    """The F1-optimal threshold of the model's out-of-fold probabilities."""
    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed)
    # Each probability comes from a model that did not see that row: an honest basis for choosing the cut.
    oof = cross_val_predict(model, X, y, cv=folds, method="predict_proba")[:, 1]
    return best_f1_threshold(y, oof)[0]


def predict_with_threshold(model, X, threshold: float):
    """1 where predict_proba(X)[:, 1] >= threshold, else 0."""
    return (model.predict_proba(X)[:, 1] >= threshold).astype(int)
