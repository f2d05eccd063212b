"""Near miss: writes each day's rows with pandas, year/month/day columns included, into the folders.

Reference solution for data_engineering/q05: a hive-partitioned lake, pruned reads and compaction."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

PARTS = ["year", "month", "day"]


def _dataset(root: str) -> ds.Dataset:
    return ds.dataset(root, format="parquet", partitioning="hive")


def write_partitioned(df: pd.DataFrame, root: str) -> None:
    """Append `df` to the lake as new files under year=YYYY/month=M/day=D folders derived from `ts`."""
    frame = df.assign(year=df["ts"].dt.year, month=df["ts"].dt.month, day=df["ts"].dt.day)
    for (year, month, day), rows in frame.groupby(PARTS):
        folder = Path(root) / f"year={year}" / f"month={month}" / f"day={day}"
        folder.mkdir(parents=True, exist_ok=True)
        rows.to_parquet(folder / f"part-{uuid.uuid4().hex}-0.parquet", index=False)


def _range_filter(start: date, end: date) -> pc.Expression:
    # One integer per day, YYYYMMDD, built from the partition columns only: pyarrow can evaluate it from the
    # folder names and skip the files of other days without opening them.
    key = pc.field("year") * 10_000 + pc.field("month") * 100 + pc.field("day")
    as_int = lambda d: d.year * 10_000 + d.month * 100 + d.day  # noqa: E731
    return (key >= as_int(start)) & (key <= as_int(end))


def matching_files(root: str, start: date, end: date) -> list[str]:
    """The data files (paths relative to root, '/'-separated, sorted) a read of [start, end] has to open."""
    fragments = _dataset(root).get_fragments(filter=_range_filter(start, end))
    return sorted(Path(f.path).relative_to(root).as_posix() for f in fragments)


def read_range(root: str, start: date, end: date) -> pd.DataFrame:
    """Rows whose ts falls on a day in [start, end], original columns only, sorted by ts then id."""
    table = _dataset(root).to_table(filter=_range_filter(start, end))
    frame = table.drop_columns(PARTS).to_pandas()
    return frame.sort_values(["ts", "id"]).reset_index(drop=True)


def compact(root: str) -> tuple[int, int]:
    """Rewrite each partition's files as one file; returns (files before, files after)."""
    files = sorted(Path(root).rglob("*.parquet"))
    folders = sorted({f.parent for f in files})
    for folder in folders:
        parts = sorted(folder.glob("*.parquet"))
        if len(parts) < 2:
            continue
        table = pa.concat_tables(pq.read_table(p, partitioning=None) for p in parts)
        # Write the new file first, under a name readers ignore, then swap: no moment without the data.
        tmp = folder / "_compacting.tmp"
        pq.write_table(table, tmp, compression="zstd")
        for p in parts:
            p.unlink()
        tmp.rename(folder / "part-compacted-0.parquet")
    return len(files), len(folders)
