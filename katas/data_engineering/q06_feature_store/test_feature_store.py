"""Hidden-test style checks for data_engineering/q06: no future leakage offline; online = latest offline value."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

T0 = pd.Timestamp("2025-01-01", tz="UTC")


def make_features(seed: int, n_entities: int = 12, n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    times = T0 + pd.to_timedelta(rng.choice(10_000, n, replace=False), unit="min")
    return pd.DataFrame(
        {
            "entity_id": rng.integers(1, n_entities + 1, n),
            "feature_time": times,
            "spend_7d": rng.uniform(0, 500, n).round(2),
            "orders_7d": rng.integers(0, 30, n),
        }
    ).sample(frac=1.0, random_state=seed)  # arrives unsorted


def make_labels(seed: int, n_entities: int = 14, n: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 100)
    labels = pd.DataFrame(
        {
            "entity_id": rng.integers(1, n_entities + 1, n),  # entities 13, 14 have no features
            "event_time": T0 + pd.to_timedelta(rng.integers(-500, 11_000, n), unit="min"),
            "label": rng.integers(0, 2, n),
        }
    )
    labels.index = pd.Index(rng.permutation(np.arange(1000, 1000 + n)), name="label_id")
    return labels


def brute_force(labels, features, ttl=None) -> list[tuple]:
    out = []
    for _, row in labels.iterrows():
        hist = features[
            (features["entity_id"] == row["entity_id"]) & (features["feature_time"] <= row["event_time"])
        ]
        if ttl is not None:
            hist = hist[row["event_time"] - hist["feature_time"] <= ttl]
        if hist.empty:
            out.append((None, None, None))
        else:
            best = hist.loc[hist["feature_time"].idxmax()]
            out.append((best["feature_time"], float(best["spend_7d"]), int(best["orders_7d"])))
    return out


def check_join(got: pd.DataFrame, labels: pd.DataFrame, expected: list[tuple], where: str) -> None:
    assert isinstance(got, pd.DataFrame), f"{where}: expected a DataFrame, got {type(got).__name__}"
    cols = ["entity_id", "event_time", "label", "feature_time", "spend_7d", "orders_7d"]
    assert list(got.columns) == cols, f"{where}: columns {list(got.columns)}, expected {cols}"
    assert got.index.tolist() == labels.index.tolist(), f"{where}: rows must keep the labels' order and index"
    assert got[["entity_id", "event_time", "label"]].equals(labels[["entity_id", "event_time", "label"]]), (
        f"{where}: the label columns must be unchanged"
    )
    for (idx, row), (ftime, spend, orders) in zip(got.iterrows(), expected, strict=True):
        if ftime is None:
            assert pd.isna(row["feature_time"]) and pd.isna(row["spend_7d"]), (
                f"{where}: label {idx} (entity {row['entity_id']} at {row['event_time']}) has no feature known "
                f"at that time, got feature_time={row['feature_time']}"
            )
            continue
        assert row["feature_time"] <= row["event_time"], (
            f"{where}: label {idx} at {row['event_time']} got a value from the future ({row['feature_time']})"
        )
        assert (
            row["feature_time"] == ftime
            and math.isclose(row["spend_7d"], spend)
            and row["orders_7d"] == orders
        ), (
            f"{where}: label {idx} (entity {row['entity_id']} at {row['event_time']}) should get the values of "
            f"{ftime}, got those of {row['feature_time']}"
        )


@pytest.fixture
def fs(kata):
    return kata.module("feature_store")


def test_exact_time_match_is_allowed_and_future_is_not(fs):
    features = pd.DataFrame(
        {
            "entity_id": [1, 1, 1],
            "feature_time": [T0, T0 + pd.Timedelta("1h"), T0 + pd.Timedelta("2h")],
            "spend_7d": [1.0, 2.0, 3.0],
            "orders_7d": [1, 2, 3],
        }
    )
    labels = pd.DataFrame(
        {
            "entity_id": [1, 1, 1],
            "label": [0, 1, 0],
            "event_time": [T0 + pd.Timedelta("1h"), T0 + pd.Timedelta("119min"), T0 - pd.Timedelta("1s")],
        }
    )
    labels = labels[["entity_id", "event_time", "label"]]
    got = fs.point_in_time_join(labels, features)
    check_join(
        got,
        labels,
        [(T0 + pd.Timedelta("1h"), 2.0, 2), (T0 + pd.Timedelta("1h"), 2.0, 2), (None, None, None)],
        "point_in_time_join (small case)",
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_point_in_time_join_matches_brute_force(fs, seed):
    features, labels = make_features(seed), make_labels(seed)
    got = fs.point_in_time_join(labels, features)
    check_join(got, labels, brute_force(labels, features), f"point_in_time_join(seed={seed})")


def test_ttl_drops_stale_values(fs):
    features, labels = make_features(2), make_labels(2)
    ttl = pd.Timedelta("90min")
    got = fs.point_in_time_join(labels, features, ttl=ttl)
    check_join(got, labels, brute_force(labels, features, ttl), "point_in_time_join(ttl=90min)")


def test_online_store_equals_the_latest_offline_value(fs):
    features = make_features(3)
    store = fs.OnlineStore()
    # Three batches; the last one holds late arrivals (old rows delivered after newer ones).
    ordered = features.sort_values("feature_time")
    late = ordered.groupby("entity_id").head(3)
    rest = ordered.drop(late.index)
    for batch in (rest.iloc[::2], rest.iloc[1::2], late):
        store.ingest(batch)
    far_future = pd.DataFrame({"entity_id": sorted(set(features["entity_id"])), "label": 0})
    far_future["event_time"] = T0 + pd.Timedelta(days=365)
    far_future = far_future[["entity_id", "event_time", "label"]]
    offline = fs.point_in_time_join(far_future, features)
    for _, row in offline.iterrows():
        online = store.get(row["entity_id"])
        assert online is not None, f"entity {row['entity_id']} is missing from the online store"
        assert set(online) == {"feature_time", "spend_7d", "orders_7d"}, f"get() keys {sorted(online)}"
        assert online["feature_time"] == row["feature_time"] and online["spend_7d"] == row["spend_7d"], (
            f"entity {row['entity_id']}: online {online} differs from the latest offline value "
            f"({row['feature_time']}, {row['spend_7d']}): a late, older row must not overwrite a newer one"
        )
    assert store.get(999) is None, "an unknown entity gives None"
