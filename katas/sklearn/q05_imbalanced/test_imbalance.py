"""Hidden-test style checks for sklearn/q05: class weights and an F1-optimal threshold on 95/5 data."""

from fractions import Fraction

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve
from sklearn.model_selection import StratifiedKFold, train_test_split


@pytest.fixture
def mod(kata):
    return kata.module("imbalance")


def best_by_pr_curve(y, scores):
    """(largest threshold with the best F1, that F1), from the cuts sklearn's precision-recall curve reports.

    precision_recall_curve gives precision and recall at every distinct score used as a cut (score >= t);
    TP, FP and FN follow from them, and the F1 is kept exact as a Fraction so that ties are ties.
    """
    y = np.asarray(y)
    n_pos = int(y.sum())
    precision, recall, thresholds = precision_recall_curve(y, scores)
    best = None
    for p, r, t in zip(precision[:-1], recall[:-1], thresholds, strict=True):
        tp = round(r * n_pos)
        predicted = round(tp / p) if tp else 0
        f1 = Fraction(2 * tp, predicted + n_pos)  # 2TP / (2TP + FP + FN)
        if best is None or f1 >= best[1]:  # thresholds ascend: on a tie keep the later, larger one
            best = (float(t), f1)
    return best[0], float(best[1])


def test_readme_example(mod):
    got = mod.best_f1_threshold([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.5, 0.9])
    assert type(got) is tuple and len(got) == 2, f"return (threshold, f1), got {got!r}"
    assert all(type(v) is float for v in got), f"both Python floats: {got!r}"
    assert got == pytest.approx((0.8, 0.8))


def test_no_positive_raises(mod):
    with pytest.raises(ValueError):
        mod.best_f1_threshold([0, 0, 0], [0.2, 0.5, 0.9])


@pytest.mark.parametrize("seed", range(6))
def test_best_threshold_against_the_precision_recall_curve(mod, seed):
    rng = np.random.default_rng(seed)
    for case in range(50):
        n = int(rng.integers(1, 40))
        y = rng.integers(0, 2, size=n)
        y[rng.integers(n)] = 1
        # coarse scores create many ties in score and in F1
        scores = rng.integers(0, 6, size=n) / 5 if case % 2 else rng.random(n)
        expected = best_by_pr_curve(y, scores)
        got = mod.best_f1_threshold(y.tolist(), scores.tolist())
        assert got == pytest.approx(expected), (
            f"y={y.tolist()}, scores={scores.tolist()}: {expected}, got {got}"
        )


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=5000,
        n_features=8,
        n_informative=4,
        weights=[0.95, 0.05],
        class_sep=0.8,
        flip_y=0,
        random_state=0,
    )
    return train_test_split(X, y, test_size=0.4, stratify=y, random_state=0)


def test_predict_with_threshold(mod, data):
    X_tr, X_te, y_tr, _ = data
    model = LogisticRegression(max_iter=1000).fit(X_tr, y_tr)
    proba = model.predict_proba(X_te)[:, 1]
    for t in [0.5, 0.1, float(np.sort(proba)[-10])]:
        pred = np.asarray(mod.predict_with_threshold(model, X_te, t))
        np.testing.assert_array_equal(
            pred, (proba >= t).astype(int), err_msg=f"threshold {t}: 1 where proba >= t"
        )
        assert set(np.unique(pred)) <= {0, 1}


def test_tune_threshold_uses_out_of_fold_probabilities(mod, data):
    X_tr, _, y_tr, _ = data
    model = LogisticRegression(max_iter=1000, class_weight="balanced")
    got = mod.tune_threshold(model, X_tr, y_tr, cv=4, seed=3)
    oof = np.empty(len(y_tr))  # each row's probability from a copy of the model fitted on the other folds
    for fit_rows, held_out in StratifiedKFold(n_splits=4, shuffle=True, random_state=3).split(X_tr, y_tr):
        oof[held_out] = clone(model).fit(X_tr[fit_rows], y_tr[fit_rows]).predict_proba(X_tr[held_out])[:, 1]
    expected = best_by_pr_curve(y_tr, oof)[0]
    assert got == pytest.approx(expected), (
        f"threshold {got}, the F1 optimum of the out-of-fold probabilities is {expected}"
    )
    small_X, small_y = X_tr[:600], y_tr[:600]
    default = mod.tune_threshold(model, small_X, small_y)
    explicit = mod.tune_threshold(model, small_X, small_y, cv=5, seed=0)
    assert default == explicit, f"the defaults are cv=5, seed=0: {default} != {explicit}"


def test_fit_weighted_is_the_scaled_balanced_model(mod, data):
    X_tr, _, y_tr, _ = data
    model = mod.fit_weighted(X_tr, y_tr)
    steps = [type(step).__name__ for step in getattr(model, "steps", [(None, model)]) for step in [step[1]]]
    assert steps == ["StandardScaler", "LogisticRegression"], (
        f"expected scaler + logistic regression, got {steps}"
    )
    clf = model.steps[-1][1]
    assert clf.class_weight == "balanced" and clf.max_iter == 1000, (
        f"LogisticRegression(class_weight='balanced', max_iter=1000), got {clf.class_weight!r}, {clf.max_iter}"
    )
    assert hasattr(clf, "coef_"), "return the pipeline fitted"


def test_weights_and_threshold_beat_the_unweighted_baseline(mod, data):
    X_tr, X_te, y_tr, y_te = data
    assert abs(y_tr.mean() - 0.05) < 0.01, "the data should be 95/5"

    def recall_f1(pred):
        tp, fp, fn = np.sum(pred & (y_te == 1)), np.sum(pred & (y_te == 0)), np.sum(~pred & (y_te == 1))
        return tp / (tp + fn), 2 * tp / (2 * tp + fp + fn)

    baseline = LogisticRegression(max_iter=1000).fit(X_tr, y_tr)
    base_recall, base_f1 = recall_f1(baseline.predict(X_te) == 1)
    model = mod.fit_weighted(X_tr, y_tr)
    weighted_recall, _ = recall_f1(model.predict(X_te) == 1)
    assert weighted_recall > base_recall + 0.3, (
        f"class weights should lift minority recall: {weighted_recall:.2f} vs unweighted {base_recall:.2f}"
    )
    threshold = mod.tune_threshold(model, X_tr, y_tr)
    recall, f1 = recall_f1(np.asarray(mod.predict_with_threshold(model, X_te, threshold)) == 1)
    assert recall > base_recall + 0.2 and f1 > base_f1 + 0.1, (
        f"weights + tuned threshold: recall {recall:.2f}, F1 {f1:.2f}; "
        f"unweighted at 0.5: recall {base_recall:.2f}, F1 {base_f1:.2f}"
    )
