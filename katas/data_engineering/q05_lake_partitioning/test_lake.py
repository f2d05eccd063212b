"""Hidden-test style checks for data_engineering/q05: hive partitions, pruning (files outside the range are
corrupted on purpose: a reader that opens them fails) and compaction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from graders.kit.checks import assert_frame_equal


def make_batch(n: int, seed: int, first_id: int, days: int = 20) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ts = pd.Timestamp("2025-02-18", tz="UTC") + pd.to_timedelta(rng.integers(0, days * 86_400, n), unit="s")
    return pd.DataFrame(
        {
            "id": np.arange(first_id, first_id + n, dtype="int64"),
            "ts": ts.astype("datetime64[us, UTC]"),
            "store": rng.choice(["A", "B", "C"], n),
            "amount": rng.uniform(0, 100, n).round(2),
        }
    )


def reference(frame: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    days = frame["ts"].dt.date
    out = frame[(days >= start) & (days <= end)]
    return out.sort_values(["ts", "id"]).reset_index(drop=True)


def data_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def day_of(rel: str) -> date:
    parts = dict(piece.split("=") for piece in rel.split("/")[:-1])
    return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))


@pytest.fixture
def lake(kata):
    return kata.module("lake")


@pytest.fixture
def filled(lake, tmp_path):
    root = tmp_path / "lake"
    batches = [make_batch(250, seed, 1 + 1000 * seed) for seed in range(3)]
    for batch in batches:
        lake.write_partitioned(batch, str(root))
    return root, pd.concat(batches, ignore_index=True)


def test_hive_layout_and_appends(lake, filled):
    root, everything = filled
    files = data_files(root)
    assert files, "write_partitioned wrote no file"
    days = sorted(set(everything["ts"].dt.date))
    folders = sorted({f.rsplit("/", 1)[0] for f in files})
    expected = sorted(f"year={d.year}/month={d.month}/day={d.day}" for d in days)
    assert folders == expected, (
        f"partition folders should be year=YYYY/month=M/day=D (no zero padding): {folders[:3]}"
    )
    per_folder = {f: sum(1 for x in files if x.startswith(f + "/")) for f in folders}
    assert max(per_folder.values()) >= 2, (
        "each batch must add new files (three batches were written), not overwrite"
    )
    table = ds.dataset(str(root), format="parquet", partitioning="hive").to_table().to_pandas()
    got = table[["id", "ts", "store", "amount"]].sort_values("id").reset_index(drop=True)
    assert len(got) == len(everything), f"{len(got)} rows in the lake, {len(everything)} written"
    assert got["id"].tolist() == everything.sort_values("id")["id"].tolist(), "rows are lost or duplicated"
    for f in files:
        columns = set(pq.read_schema(root / f).names)
        assert not columns & {"year", "month", "day"}, (
            f"{f} stores the partition columns: their values live in the folder names only ({sorted(columns)})"
        )
        assert set(
            everything.loc[
                everything["id"].isin(
                    ds.dataset(str(root / f), format="parquet")
                    .to_table(columns=["id"])
                    .column("id")
                    .to_pylist()
                ),
                "ts",
            ].dt.date
        ) == {day_of(f)}, f"{f} holds rows of another day"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 2, 27), date(2025, 3, 2)),
        (date(2025, 3, 5), date(2025, 3, 5)),
        (date(2024, 1, 1), date(2024, 2, 1)),
    ],
)
def test_matching_files_prune(lake, filled, start, end):
    root, _ = filled
    expected = [f for f in data_files(root) if start <= day_of(f) <= end]
    got = lake.matching_files(str(root), start, end)
    assert got == expected, (
        f"matching_files({start}, {end}): {got[:4]}... expected {expected[:4]}... ({len(expected)})"
    )


@pytest.mark.parametrize(
    ("start", "end"), [(date(2025, 2, 27), date(2025, 3, 2)), (date(2025, 3, 1), date(2025, 3, 1))]
)
def test_read_range_opens_only_matching_partitions(lake, filled, start, end):
    root, everything = filled
    expected = reference(everything, start, end)
    first = (
        Path(ds.dataset(str(root), format="parquet", partitioning="hive").files[0])
        .relative_to(root)
        .as_posix()
    )
    for rel in data_files(root):
        if not start <= day_of(rel) <= end and rel != first:
            (root / rel).write_bytes(b"not a parquet file: a pruned reader never opens it")
    try:
        got = lake.read_range(str(root), start, end)
    except Exception as exc:  # noqa: BLE001
        pytest.fail(
            f"read_range({start}, {end}) opened files of other days (they were corrupted on purpose): {exc}"
        )
    assert list(got.columns) == ["id", "ts", "store", "amount"], (
        f"columns {list(got.columns)} (no year/month/day)"
    )
    assert_frame_equal(got, expected, where=f"read_range({start}, {end})", check_dtype=False)


def test_compaction_keeps_data_and_cuts_files(lake, filled):
    root, everything = filled
    before_files = data_files(root)
    folders = {f.rsplit("/", 1)[0] for f in before_files}
    start, end = date(2025, 2, 18), date(2025, 3, 31)
    before = lake.read_range(str(root), start, end)
    assert lake.compact(str(root)) == (len(before_files), len(folders)), (
        "compact returns (files before, files after)"
    )
    after_files = data_files(root)
    assert len(after_files) == len(folders), (
        f"one file per partition after compaction, found {len(after_files)}"
    )
    assert {f.rsplit("/", 1)[0] for f in after_files} == folders, "compaction must keep the partition folders"
    assert_frame_equal(lake.read_range(str(root), start, end), before, where="the lake after compaction")
    assert len(before) == len(everything)
    assert lake.compact(str(root)) == (len(folders), len(folders)), (
        "compacting a compacted lake changes nothing"
    )
    assert_frame_equal(
        lake.read_range(str(root), start, end), before, where="the lake after a second compaction"
    )
    lake.write_partitioned(make_batch(40, 9, 90_000, days=3), str(root))
    assert len(lake.read_range(str(root), start, end)) == len(everything) + 40, (
        "the lake still accepts appends"
    )


def test_a_partition_of_exactly_two_files_is_compacted(lake, tmp_path):
    root = tmp_path / "two"
    first, second = make_batch(30, 11, 1, days=2), make_batch(30, 12, 1_000, days=2)
    lake.write_partitioned(first, str(root))
    lake.write_partitioned(second, str(root))
    files = data_files(root)
    folders = {f.rsplit("/", 1)[0] for f in files}
    assert len(files) == 2 * len(folders), f"two batches over the same {len(folders)} days: {files}"
    assert lake.compact(str(root)) == (len(files), len(folders)), (
        f"{len(folders)} partitions of 2 files each: compact returns ({len(files)}, {len(folders)})"
    )
    assert len(data_files(root)) == len(folders), (
        f"one file per partition after compaction: {data_files(root)}"
    )
    start, end = date(2025, 2, 18), date(2025, 2, 19)
    assert_frame_equal(
        lake.read_range(str(root), start, end),
        reference(pd.concat([first, second], ignore_index=True), start, end),
        where="a lake of two-file partitions after compaction",
    )


@pytest.fixture
def los_angeles_host(monkeypatch):
    """The machine's local time zone is America/Los_Angeles (UTC-8 in winter): local-time code shows itself."""
    import time

    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


