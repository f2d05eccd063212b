"""Hidden-test style checks for sklearn/q02: a leak-free Pipeline with a ColumnTransformer."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV

NUMERIC = ["age", "income"]
CATEGORICAL = ["city", "plan"]
CITIES = ["north", "south", "east", "west"]


def churn_frame(n, seed, shift=0.0):
    """A seeded customer table with missing numbers; `shift` moves the numeric distribution."""
    rng = np.random.default_rng(seed)
    age = rng.normal(40 + 10 * shift, 12, n).round()
    income = rng.lognormal(10 + shift, 0.5, n).round(-2)
    city = rng.choice(CITIES, n, p=[0.4, 0.3, 0.2, 0.1])
    plan = rng.choice(["basic", "pro"], n, p=[0.7, 0.3])
    logit = (
        -0.06 * (age - 40) + 1.5 * (plan == "basic") - 1.0 * (city == "west") + 0.8 * (city == "north") - 0.7
    )
    churn = (rng.random(n) < 1 / (1 + np.exp(-2 * logit))).astype(int)
    age[rng.random(n) < 0.15] = np.nan
    income[rng.random(n) < 0.1] = np.nan
    frame = pd.DataFrame(
        {"customer_id": np.arange(n), "age": age, "income": income, "city": city, "plan": plan}
    )
    return frame, churn


@pytest.fixture
def mod(kata):
    return kata.module("pipeline")


@pytest.fixture(scope="module")
def data():
    X_tr, y_tr = churn_frame(600, seed=0)
    X_te, y_te = churn_frame(300, seed=1, shift=0.5)  # shifted: test medians differ from train medians
    return X_tr, y_tr, X_te, y_te


def _expected_numeric(X_tr, X_te, columns):
    """Impute with the training medians, then scale with the (imputed) training mean and std."""
    train = X_tr[columns].to_numpy()
    medians = np.nanmedian(train, axis=0)
    imputed_train = np.where(np.isnan(train), medians, train)
    mean, std = imputed_train.mean(axis=0), imputed_train.std(axis=0)
    test = X_te[columns].to_numpy()
    return (np.where(np.isnan(test), medians, test) - mean) / std


def test_structure_and_C(mod):
    pipe = mod.build_pipeline(NUMERIC, CATEGORICAL, C=0.25)
    names = [name for name, _ in pipe.steps]
    assert names == ["prep", "clf"], f"steps {names}, expected ['prep', 'clf']"
    assert pipe.get_params()["clf__C"] == 0.25, "clf__C should be the C argument"
    assert type(pipe.named_steps["clf"]).__name__ == "LogisticRegression"
    assert pipe.named_steps["clf"].max_iter == 1000, "LogisticRegression(C=C, max_iter=1000)"
    assert mod.build_pipeline(NUMERIC, CATEGORICAL).get_params()["clf__C"] == 1.0, "the default C is 1.0"


def test_numeric_output_uses_training_statistics_only(mod, data):
    X_tr, y_tr, X_te, _ = data
    before = X_te.copy()
    pipe = mod.build_pipeline(NUMERIC, CATEGORICAL).fit(X_tr, y_tr)
    out = pipe[:-1].transform(X_te)
    out = out.toarray() if hasattr(out, "toarray") else np.asarray(out)
    np.testing.assert_allclose(
        out[:, :2],
        _expected_numeric(X_tr, X_te, NUMERIC),
        rtol=1e-9,
        atol=1e-9,
        err_msg="numeric columns: impute with the TRAINING medians, then scale with the training mean/std",
    )
    pd.testing.assert_frame_equal(X_te, before, obj="the test frame (it must not be modified)")


def test_columns_come_in_the_given_order(mod, data):
    X_tr, y_tr, X_te, _ = data
    pipe = mod.build_pipeline(["income", "age"], ["plan", "city"]).fit(X_tr, y_tr)
    out = pipe[:-1].transform(X_te)
    out = out.toarray() if hasattr(out, "toarray") else np.asarray(out)
    assert out.shape[1] == 2 + 2 + 4, f"2 numeric + 2 plan + 4 city columns expected, got {out.shape[1]}"
    np.testing.assert_allclose(
        out[:, :2],
        _expected_numeric(X_tr, X_te, ["income", "age"]),
        rtol=1e-9,
        atol=1e-9,
        err_msg="numeric columns in the order given: income first, then age",
    )
    plan = X_te["plan"].to_numpy()
    np.testing.assert_array_equal(
        out[:, 2:4],
        np.c_[plan == "basic", plan == "pro"],
        err_msg="then the one-hot columns of plan, then city",
    )


def test_one_hot_part_and_unknown_categories(mod, data):
    X_tr, y_tr, X_te, _ = data
    pipe = mod.build_pipeline(NUMERIC, CATEGORICAL).fit(X_tr, y_tr)
    strange = X_te.head(5).copy()
    strange["city"] = ["atlantis", "north", "mars", "west", "atlantis"]
    try:
        predictions = pipe.predict(strange)
    except ValueError as exc:
        pytest.fail(f"a category unseen in training must not break predict: {exc}")
    assert len(predictions) == 5
    out = pipe[:-1].transform(strange)
    out = out.toarray() if hasattr(out, "toarray") else np.asarray(out)
    assert out.shape[1] == 2 + 4 + 2, f"2 numeric + 4 city + 2 plan columns expected, got {out.shape[1]}"
    city_part = out[:, 2:6]
    np.testing.assert_array_equal(city_part[[0, 2, 4]], 0, err_msg="an unseen city is all zeros")
    np.testing.assert_array_equal(city_part[[1, 3]].sum(axis=1), 1, err_msg="a known city is one 1")


def test_clf_C_is_searchable(mod):
    pipe = mod.build_pipeline(NUMERIC, CATEGORICAL)
    pipe.set_params(clf__C=0.3)  # what GridSearchCV does with {"clf__C": [...]} for every candidate
    assert pipe.named_steps["clf"].C == 0.3, "set_params(clf__C=...) must reach the LogisticRegression"


def test_tune_C(mod, data):
    X_tr, y_tr, X_te, y_te = data
    Cs = [0.03, 0.3, 3.0]
    search = mod.tune_C(mod.build_pipeline(NUMERIC, CATEGORICAL), X_tr, y_tr, Cs)
    assert isinstance(search, GridSearchCV), f"expected a fitted GridSearchCV, got {type(search).__name__}"
    assert search.n_splits_ == 3, f"{search.n_splits_} folds used, the default is cv=3"
    other = mod.tune_C(mod.build_pipeline(NUMERIC, CATEGORICAL), X_tr, y_tr, [1.0], cv=4)
    assert other.n_splits_ == 4, f"{other.n_splits_} folds used, cv=4 asked"
    tried = sorted(p["clf__C"] for p in search.cv_results_["params"])
    assert tried == Cs, f"the search tried C = {tried}, expected {Cs}"
    assert search.best_params_["clf__C"] in Cs
    accuracy = float(np.mean(search.predict(X_te) == y_te))
    assert accuracy >= 0.72, f"tuned pipeline accuracy {accuracy:.3f} < 0.72"
