"""Hidden-test style checks for sklearn/e04: soft voting equals the mean of the members' probabilities."""

import numpy as np
import pytest
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split


@pytest.fixture
def mod(kata):
    return kata.module("voting")


class FixedProba:
    """A fitted member whose probabilities are given."""

    def __init__(self, proba, classes):
        self.proba = np.asarray(proba, dtype=float)
        self.classes_ = np.asarray(classes)

    def predict_proba(self, X):
        return self.proba[: len(X)]


@pytest.mark.parametrize("classes", [[0, 1, 2], [3, 5, 7], ["a", "b", "c"]])
def test_manual_soft_vote_on_random_members(mod, classes):
    rng = np.random.default_rng(len(str(classes)))
    tables = [rng.dirichlet(np.ones(3), size=25) for _ in range(4)]
    members = [FixedProba(t, classes) for t in tables]
    X = np.zeros((25, 2))
    proba = mod.soft_vote_proba(members, X)
    np.testing.assert_allclose(
        proba, np.mean(tables, axis=0), err_msg="the mean of the members' probabilities"
    )
    labels = mod.soft_vote_predict(members, X)
    expected = np.asarray(classes)[np.argmax(np.mean(tables, axis=0), axis=1)]
    np.testing.assert_array_equal(
        np.asarray(labels), expected, err_msg=f"labels must come from classes_ {classes}"
    )


def test_build_voting_configuration(mod):
    voting = mod.build_voting(seed=3)
    assert type(voting).__name__ == "VotingClassifier", f"got {type(voting).__name__}"
    assert voting.voting == "soft", f"voting={voting.voting!r}: soft voting averages probabilities"
    assert voting.weights is None, "no weights: every member counts the same"
    names = [name for name, _ in voting.estimators]
    assert names == ["rf", "gbm", "lr"], f"member names {names}"
    rf, gbm, lr = (est for _, est in voting.estimators)
    assert type(rf).__name__ == "RandomForestClassifier" and rf.n_estimators == 50 and rf.random_state == 3
    assert (
        type(gbm).__name__ == "GradientBoostingClassifier"
        and gbm.n_estimators == 50
        and gbm.random_state == 3
    )
    steps = [type(step).__name__ for _, step in getattr(lr, "steps", [])]
    assert steps == ["StandardScaler", "LogisticRegression"], (
        f"'lr' should be scaler + logistic regression: {steps}"
    )


@pytest.fixture(scope="module")
def wine():
    X, y = load_wine(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


@pytest.fixture(scope="module")
def fitted(kata_shared, wine):
    X_tr, _, y_tr, _ = wine
    labels = np.array(["barolo", "grignolino", "barbera"])[y_tr]  # labels that are not 0..k-1
    return kata_shared.module("voting").build_voting(seed=0).fit(X_tr, labels)


def test_ensemble_probabilities_are_the_members_mean(mod, wine, fitted):
    X_te = wine[1]
    members = list(fitted.named_estimators_.values())
    ensemble = fitted.predict_proba(X_te)
    np.testing.assert_allclose(
        ensemble, np.mean([m.predict_proba(X_te) for m in members], axis=0), atol=1e-12
    )
    np.testing.assert_allclose(mod.soft_vote_proba(members, X_te), ensemble, atol=1e-12)
    # VotingClassifier fits its members on labels encoded as 0..k-1; fitted.classes_ decodes them
    decoded = fitted.classes_[np.asarray(mod.soft_vote_predict(members, X_te)).astype(int)]
    np.testing.assert_array_equal(decoded, fitted.predict(X_te))


def test_ensemble_accuracy_floor(wine, fitted):
    _, X_te, _, y_te = wine
    truth = np.array(["barolo", "grignolino", "barbera"])[y_te]
    accuracy = float(np.mean(fitted.predict(X_te) == truth))
    assert accuracy >= 0.9, f"soft-voting accuracy {accuracy:.3f} < 0.9 on wine"
