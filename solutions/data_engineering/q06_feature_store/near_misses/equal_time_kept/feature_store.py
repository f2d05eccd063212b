"""Near miss: keeps the stored row when a row with the same feature_time arrives: corrections are ignored.

Reference solution for data_engineering/q06: a point-in-time correct offline join and an online store."""

from __future__ import annotations

import pandas as pd


def point_in_time_join(
    labels: pd.DataFrame, features: pd.DataFrame, ttl: pd.Timedelta | None = None
) -> pd.DataFrame:
    """Attach to each label the entity's latest feature row with feature_time <= event_time (and not older
    than `ttl`); labels keep their order and index; no match -> missing values."""
    feature_cols = [c for c in features.columns if c not in ("entity_id", "feature_time")]
    # Remember each label's position: merge_asof needs rows sorted by time, we give them back in label order.
    left = (
        labels.reset_index(drop=True)
        .assign(__row=range(len(labels)))
        .sort_values("event_time", kind="stable")
    )
    right = features.sort_values("feature_time", kind="stable")
    joined = pd.merge_asof(
        left,
        right,
        left_on="event_time",
        right_on="feature_time",
        by="entity_id",  # only the same entity's history
        direction="backward",  # only values known at event time: never a future one (that is leakage)
        allow_exact_matches=True,  # a value computed exactly at event time was available
        tolerance=ttl,  # too-old values are as good as missing
    )
    joined = joined.sort_values("__row").set_index("__row")
    joined.index = labels.index  # and with their own index
    return joined[list(labels.columns) + ["feature_time", *feature_cols]]


class OnlineStore:
    """Latest feature values per entity, for low-latency serving (a dict standing in for Redis/DynamoDB)."""

    def __init__(self) -> None:
        self._rows: dict[object, dict] = {}

    def ingest(self, features: pd.DataFrame) -> None:
        """Upsert rows; a row older than what is stored (a late arrival) does not overwrite it."""
        for row in features.to_dict("records"):
            current = self._rows.get(row["entity_id"])
            if current is None or row["feature_time"] > current["feature_time"]:
                self._rows[row["entity_id"]] = row

    def get(self, entity_id) -> dict | None:
        """{'feature_time': ..., <feature>: value, ...} for the entity, or None if it was never seen."""
        row = self._rows.get(entity_id)
        return None if row is None else {k: v for k, v in row.items() if k != "entity_id"}
