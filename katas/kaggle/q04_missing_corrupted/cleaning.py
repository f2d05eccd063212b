"""Kata kaggle/q04: flag impossible values, then impute with missing indicators. Edit this file."""

from __future__ import annotations

FILE = "katas/kaggle/q04_missing_corrupted/cleaning.py"


def flag_impossible(df):
    """Boolean Series named 'impossible': True for rows holding a value that cannot be right."""
    raise NotImplementedError(f"flag_impossible: write it in {FILE}")


def clean(train, test):
    """(train, test) with impossible values treated as missing, indicators added, no NaN left."""
    raise NotImplementedError(f"clean: write it in {FILE}")
