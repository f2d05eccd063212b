"""Near miss: keeps pandas' default index handling, so a filtered frame's index lands in the file.

Reference solution for data_engineering/e03: Parquet with compression, row groups and exact dtypes."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq

KINDS = ["view", "click", "buy"]
# The dtypes a reader promises, whoever wrote the file: declare them instead of trusting what comes back.
DTYPES = {
    "event_id": "int64",
    "user": "str",
    "kind": pd.CategoricalDtype(KINDS, ordered=True),
    "amount": "Float64",  # nullable float: a missing amount is <NA>, not NaN
    "ts": "datetime64[us, UTC]",  # tz-aware: an instant, not a wall-clock reading
}


def write_events(df: pd.DataFrame, path: str, row_group_size: int = 10_000) -> None:
    """Write the events as Parquet: zstd-compressed, row groups of `row_group_size` rows, no index."""
    df.to_parquet(
        path,
        engine="pyarrow",
        compression="zstd",  # better ratio than the default snappy at similar speed
        row_group_size=row_group_size,  # the unit readers can skip using the min/max statistics
    )


def read_events(path: str) -> pd.DataFrame:
    """Read the events with exactly the dtypes of DTYPES, from our files and from other writers' files."""
    frame = pd.read_parquet(path, engine="pyarrow", columns=list(DTYPES))
    # astype is a no-op where the file already carries the dtype (pandas metadata) and a cast where it does not
    # (a file written by Spark or plain pyarrow: strings instead of categories, double instead of Float64...).
    return frame.astype(DTYPES)


def parquet_summary(path: str) -> dict:
    """Rows, row groups, compression codecs and column names, read from the footer only (no data pages)."""
    meta = pq.ParquetFile(path).metadata
    codecs = {
        meta.row_group(g).column(c).compression
        for g in range(meta.num_row_groups)
        for c in range(meta.num_columns)
    }
    return {
        "rows": meta.num_rows,
        "row_groups": meta.num_row_groups,
        "compression": sorted(codecs),
        "columns": [meta.schema.column(c).name for c in range(meta.num_columns)],
    }
