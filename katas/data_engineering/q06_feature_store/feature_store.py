"""Kata data_engineering/q06: a point-in-time correct offline join and an online store. Edit this file."""

from __future__ import annotations

import pandas as pd

FILE = "katas/data_engineering/q06_feature_store/feature_store.py"


def point_in_time_join(
    labels: pd.DataFrame, features: pd.DataFrame, ttl: pd.Timedelta | None = None
) -> pd.DataFrame:
    """Each label with its entity's latest feature row known at event_time (see README.md)."""
    raise NotImplementedError(f"point_in_time_join: write it in {FILE}")


class OnlineStore:
    """Latest feature values per entity (see README.md)."""

    def ingest(self, features: pd.DataFrame) -> None:
        raise NotImplementedError(f"OnlineStore.ingest: write it in {FILE}")

    def get(self, entity_id) -> dict | None:
        raise NotImplementedError(f"OnlineStore.get: write it in {FILE}")
