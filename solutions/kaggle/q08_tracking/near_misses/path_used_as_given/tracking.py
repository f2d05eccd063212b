"""Near miss: file_sha256 calls path.read_bytes() on the path as given: a `str` path has no read_bytes, so
hashing a file named by a string fails."""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score

FEATURES = ["Pclass", "IsFemale", "Age", "SibSp", "Parch", "Fare"]


def seed_everything(seed: int) -> None:
    """Python's and numpy's global generators, and the hash seed inherited by child processes."""
    random.seed(seed)
    np.random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_version(repo_dir: str | Path) -> str:
    """The git commit, with '-dirty' when the working tree has changes; 'unknown' outside git."""
    try:
        head = subprocess.run(
            ["git", "-C", str(repo_dir), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(repo_dir), "status", "--porcelain"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    # A commit hash alone would lie about uncommitted edits: the run could not be reproduced from it.
    return f"{head}-dirty" if status.strip() else head


def features(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(IsFemale=(df["Sex"] == "female").astype(int))[FEATURES]


def run_experiment(train_csv, params: dict, run_dir, seed: int = 0, repo_dir=".") -> dict:
    """Train and cross-validate a seeded forest, save it, and write run.json describing the run."""
    seed_everything(seed)
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    train = pd.read_csv(train_csv)
    X, y = features(train), train["Survived"]
    model = RandomForestClassifier(**params, random_state=seed)  # the model's own seed, not only the globals
    scores = cross_val_score(model, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=seed))
    model.fit(X, y)
    joblib.dump(model, run_dir / "model.joblib")
    log = {
        "params": dict(params),
        "seed": seed,
        "metrics": {"cv_accuracy_mean": float(scores.mean()), "cv_accuracy_std": float(scores.std())},
        "data": {"path": str(train_csv), "sha256": file_sha256(train_csv)},
        "artefacts": {"model.joblib": file_sha256(run_dir / "model.joblib")},
        "code_version": code_version(repo_dir),
    }
    (run_dir / "run.json").write_text(json.dumps(log, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return log
