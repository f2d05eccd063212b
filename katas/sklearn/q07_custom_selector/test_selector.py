"""Hidden-test style checks for sklearn/q07: a custom selector that passes scikit-learn's check_estimator."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import pearsonr
from sklearn.base import clone
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline


@pytest.fixture
def Selector(kata):
    return kata.module("selector").CorrelationSelector


def pearson_scores(X, y):
    """|Pearson r| of each column with y, by scipy (a constant column scores 0)."""
    return np.array([0.0 if np.ptp(col) == 0 else abs(pearsonr(col, y)[0]) for col in X.T])


def assert_keeps_the_best(support, scores, k):
    """support keeps min(k, p) columns, none scoring below a dropped one."""
    support = np.asarray(support, dtype=bool)
    assert support.sum() == min(k, len(scores)), f"k={k}: {support.sum()} columns kept"
    if support.all():
        return
    assert scores[support].min() >= scores[~support].max(), (
        f"k={k}: a dropped column scores {scores[~support].max():.4f}, more than a kept one "
        f"({scores[support].min():.4f})"
    )


def test_readme_example(Selector):
    X = pd.DataFrame({"a": [1, 2, 3, 4], "b": [4, 1, 3, 2], "c": [8, 6, 4, 2]})
    selector = Selector(k=2).fit(X, [1, 2, 3, 4])
    assert list(selector.get_feature_names_out()) == ["a", "c"], "'c' falls as y rises: |corr| = 1, keep it"
    np.testing.assert_allclose(selector.scores_, [1.0, 0.4, 1.0], atol=1e-12)
    out = np.asarray(selector.transform(X))
    np.testing.assert_array_equal(out, X[["a", "c"]].to_numpy())


@pytest.mark.parametrize("seed", range(5))
def test_kept_columns_are_the_strongest(Selector, seed):
    rng = np.random.default_rng(seed)
    n, p = 80, int(rng.integers(3, 12))
    X = rng.normal(size=(n, p))
    weights = rng.normal(size=p) * rng.choice([0, 1, 3], size=p)
    y = X @ weights + rng.normal(size=n)
    X[:, rng.integers(p)] = 7.0  # a constant column scores 0
    k = int(rng.integers(1, p + 1))
    selector = Selector(k=k).fit(X, y)
    scores = pearson_scores(X, y)
    np.testing.assert_allclose(
        selector.scores_, scores, atol=1e-9, err_msg="scores_: |Pearson correlation| per column"
    )
    mask = np.asarray(selector.support_, dtype=bool)
    assert mask.shape == (p,), f"support_ is one boolean per column, got shape {mask.shape}"
    assert_keeps_the_best(mask, scores, k)
    np.testing.assert_allclose(
        np.asarray(selector.transform(X)), X[:, mask], err_msg="transform keeps the kept columns, in order"
    )
    names = [f"x{i}" for i in np.flatnonzero(mask)]
    assert list(selector.get_feature_names_out()) == names, "names x0, x1, ... of the kept columns, in order"


@pytest.mark.parametrize("k", [1, 2, 3])
def test_ties_keep_the_column_that_comes_first(Selector, k):
    rng = np.random.default_rng(k)
    y = rng.normal(size=60)
    strong = y + 0.5 * rng.normal(size=60)
    weak = rng.normal(size=60)
    # columns: weak, strong, strong again, -strong (the same |r|), weak again
    X = np.c_[weak, strong, strong, -strong, weak]
    selector = Selector(k=k).fit(X, y)
    kept = list(np.flatnonzero(selector.support_))
    expected = [1, 2, 3][:k]
    assert kept == expected, (
        f"k={k}: columns 1, 2 and 3 tie on |r|; keep the first ones: {expected}, got {kept}"
    )


def test_k_larger_than_the_columns_keeps_all(Selector):
    X = np.random.default_rng(0).normal(size=(20, 3))
    out = np.asarray(Selector(k=10).fit_transform(X, X[:, 0]))
    assert out.shape == (20, 3)
    wide = np.random.default_rng(1).normal(size=(4, 6))  # fewer rows than k: k counts columns, not rows
    out = np.asarray(Selector(k=5).fit_transform(wide, [0.0, 1.0, 3.0, 2.0]))
    assert out.shape == (4, 5), f"k=5 of 6 columns on 4 rows: keep 5 columns, got shape {out.shape}"


def test_defaults_tags_and_unfitted(Selector):
    from sklearn.exceptions import NotFittedError

    X = np.random.default_rng(3).normal(size=(30, 5))
    y = X[:, 4] + 0.1 * X[:, 1]
    assert Selector().fit(X, y).support_.sum() == 2, "the default is k=2"
    assert Selector().__sklearn_tags__().target_tags.required is True, "tags.target_tags.required = True"
    try:
        Selector(k=2).transform(X)
    except NotFittedError:
        pass
    except Exception as exc:
        pytest.fail(f"transform before fit should raise NotFittedError (check_is_fitted), got {exc!r}")
    else:
        pytest.fail("transform before fit should raise NotFittedError")
    as_objects = np.array(list(y), dtype=object)  # numbers in an object array
    try:
        fitted = Selector(k=2).fit(X, as_objects)
    except TypeError as exc:
        pytest.fail(f"y of numbers in an object array should be treated as floats (y_numeric=True): {exc}")
    assert np.asarray(fitted.scores_).dtype.kind == "f", (
        f"y in an object array is treated as floats: scores_ should be floats, got {fitted.scores_.dtype}"
    )
    np.testing.assert_allclose(
        fitted.scores_, pearson_scores(X, y), err_msg="y in an object array: the same scores as floats"
    )


@pytest.mark.parametrize("bad", [0, -1, 2.5, "2"])
def test_bad_k_raises_in_fit_not_in_init(Selector, bad):
    selector = Selector(k=bad)  # __init__ must accept anything (scikit-learn's contract)
    assert selector.get_params()["k"] == bad
    with pytest.raises(ValueError):
        selector.fit(np.eye(4), [0.0, 1.0, 2.0, 3.0])


def test_params_and_clone(Selector):
    selector = Selector(k=3).fit(np.eye(4), [0.0, 1.0, 2.0, 3.0])
    assert selector.get_params() == {"k": 3}
    copy = clone(selector).set_params(k=5)
    assert copy.k == 5 and not hasattr(copy, "support_"), (
        "clone gives an unfitted copy with the same parameters"
    )
    assert selector.support_.sum() == 3


def test_pipeline_and_grid_search_on_diabetes(Selector):
    data = load_diabetes(as_frame=True)
    X, y = data.data, data.target
    pipe = Pipeline([("select", Selector()), ("model", Ridge(alpha=1.0))])
    search = GridSearchCV(pipe, {"select__k": [1, 3, 6, 10]}, cv=3).fit(X, y)
    assert search.best_params_["select__k"] in (1, 3, 6, 10)
    fitted = search.best_estimator_.named_steps["select"]
    strongest = X.corrwith(y).abs().nlargest(search.best_params_["select__k"], keep="first").index
    assert list(fitted.get_feature_names_out()) == [c for c in X.columns if c in set(strongest)], (
        "names of the DataFrame's kept columns, in the DataFrame's order"
    )
    assert search.best_score_ > 0.3, f"cross-validated R² {search.best_score_:.3f} should exceed 0.3"


def test_passes_check_estimator(Selector):
    from sklearn.utils.estimator_checks import check_estimator

    results = check_estimator(Selector(), on_fail=None)
    failed = [f"{r['check_name']}: {r['exception']!r}"[:300] for r in results if r["status"] == "failed"]
    assert not failed, "scikit-learn's check_estimator fails:\n" + "\n".join(failed[:5])
