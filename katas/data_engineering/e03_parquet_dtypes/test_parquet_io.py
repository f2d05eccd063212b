"""Hidden-test style checks for data_engineering/e03: exact dtype round trips, compression and row groups."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.checks import assert_frame_equal
from graders.kit.strategies import kata_settings, texts

KINDS = ["view", "click", "buy"]
DTYPES = {
    "event_id": "int64",
    "user": "str",
    "kind": pd.CategoricalDtype(KINDS, ordered=True),
    "amount": "Float64",
    "ts": "datetime64[us, UTC]",
}


def make_events(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    amount = pd.array(rng.uniform(0, 300, n).round(2), dtype="Float64")
    amount[rng.random(n) < 0.2] = pd.NA
    start = pd.Timestamp("2025-03-29 22:00", tz="UTC")
    frame = pd.DataFrame(
        {
            "event_id": rng.permutation(n).astype("int64") + 1000,
            "user": pd.Series([f"user{u}" for u in rng.integers(0, 50, n)], dtype="str"),
            # 'buy' is never drawn: an unused category must survive the round trip
            "kind": pd.Categorical(rng.choice(["view", "click"], n), categories=KINDS, ordered=True),
            "amount": amount,
            "ts": start + pd.to_timedelta(rng.integers(0, 86_400_000_000, n), unit="us"),
        }
    ).astype(DTYPES)
    # a filtered, shuffled frame: its index is not 0..n-1
    return frame.sample(frac=1.0, random_state=seed).iloc[: max(1, n - 3)]


@pytest.fixture
def pio(kata):
    return kata.module("parquet_io")


def test_summary_of_files_written_by_pyarrow(pio, tmp_path):
    table = pa.table({"a": pa.array(range(2500), pa.int32()), "b": pa.array([str(i) for i in range(2500)])})
    for codec, group in [("snappy", 1000), ("gzip", 2500), ("zstd", 300)]:
        path = tmp_path / f"t_{codec}.parquet"
        pq.write_table(table, path, compression=codec, row_group_size=group)
        got = pio.parquet_summary(str(path))
        expected = {
            "rows": 2500,
            "row_groups": math.ceil(2500 / group),
            "compression": [codec.upper()],
            "columns": ["a", "b"],
        }
        assert got == expected, (
            f"parquet_summary of a {codec} file with row groups of {group}: {got} != {expected}"
        )


@pytest.mark.parametrize(("seed", "n", "group"), [(0, 40, 7), (1, 1000, 256), (2, 5, 10_000)])
def test_round_trip_is_exact(pio, tmp_path, seed, n, group):
    events = make_events(n, seed)
    path = tmp_path / "events.parquet"
    pio.write_events(events, str(path), row_group_size=group)
    back = pio.read_events(str(path))
    expected = events.reset_index(drop=True)
    assert dict(back.dtypes) == dict(expected.dtypes), f"dtypes after the round trip: {dict(back.dtypes)}"
    assert list(back["kind"].cat.categories) == KINDS and back["kind"].cat.ordered, (
        f"kind must keep the ordered categories {KINDS}: got {back['kind'].dtype!r}"
    )
    assert_frame_equal(back, expected, where="read_events(write_events(df))")


_EPOCH_US = int(pd.Timestamp("1970-01-01", tz="UTC").value // 1000)


@st.composite
def _events(draw):
    """0 to 12 events: unicode and empty user names, any subset of the kinds (unused categories), missing and
    extreme amounts, timestamps from 1900 to 2100 to the microsecond, and a shuffled, repeated index."""
    n = draw(st.integers(0, 12))
    rows = lambda element: draw(st.lists(element, min_size=n, max_size=n))  # noqa: E731
    amount = rows(st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=64)))
    micros = rows(st.integers(-2_208_988_800_000_000, 4_102_444_800_000_000))  # 1900-01-01 .. 2100-01-01
    frame = pd.DataFrame(
        {
            "event_id": np.array(rows(st.integers(-(2**63), 2**63 - 1)), dtype="int64"),
            "user": pd.Series(rows(texts(0, 6)), dtype="str"),
            "kind": pd.Categorical(rows(st.sampled_from(KINDS)), categories=KINDS, ordered=True),
            "amount": pd.array(amount, dtype="Float64"),
            "ts": pd.to_datetime(np.array(micros, dtype="int64"), unit="us", utc=True),
        },
        index=rows(st.integers(-3, 3)),
    ).astype(DTYPES)
    return frame, draw(st.integers(1, n + 2))


@kata_settings(max_examples=25)
@given(case=_events())
def test_any_frame_round_trips_exactly(pio, tmp_path, case):
    events, group = case
    path = tmp_path / "any.parquet"
    pio.write_events(events, str(path), row_group_size=group)
    back = pio.read_events(str(path))
    assert dict(back.dtypes) == dict(events.dtypes), f"dtypes after the round trip: {dict(back.dtypes)}"
    assert isinstance(back.index, pd.RangeIndex) and back.index.start == 0, (
        f"a fresh RangeIndex: {back.index!r}"
    )
    assert_frame_equal(back, events.reset_index(drop=True), where="read_events(write_events(df))")
    if len(events):
        groups = pio.parquet_summary(str(path))["row_groups"]
        assert groups == math.ceil(len(events) / group), (
            f"{len(events)} rows with row_group_size={group} make {math.ceil(len(events) / group)} row groups, "
            f"got {groups}"
        )


def test_the_default_row_group_holds_10_000_rows(pio, tmp_path):
    events = make_events(10_004, 5)  # 10,001 rows after the filter
    assert len(events) == 10_001
    for rows, groups in [(10_000, 1), (10_001, 2)]:
        path = tmp_path / f"default_{rows}.parquet"
        pio.write_events(events.iloc[:rows], str(path))  # row_group_size left at its default, 10_000
        got = pio.parquet_summary(str(path))["row_groups"]
        assert got == groups, (
            f"{rows} rows with the default row_group_size=10_000 make {groups} row group(s), got {got}"
        )


def test_file_layout(pio, tmp_path):
    events = make_events(1000, 3)
    path = tmp_path / "events.parquet"
    pio.write_events(events, str(path), row_group_size=200)
    meta = pq.ParquetFile(path).metadata
    codecs = {
        meta.row_group(g).column(c).compression
        for g in range(meta.num_row_groups)
        for c in range(meta.num_columns)
    }
    assert codecs == {"ZSTD"}, f"every column chunk should be zstd-compressed, found {sorted(codecs)}"
    assert meta.num_row_groups == math.ceil(len(events) / 200), (
        f"{len(events)} rows with row_group_size=200 should make {math.ceil(len(events) / 200)} row groups, "
        f"found {meta.num_row_groups}"
    )
    names = pq.ParquetFile(path).schema_arrow.names
    assert names == list(DTYPES), (
        f"the file should hold exactly the columns {list(DTYPES)} (no index): {names}"
    )
    ts_type = pq.ParquetFile(path).schema_arrow.field("ts").type
    assert getattr(ts_type, "tz", None) == "UTC", (
        f"ts should be stored as a tz-aware UTC timestamp, got {ts_type}"
    )


def test_reads_files_from_other_writers_with_the_same_dtypes(pio, tmp_path):
    events = make_events(300, 4).reset_index(drop=True)
    # What a Spark job or a plain pyarrow writer produces: no pandas metadata, strings, doubles, ms timestamps.
    foreign = pa.table(
        {
            "event_id": pa.array(events["event_id"].to_numpy(), pa.int64()),
            "user": pa.array(events["user"].tolist(), pa.string()),
            "kind": pa.array(events["kind"].astype(str).tolist(), pa.string()),
            "amount": pa.array(events["amount"].astype("float64").to_numpy(), pa.float64(), from_pandas=True),
            "ts": pa.array(events["ts"].dt.floor("ms").to_numpy(), pa.timestamp("ms", tz="UTC")),
            "extra": pa.array(np.zeros(len(events))),
        }
    )
    path = tmp_path / "foreign.parquet"
    pq.write_table(foreign, path)
    back = pio.read_events(str(path))
    expected = events.assign(ts=events["ts"].dt.floor("ms"))
    assert dict(back.dtypes) == dict(expected.dtypes), (
        f"read_events must return the declared dtypes whoever wrote the file: got {dict(back.dtypes)}"
    )
    assert_frame_equal(back, expected, where="read_events(foreign file)")
