"""Kata data_engineering/q09: data quality expectations, a report, and monitoring over runs. Edit this file."""

from __future__ import annotations

import pandas as pd

FILE = "katas/data_engineering/q09_data_quality/quality.py"

STATUSES = {"new", "paid", "shipped", "cancelled"}
PSI_LIMIT = 0.2


class DataQualityError(ValueError):
    """A batch failed at least one expectation; the message names the failing checks."""


def psi(reference: pd.Series, batch: pd.Series, bins: int = 10) -> float:
    """Population stability index of `batch` against `reference` on the reference's decile bins."""
    raise NotImplementedError(f"psi: write it in {FILE}")


def validate(batch: pd.DataFrame, reference: pd.DataFrame) -> dict:
    """{'passed': bool, 'checks': [{'name', 'passed', 'details'}, ...]} (see README.md for the checks)."""
    raise NotImplementedError(f"validate: write it in {FILE}")


def assert_quality(batch: pd.DataFrame, reference: pd.DataFrame) -> None:
    """Raise DataQualityError naming every failing check; return None for a clean batch."""
    raise NotImplementedError(f"assert_quality: write it in {FILE}")


def monitor(
    state: dict | None, report: dict, run: str, thresholds: dict[str, int] | None = None
) -> tuple[dict, list[dict]]:
    """Record one run's report; return (new JSON-able state, this run's alert/resolved events)."""
    raise NotImplementedError(f"monitor: write it in {FILE}")
