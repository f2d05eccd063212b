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


def test_ttl_boundary_and_other_feature_columns(fs):
    """Exactly `ttl` old still counts; one second more does not. Feature columns are whatever the frame holds."""
    features = pd.DataFrame(
        {
            "entity_id": [7, 7, 8],
            "feature_time": [T0, T0 + pd.Timedelta("3h"), T0],
            "clicks_1d": [4, 9, 1],
            "ctr_1d": [0.25, 0.5, 0.125],
        }
    )
    labels = pd.DataFrame(
        {
            "entity_id": [7, 7, 8, 8],
            "event_time": [
                T0 + pd.Timedelta("90min"),
                T0 + pd.Timedelta("90min") + pd.Timedelta("1s"),
                T0 + pd.Timedelta("90min"),
                T0 + pd.Timedelta("4h"),
            ],
            "label": [1, 0, 1, 0],
        },
        index=pd.Index(["a", "b", "c", "d"], name="label_id"),
    )
    try:
        got = fs.point_in_time_join(labels, features, ttl=pd.Timedelta("90min"))
    except KeyError as exc:
        pytest.fail(
            f"the feature columns are the features frame's own (here clicks_1d, ctr_1d): KeyError {exc}"
        )
    cols = ["entity_id", "event_time", "label", "feature_time", "clicks_1d", "ctr_1d"]
    assert list(got.columns) == cols, (
        f"columns {list(got.columns)}, expected {cols} (the features' own columns)"
    )
    assert got.index.tolist() == ["a", "b", "c", "d"], f"the labels' index: {got.index.tolist()}"
    assert got.loc["a", "feature_time"] == T0 and got.loc["a", "clicks_1d"] == 4, (
        f"a value exactly ttl (90 min) old still counts: label a got {got.loc['a'].to_dict()}"
    )
    assert pd.isna(got.loc["b", "feature_time"]) and pd.isna(got.loc["b", "clicks_1d"]), (
        f"a value 90 min + 1 s old is stale with ttl=90min: label b got {got.loc['b'].to_dict()}"
    )
    assert got.loc["c", "ctr_1d"] == 0.125 and pd.isna(got.loc["d", "ctr_1d"]), "entity 8: a, then stale"

    store = fs.OnlineStore()
    store.ingest(features.iloc[[1]])
    store.ingest(features.iloc[[0]])  # late and older: ignored
    same_time = features.iloc[[1]].assign(clicks_1d=11, ctr_1d=0.75)  # a correction for the same time
    store.ingest(same_time)
    assert store.get(7) == {"feature_time": T0 + pd.Timedelta("3h"), "clicks_1d": 11, "ctr_1d": 0.75}, (
        f"a row with an equal feature_time replaces the stored one (a correction): get(7) = {store.get(7)}"
    )
