"""Hidden-test style checks for sklearn/q10: stacking on out-of-fold predictions, by hand and with StackingClassifier."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import StackingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier


@pytest.fixture
def mod(kata):
    return kata.module("stacking")


def members():
    return [
        ("tree", DecisionTreeClassifier(max_depth=4, random_state=0)),
        ("knn", make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=7))),
        ("nb", GaussianNB()),
    ]


CV = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=1)


class RecordingLogistic(LogisticRegression):
    """A final estimator that keeps the meta-features it was fitted on."""

    def fit(self, X, y, sample_weight=None):
        self.seen_ = np.asarray(X).copy()
        return super().fit(X, y, sample_weight=sample_weight)


@pytest.fixture(scope="module")
def reference_stack(cancer):
    """scikit-learn's own stack; its final estimator keeps the out-of-fold meta-features it was fitted on."""
    X_tr, _, y_tr, _ = cancer
    stack = StackingClassifier(
        members(), RecordingLogistic(max_iter=1000), cv=CV, stack_method="predict_proba"
    )
    return stack.fit(X_tr, y_tr)


def test_meta_features_equal_stacking_classifiers(mod, cancer, reference_stack):
    X_tr, _, y_tr, _ = cancer
    meta = np.asarray(mod.oof_meta_features(members(), X_tr, y_tr, CV))
    assert meta.shape == (len(y_tr), 3), f"shape {meta.shape}: one column per member"
    expected = reference_stack.final_estimator_.seen_
    for j, (name, _) in enumerate(members()):
        np.testing.assert_allclose(
            meta[:, j], expected[:, j], err_msg=f"column {j} ({name}): out-of-fold probabilities of class 1"
        )


def test_build_stacking_configuration(mod):
    final = LogisticRegression(C=0.5)
    stack = mod.build_stacking(members(), final, cv=4)
    assert type(stack).__name__ == "StackingClassifier", f"got {type(stack).__name__}"
    assert stack.final_estimator is final, "pass final_estimator on as the stack's final estimator"
    assert stack.cv == 4 and stack.stack_method == "predict_proba", "cv=cv, stack_method='predict_proba'"
    assert [name for name, _ in stack.estimators] == ["tree", "knn", "nb"]
    assert not hasattr(stack, "estimators_"), "return it unfitted"


@pytest.fixture(scope="module")
def manual(kata_shared, cancer):
    X_tr, _, y_tr, _ = cancer
    given, given_final = members(), LogisticRegression(max_iter=1000)
    fitted, final = kata_shared.module("stacking").fit_manual_stack(given, given_final, X_tr, y_tr, CV)
    return given, given_final, fitted, final


def test_manual_stack_equals_stacking_classifier(mod, cancer, manual, reference_stack):
    _, X_te, _, _ = cancer
    given, given_final, fitted, final = manual
    assert len(fitted) == 3, "one refitted member per estimator"
    assert not hasattr(given[0][1], "tree_"), "clone the estimators: the caller's objects must stay unfitted"
    assert not hasattr(given_final, "coef_"), "fit a clone of final_estimator: the caller's stays unfitted"
    manual = np.asarray(mod.predict_manual_stack(fitted, final, X_te))
    stack = reference_stack
    np.testing.assert_allclose(
        manual,
        stack.predict_proba(X_te),
        atol=1e-8,
        err_msg="the manual stack should compute exactly what StackingClassifier does",
    )
    np.testing.assert_allclose(
        final.coef_,
        stack.final_estimator_.coef_,
        atol=1e-8,
        err_msg="the meta-model learns from the out-of-fold meta-features",
    )


def test_stack_is_not_worse_than_its_best_member(mod, cancer, manual):
    X_tr, X_te, y_tr, y_te = cancer
    _, _, fitted, final = manual
    proba = np.asarray(mod.predict_manual_stack(fitted, final, X_te))
    scores = {name: est.fit(X_tr, y_tr) for name, est in members()}
    losses = {name: log_loss(y_te, model.predict_proba(X_te)) for name, model in scores.items()}
    accuracies = {name: np.mean(model.predict(X_te) == y_te) for name, model in scores.items()}
    stack_loss, stack_accuracy = log_loss(y_te, proba), np.mean(np.argmax(proba, axis=1) == y_te)
    assert stack_loss <= min(losses.values()), f"stack log loss {stack_loss:.3f} vs members {losses}"
    assert stack_accuracy >= max(accuracies.values()) - 0.03, (
        f"stack accuracy {stack_accuracy:.3f} vs members {accuracies}"
    )