BOUNDARY_TS = [
    "2024-02-29T12:00:00",  # a leap day
    "2024-12-31T23:59:59.999999",  # the last microsecond of a year ...
    "2025-01-01T00:00:00",  # ... and the first of the next
    "2025-01-01T07:59:59",  # still 2024-12-31 in Los Angeles
    "2025-02-28T23:59:59.999999",
    "2025-03-01T00:00:00",
    "2025-03-01T23:59:59.999999",
    "2025-03-02T00:00:00",
]


def test_day_boundaries_are_utc_days(lake, tmp_path, los_angeles_host):
    root = tmp_path / "lake"
    ts = pd.to_datetime(BOUNDARY_TS, format="ISO8601").tz_localize("UTC").astype("datetime64[us, UTC]")
    frame = pd.DataFrame(
        {
            "id": np.arange(1, len(ts) + 1, dtype="int64"),
            "ts": ts,
            "store": ["A"] * len(ts),
            "amount": np.linspace(1, 8, len(ts)),
        }
    )
    ties = frame[frame["ts"] == pd.Timestamp("2025-03-01", tz="UTC")].iloc[[0, 0]].assign(id=[10, 9])
    frame = pd.concat([frame, ties], ignore_index=True)  # equal ts, the larger id first: ties sort by id
    lake.write_partitioned(frame, str(root))
    folders = sorted({f.rsplit("/", 1)[0] for f in data_files(root)})
    expected = sorted({f"year={t.year}/month={t.month}/day={t.day}" for t in frame["ts"]})
    assert folders == expected, (
        f"partitions come from ts in UTC, whatever the machine's time zone (here America/Los_Angeles): "
        f"folders {folders}, expected {expected}"
    )
    for day in (date(2024, 12, 31), date(2025, 1, 1), date(2025, 2, 28), date(2025, 3, 1), date(2025, 3, 2)):
        got = lake.read_range(str(root), day, day)
        want = reference(frame, day, day)
        assert got["id"].tolist() == want["id"].tolist(), (
            f"read_range({day}, {day}) on rows at the edges of UTC days: ids {got['id'].tolist()}, "
            f"expected {want['id'].tolist()}"
        )
    assert lake.read_range(str(root), date(2024, 12, 31), date(2025, 1, 1))["id"].tolist() == [2, 3, 4], (
        "a range across the new year"
    )
