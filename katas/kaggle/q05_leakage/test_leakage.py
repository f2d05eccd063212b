"""Hidden-test style checks for kaggle/q05: on data built to expose leakage, the learner's score stays honest."""

import numpy as np
import pytest
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline


@pytest.fixture
def leakage(kata):
    return kata.module("leakage")


def _noise(seed, n=100, p=1000, informative=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = (X[:, :informative].sum(axis=1) > 0).astype(int) if informative else rng.integers(0, 2, n)
    return X, y


def test_selection_inside_folds_on_noise(leakage):
    X, y = _noise(0)
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    leaky = cross_val_score(
        LogisticRegression(), SelectKBest(f_classif, k=20).fit_transform(X, y), y, cv=cv
    ).mean()
    assert leaky > 0.75, f"test data check: selecting before CV should look good on noise ({leaky:.2f})"
    score = leakage.cv_with_selection(X, y)  # the defaults: k=20, n_splits=5, seed=0
    assert type(score) is float, f"return a Python float, got {type(score).__name__}"
    assert score < 0.7, (
        f"the labels are coin tosses, yet CV says {score:.2f}: the features were chosen with the validation rows"
    )
    honest = 0.57  # the pipeline's accuracy on these folds, worked out once
    assert abs(score - honest) < 1e-12, f"expected the pipeline's CV accuracy {honest:.4f}, got {score:.4f}"


@pytest.mark.parametrize(("seed", "k", "n_splits", "honest"), [(2, 30, 4, 0.875)])
def test_selection_finds_real_signal(leakage, seed, k, n_splits, honest):
    X, y = _noise(seed, n=160, p=400, informative=3)
    score = leakage.cv_with_selection(X, y, k=k, n_splits=n_splits, seed=seed)
    assert abs(score - honest) < 1e-12, (
        f"expected {honest:.4f}, got {score:.4f} (k, n_splits and seed honoured?)"
    )
    assert score > 0.75, f"with 3 informative features the honest score is still high, got {score:.2f}"


def test_selection_defaults_are_k20_5_folds_seed_0(leakage):
    X, y = _noise(6, n=120, p=200, informative=3)  # data on which k, n_splits and seed all change the score
    pipeline = make_pipeline(SelectKBest(f_classif, k=20), LogisticRegression())
    expected = cross_val_score(pipeline, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0)).mean()
    got = leakage.cv_with_selection(X, y)
    assert abs(got - expected) < 1e-12, (
        f"cv_with_selection(X, y) should use the defaults k=20, n_splits=5, seed=0: {got:.4f} != {expected:.4f}"
    )


def _grouped(seed, n_groups=60, size=5):
    rng = np.random.default_rng(seed)
    groups = np.repeat(rng.permutation(n_groups) + 1000, size)
    centres = rng.normal(size=(n_groups, 10))
    labels = rng.integers(0, 2, n_groups)
    index = groups - 1000
    X = centres[index] + 0.1 * rng.normal(size=(len(groups), 10))
    order = rng.permutation(len(groups))
    return X[order], labels[index][order], groups[order]


@pytest.mark.parametrize(
    ("seed", "n_splits", "honest"), [(0, 5, 0.4533333333333333), (3, 5, 0.3666666666666667), (3, 4, 0.45)]
)
def test_groups_stay_together(leakage, seed, n_splits, honest):
    X, y, groups = _grouped(seed)
    model = KNeighborsClassifier(n_neighbors=1)
    leaky = cross_val_score(model, X, y, cv=KFold(5, shuffle=True, random_state=0)).mean()
    assert leaky > 0.95, f"test data check: a random split should recognise group members ({leaky:.2f})"
    extra = {} if n_splits == 5 else {"n_splits": n_splits}  # 5 is the default
    score = leakage.grouped_cv(model, X, y, groups, **extra)
    assert type(score) is float, f"return a Python float, got {type(score).__name__}"
    assert score < 0.75, (
        f"labels are random per group, yet CV says {score:.2f}: groups were split across folds"
    )
    assert abs(score - honest) < 1e-12, (
        f"expected the GroupKFold({n_splits}) accuracy {honest:.4f} (worked out once), got {score:.4f}"
    )


def _temporal(seed, n=400):
    rng = np.random.default_rng(seed)
    blocks = []
    while sum(len(b) for b in blocks) < n:
        blocks.append([int(rng.integers(0, 2))] * int(rng.integers(5, 15)))
    y = np.concatenate(blocks)[:n]
    times = np.arange(n) + rng.uniform(0, 0.5, n)
    X = np.c_[times, rng.normal(size=n)]
    order = rng.permutation(n)
    return X[order], y[order], times[order]


@pytest.mark.parametrize(("seed", "n_splits", "honest"), [(0, 5, 0.5757575757575758), (1, 4, 0.384375)])
def test_time_split_trains_on_the_past(leakage, seed, n_splits, honest):
    X, y, times = _temporal(seed)
    model = KNeighborsClassifier(n_neighbors=3)
    leaky = cross_val_score(model, X, y, cv=KFold(n_splits, shuffle=True, random_state=0)).mean()
    assert leaky > 0.85, f"test data check: a shuffled split should interpolate in time ({leaky:.2f})"
    extra = {} if n_splits == 5 else {"n_splits": n_splits}  # 5 is the default
    score = leakage.temporal_cv(model, X, y, times, **extra)
    assert type(score) is float, f"return a Python float, got {type(score).__name__}"
    assert score < 0.7, (
        f"the future is unpredictable here, yet CV says {score:.2f}: later rows reached training"
    )
    assert abs(score - honest) < 1e-12, (
        f"expected the time-ordered TimeSeriesSplit({n_splits}) accuracy {honest:.4f} (worked out once), got {score:.4f}"
    )
