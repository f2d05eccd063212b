"""Kata sklearn/e05: GridSearchCV and its results as a tidy frame. Edit this file."""

from __future__ import annotations

FILE = "katas/sklearn/e05_grid_search/grid.py"


def count_fits(param_grid, cv: int) -> int:
    """Number of fit calls of GridSearchCV(..., param_grid, cv=cv): candidates * cv + 1 refit."""
    raise NotImplementedError(f"count_fits: write it in {FILE}")


def run_grid_search(estimator, param_grid, X, y, cv: int = 3):
    """A fitted GridSearchCV(estimator, param_grid, cv=cv) that refits the best candidate."""
    raise NotImplementedError(f"run_grid_search: write it in {FILE}")


def results_frame(search):
    """One row per candidate: parameter columns (sorted), mean/std/rank of the test score; sorted by rank."""
    raise NotImplementedError(f"results_frame: write it in {FILE}")
