"""Kata kaggle/q02: which baseline first? Majority class, logistic regression, tree. Edit this file."""

from __future__ import annotations

FILE = "katas/kaggle/q02_baseline_choice/baselines.py"


def baseline_models(seed: int = 0) -> dict:
    """{'majority': ..., 'logistic': ..., 'tree': ...}: unfitted, simplest first."""
    raise NotImplementedError(f"baseline_models: write it in {FILE}")


def compare_baselines(X, y, seed: int = 0, n_splits: int = 5):
    """Mean CV accuracy of each baseline (a Series named 'accuracy', in the order of baseline_models)."""
    raise NotImplementedError(f"compare_baselines: write it in {FILE}")


def choose_baseline(scores, tolerance: float = 0.01) -> str:
    """The first (simplest) name whose score is within `tolerance` of the best."""
    raise NotImplementedError(f"choose_baseline: write it in {FILE}")
