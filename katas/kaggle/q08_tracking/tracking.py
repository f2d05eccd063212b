"""Kata kaggle/q08: seed everything and log each run (params, metrics, artefacts, code). Edit this file."""

from __future__ import annotations

from pathlib import Path

FILE = "katas/kaggle/q08_tracking/tracking.py"

FEATURES = ["Pclass", "IsFemale", "Age", "SibSp", "Parch", "Fare"]


def seed_everything(seed: int) -> None:
    """Seed Python's random, numpy's global generator, and set PYTHONHASHSEED."""
    raise NotImplementedError(f"seed_everything: write it in {FILE}")


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of the file's bytes."""
    raise NotImplementedError(f"file_sha256: write it in {FILE}")


def code_version(repo_dir: str | Path) -> str:
    """'<commit>' or '<commit>-dirty' for a git working tree; 'unknown' elsewhere."""
    raise NotImplementedError(f"code_version: write it in {FILE}")


def run_experiment(train_csv, params: dict, run_dir, seed: int = 0, repo_dir=".") -> dict:
    """Train and cross-validate a seeded random forest, save it and run.json in run_dir, return the log."""
    raise NotImplementedError(f"run_experiment: write it in {FILE}")
