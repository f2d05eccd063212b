"""Near miss: forgets to pass the options when reading: fine on local stores, lost on S3.

Reference solution for data_engineering/q08: one storage-agnostic reader/writer over fsspec URLs."""

from __future__ import annotations

import fsspec
import pandas as pd


def write_frame(df: pd.DataFrame, url: str, options: dict | None = None) -> None:
    """Write `df` as Parquet (no index) to any fsspec URL: file://, memory://, s3://, gs://..."""
    # fsspec.open picks the filesystem from the URL's protocol; `options` (credentials, endpoint...) go to it.
    with fsspec.open(url, "wb", **(options or {})) as handle:
        df.to_parquet(handle, index=False)


def read_frame(url: str, options: dict | None = None) -> pd.DataFrame:
    with fsspec.open(url, "rb") as handle:
        return pd.read_parquet(handle)


def list_urls(prefix: str, options: dict | None = None) -> list[str]:
    """Every file under `prefix`, recursively, as full URLs (protocol included), sorted."""
    fs, path = fsspec.url_to_fs(prefix, **(options or {}))
    # find() is recursive and returns paths without the protocol; unstrip_protocol puts it back, so that the
    # result can be handed to read_frame again whatever the store.
    return sorted(fs.unstrip_protocol(p) for p in fs.find(path))


def copy_url(
    src: str,
    dst: str,
    src_options: dict | None = None,
    dst_options: dict | None = None,
    block_size: int = 1 << 20,
) -> int:
    """Stream `src` to `dst` (possibly another store) in blocks; returns the number of bytes copied."""
    copied = 0
    with (
        fsspec.open(src, "rb", **(src_options or {})) as reader,
        fsspec.open(dst, "wb", **(dst_options or {})) as writer,
    ):
        while block := reader.read(block_size):  # never the whole object in memory
            writer.write(block)
            copied += len(block)
    return copied
