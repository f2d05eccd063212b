"""Hidden-test style checks for kaggle/e05: folds stratified and seeded, scores and summary exact."""

import hashlib
import statistics

import numpy as np
import pandas as pd
import pytest
from sklearn.tree import DecisionTreeClassifier

from graders.kit import titanic


@pytest.fixture
def cv(kata):
    return kata.module("cv")


def _xy():
    train = titanic.generate()[0]
    X = pd.DataFrame(
        {
            "Pclass": train["Pclass"],
            "IsFemale": (train["Sex"] == "female").astype(int),
            "Age": train["Age"],
            "Fare": train["Fare"],
        }
    )
    return X, train["Survived"]


# Fingerprints of the test folds of StratifiedKFold(n_splits, shuffle=True, random_state=seed) on the train
# labels, in the splitter's order: sha256 of the sorted test positions written as "i,j,k,...", first 12 hex digits.
FOLD_PRINTS = {
    (0, 5): ["3d7be26b914e", "4ff81b2dbc6f", "0863b3cb8b25", "ef4e619624bc", "c324337e53b0"],
    (1, 5): ["803727748ade", "1a5ba04ee85c", "7a2e0909c673", "4657d5e070ba", "2a0de62098a5"],
    (7, 3): ["89187b2c010f", "1410b46c4797", "753fdfa0164e"],
    (42, 10): [
        "7b74f483fd01",
        "8f02b00ddfca",
        "eb5e8fed5ba8",
        "858be3740194",
        "bfdffdf74b09",
        "5c62e069a9c8",
        "3664d11f5897",
        "a63c1febdeb9",
        "0c07a46b9f89",
        "58f58df98693",
    ],
}


def _print(positions):
    text = ",".join(str(int(i)) for i in sorted(np.asarray(positions).tolist()))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@pytest.mark.parametrize(("seed", "n_splits"), sorted(FOLD_PRINTS))
def test_folds_equal_seeded_stratified_kfold(cv, seed, n_splits):
    _, y = _xy()
    folds = cv.make_folds(y, n_splits=n_splits, seed=seed)
    assert len(folds) == n_splits, f"expected {n_splits} folds, got {len(folds)}"
    tests = np.concatenate([np.asarray(test) for _, test in folds])
    assert sorted(tests.tolist()) == list(range(len(y))), "the test folds must cover every row exactly once"
    for k, ((train, test), expected) in enumerate(zip(folds, FOLD_PRINTS[seed, n_splits], strict=True)):
        assert _print(test) == expected, (
            f"fold {k}: test rows {sorted(np.asarray(test).tolist())[:6]}... are not fold {k} of "
            f"StratifiedKFold({n_splits}, shuffle=True, random_state={seed})"
        )
        assert sorted(np.asarray(train).tolist()) == sorted(
            set(range(len(y))) - set(np.asarray(test).tolist())
        ), f"fold {k}: the train part must be the complement of the test part"
    rate = y.mean()
    for _, test in folds:
        assert abs(y.iloc[np.asarray(test)].mean() - rate) < 0.02, "folds are not stratified"


def test_folds_reproducible_and_seed_sensitive(cv):
    _, y = _xy()
    a = cv.make_folds(y, seed=3)
    b = cv.make_folds(y, seed=3)
    c = cv.make_folds(y, seed=4)
    assert all(np.array_equal(x[1], z[1]) for x, z in zip(a, b, strict=True)), "same seed, different folds"
    assert not all(np.array_equal(x[1], z[1]) for x, z in zip(a, c, strict=True)), "the seed is ignored"


# A DecisionTreeClassifier(max_depth=3, random_state=0) on the README's four columns: right answers per fold
# and fold sizes, worked out once for these seeds.
RIGHT_ANSWERS = {
    (0, 5): ([149, 131, 136, 132, 131], [179, 178, 178, 178, 178]),
    (11, 4): ([178, 166, 171, 169], [223, 223, 223, 222]),
}


@pytest.mark.parametrize(("seed", "n_splits"), sorted(RIGHT_ANSWERS))
def test_cv_scores_per_fold(cv, seed, n_splits):
    X, y = _xy()
    model = DecisionTreeClassifier(max_depth=3, random_state=0)
    got = cv.cv_scores(model, X, y, n_splits=n_splits, seed=seed)
    right, sizes = RIGHT_ANSWERS[seed, n_splits]
    np.testing.assert_allclose(
        np.asarray(got, dtype=float),
        np.array(right) / np.array(sizes),
        rtol=0,
        atol=1e-12,
        err_msg="accuracy per fold, in fold order",
    )
    assert not hasattr(model, "tree_"), (
        "the model passed in should stay unfitted (cross-validation fits clones)"
    )
    again = cv.cv_scores(model, X, y, n_splits=n_splits, seed=seed)
    assert np.array_equal(np.asarray(again), np.asarray(got)), "two runs with the same seed differ"


@pytest.mark.parametrize("seed", range(3))
def test_summarize(cv, seed):
    scores = np.random.default_rng(seed).uniform(0.6, 0.9, size=5 + seed)
    mean, std = cv.summarize(scores)
    assert type(mean) is float and type(std) is float, "return Python floats"
    assert abs(mean - statistics.fmean(scores)) < 1e-12
    assert abs(std - statistics.pstdev(scores)) < 1e-12, (
        f"std {std} != population std {statistics.pstdev(scores)}"
    )


def test_summarize_readme_example(cv):
    scores = [149 / 179, 131 / 178, 136 / 178, 132 / 178, 131 / 178]
    assert cv.summarize(scores) == pytest.approx((0.7619860649049024, 0.03670039404490348), rel=1e-12)


def test_defaults_are_5_folds_and_seed_0(cv):
    X, y = _xy()
    default, explicit = cv.make_folds(y), cv.make_folds(y, n_splits=5, seed=0)
    assert len(default) == 5, f"make_folds(y): the default is 5 folds, got {len(default)}"
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(default, explicit, strict=True)), (
        "make_folds(y) should equal make_folds(y, n_splits=5, seed=0)"
    )
    model = DecisionTreeClassifier(max_depth=3, random_state=0)
    right, sizes = RIGHT_ANSWERS[0, 5]
    np.testing.assert_allclose(
        np.asarray(cv.cv_scores(model, X, y), dtype=float),
        np.array(right) / np.array(sizes),
        atol=1e-12,
        err_msg="cv_scores(model, X, y) uses the defaults n_splits=5, seed=0",
    )
