"""Near miss: add_subparsers without required=True (argparse's default is optional): `main([])` falls through
to the predict branch and crashes on a missing attribute instead of a usage error."""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import sys
from pathlib import Path

import joblib
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = ["Pclass", "Age", "SibSp", "Parch", "Fare"]
CATEGORICAL = ["Sex", "Embarked"]
TARGET = "Survived"


def build_pipeline() -> Pipeline:
    """Only scikit-learn building blocks: the saved artefact loads in any process with scikit-learn."""
    columns = ColumnTransformer(
        [
            (
                "num",
                make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()),
                NUMERIC,
            ),
            (
                "cat",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")
                ),
                CATEGORICAL,
            ),
        ]
    )
    return Pipeline([("columns", columns), ("model", LogisticRegression(max_iter=1000))])


def train(data_dir: str | Path, model_dir: str | Path) -> dict:
    """Fit on data_dir/train.csv, save model.joblib and model_card.json in model_dir, return the card."""
    data_path = Path(data_dir) / "train.csv"
    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    train_df = pd.read_csv(data_path)
    X, y = train_df[NUMERIC + CATEGORICAL], train_df[TARGET]
    pipeline = build_pipeline()
    # The card reports cross-validated accuracy: the training accuracy would flatter the model.
    scores = cross_val_score(pipeline, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0))
    pipeline.fit(X, y)
    joblib.dump(pipeline, model_dir / "model.joblib")
    card = {
        "name": "titanic-survival-logreg",
        "model": type(pipeline[-1]).__name__,
        "created_with": {
            "python": platform.python_version(),
            "sklearn": sklearn.__version__,
            "pandas": pd.__version__,
        },
        "training_data": {"file": data_path.name, "rows": len(train_df), "sha256": _sha256(data_path)},
        "features": NUMERIC + CATEGORICAL,
        "target": TARGET,
        "metrics": {"cv_accuracy_mean": float(scores.mean()), "cv_accuracy_std": float(scores.std())},
        "intended_use": "Kaggle Titanic practice: predicts Survived for passengers described like train.csv.",
        "limitations": "Trained on 891 passengers of one ship; not for decisions about real people.",
    }
    (model_dir / "model_card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    return card


def predict(model_dir: str | Path, test_csv: str | Path, out_path: str | Path) -> pd.DataFrame:
    """Load the artefact, predict every row of test_csv, write the submission to out_path."""
    pipeline = joblib.load(Path(model_dir) / "model.joblib")
    test = pd.read_csv(test_csv)
    submission = pd.DataFrame(
        {"PassengerId": test["PassengerId"], "Survived": pipeline.predict(test).astype(int)}
    )
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    submission.to_csv(out_path, index=False)
    return submission


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Titanic model: train an artefact, or predict with one.")
    commands = parser.add_subparsers(dest="command")
    train_cmd = commands.add_parser("train")
    train_cmd.add_argument("data_dir")
    train_cmd.add_argument("model_dir")
    predict_cmd = commands.add_parser("predict")
    predict_cmd.add_argument("model_dir")
    predict_cmd.add_argument("test_csv")
    predict_cmd.add_argument("out_path")
    args = parser.parse_args(argv)
    if args.command == "train":
        card = train(args.data_dir, args.model_dir)
        print(f"cv accuracy {card['metrics']['cv_accuracy_mean']:.3f}; saved to {args.model_dir}")
    else:
        submission = predict(args.model_dir, args.test_csv, args.out_path)
        print(f"wrote {len(submission)} predictions to {args.out_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
