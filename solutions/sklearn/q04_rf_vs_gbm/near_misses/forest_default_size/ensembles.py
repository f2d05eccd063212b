"""Near miss: leaves the forest at scikit-learn's default 100 trees instead of the README's 50, so its test error is another model's."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.tree import DecisionTreeRegressor


def prediction_spread(make_model, X_train, y_train, X_eval, n_repeats: int = 10, seed: int = 0) -> float:
    """Mean over X_eval of the variance across bootstrap repeats of the predictions."""
    rng = np.random.RandomState(seed)
    n_train = len(y_train)
    preds = []
    for r in range(n_repeats):
        idx = rng.choice(n_train, size=n_train, replace=True)  # another training set each repeat
        preds.append(make_model(r).fit(X_train[idx], y_train[idx]).predict(X_eval))
    # axis 0 = repeats: how much each point's prediction moves when the training data changes
    return float(np.var(np.array(preds), axis=0).mean())


def staged_train_loss(gbm, X, y):
    """MSE on (X, y) after each boosting stage, as an array of length n_estimators."""
    y = np.asarray(y, dtype=float)
    # Each stage fits a tree to the current residuals: on the training data the loss can only go down.
    return np.array([np.mean((pred - y) ** 2) for pred in gbm.staged_predict(X)])


def _mse(model, X, y) -> float:
    return float(np.mean((model.predict(X) - y) ** 2))


def compare_models(X_train, y_train, X_test, y_test, seed: int = 0) -> dict[str, float]:
    """Test MSE of a tree, a 50-tree forest and a 100-stage GBM: {'tree': ..., 'forest': ..., 'gbm': ...}."""
    models = {
        "tree": DecisionTreeRegressor(random_state=seed),  # deep: low bias, high variance
        "forest": RandomForestRegressor(random_state=seed),  # averaging: less variance
        "gbm": GradientBoostingRegressor(  # shallow trees in sequence: less bias
            n_estimators=100, learning_rate=0.1, max_depth=3, random_state=seed
        ),
    }
    return {name: _mse(model.fit(X_train, y_train), X_test, y_test) for name, model in models.items()}
