"""Near miss: sorts the column names for tidiness, so the transformed matrix no longer follows the order the caller gave."""

from __future__ import annotations

from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def build_pipeline(numeric: list[str], categorical: list[str], C: float = 1.0):
    """Unfitted Pipeline [('prep', ColumnTransformer), ('clf', LogisticRegression)]."""
    numeric_steps = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    prep = ColumnTransformer(
        [
            ("num", numeric_steps, sorted(numeric)),
            # categories unseen in training become all-zero rows instead of an error at predict time
            ("cat", OneHotEncoder(handle_unknown="ignore"), sorted(categorical)),
        ],
        remainder="drop",
    )
    return Pipeline([("prep", prep), ("clf", LogisticRegression(C=C, max_iter=1000))])


def tune_C(pipeline, X, y, Cs, cv: int = 3):
    """A fitted GridSearchCV of the pipeline over clf__C in Cs."""
    # <step name>__<parameter>: the search reaches into the pipeline; every fold refits the preprocessing.
    return GridSearchCV(pipeline, {"clf__C": list(Cs)}, cv=cv).fit(X, y)
