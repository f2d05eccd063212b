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


# Three members, two rows, three classes; the soft vote worked out by hand.
TABLES = [
    [[0.40, 0.60, 0.00], [0.20, 0.50, 0.30]],
    [[0.45, 0.55, 0.00], [0.60, 0.10, 0.30]],
    [[1.00, 0.00, 0.00], [0.10, 0.30, 0.60]],
]
MEAN = [[0.6166666666666667, 0.3833333333333333, 0.0], [0.3, 0.3, 0.4]]
WINNER = [0, 2]  # row 0: two members say class 1 (hard voting), but the mean favours class 0


@pytest.mark.parametrize("classes", [[0, 1, 2], [3, 5, 7], ["a", "b", "c"]])
def test_soft_vote_worked_by_hand(mod, classes):
    members = [FixedProba(t, classes) for t in TABLES]
    X = np.zeros((2, 2))
    np.testing.assert_allclose(
        mod.soft_vote_proba(members, X), MEAN, atol=1e-12, err_msg="the mean of the members' probabilities"
    )
    np.testing.assert_array_equal(
        np.asarray(mod.soft_vote_predict(members, X)),
        np.asarray(classes)[WINNER],
        err_msg=f"labels with the highest mean probability, taken from classes_ {classes}",
    )


@pytest.mark.parametrize("classes", [[0, 1, 2], [3, 5, 7], ["a", "b", "c"]])
def test_soft_vote_properties_on_random_members(mod, classes):
    rng = np.random.default_rng(len(str(classes)))
    tables = [rng.dirichlet(np.ones(3), size=25) for _ in range(4)]
    members = [FixedProba(t, classes) for t in tables]
    X = np.zeros((25, 2))
    proba = np.asarray(mod.soft_vote_proba(members, X))
    assert proba.shape == (25, 3), f"shape {proba.shape}: (n_samples, n_classes)"
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, err_msg="each row sums to 1")
    stacked = np.stack(tables)
    assert np.all(proba >= stacked.min(axis=0) - 1e-12) and np.all(proba <= stacked.max(axis=0) + 1e-12), (
        "an average lies between the members' smallest and largest probability"
    )
    np.testing.assert_allclose(
        mod.soft_vote_proba(members[::-1] + members, X),
        proba,
        atol=1e-12,
        err_msg="the vote does not depend on the members' order nor on counting each one twice",
    )
    np.testing.assert_allclose(
        mod.soft_vote_proba([members[1]] * 3, X),
        tables[1],
        atol=1e-12,
        err_msg="identical members: their table",
    )
    alone = np.asarray(mod.soft_vote_predict([members[2]], X))
    np.testing.assert_array_equal(
        alone, np.asarray(classes)[tables[2].argmax(axis=1)], err_msg="a single member: its own predictions"
    )
    labels = list(np.asarray(mod.soft_vote_predict(members, X)))
    for row, label in enumerate(labels):
        assert label in classes, f"row {row}: {label!r} is not one of classes_ {classes}"
        assert proba[row, classes.index(label)] == pytest.approx(proba[row].max()), (
            f"row {row}: {label!r} does not have the highest mean probability"
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
    assert lr.steps[-1][1].max_iter == 1000, (
        f"LogisticRegression(max_iter=1000), got {lr.steps[-1][1].max_iter}"
    )
    default = mod.build_voting()
    seeds = [getattr(est, "random_state", None) for _, est in default.estimators[:2]]
    assert seeds == [0, 0], f"build_voting() uses the default seed 0 for rf and gbm, got {seeds}"


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
        mod.soft_vote_proba(members, X_te),
        ensemble,
        atol=1e-12,
        err_msg="VotingClassifier(voting='soft') and your vote differ",
    )
    # VotingClassifier fits its members on labels encoded as 0..k-1; fitted.classes_ decodes them
    decoded = fitted.classes_[np.asarray(mod.soft_vote_predict(members, X_te)).astype(int)]
    np.testing.assert_array_equal(decoded, fitted.predict(X_te))


def test_ensemble_accuracy_floor(wine, fitted):
    _, X_te, _, y_te = wine
    truth = np.array(["barolo", "grignolino", "barbera"])[y_te]
    accuracy = float(np.mean(fitted.predict(X_te) == truth))
    assert accuracy >= 0.9, f"soft-voting accuracy {accuracy:.3f} < 0.9 on wine"
