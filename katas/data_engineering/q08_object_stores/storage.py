"""Kata data_engineering/q08: one storage-agnostic reader/writer over fsspec URLs. Edit this file."""

from __future__ import annotations

import pandas as pd

FILE = "katas/data_engineering/q08_object_stores/storage.py"


def write_frame(df: pd.DataFrame, url: str, options: dict | None = None) -> None:
    """Write `df` as Parquet (no index) to the fsspec URL `url`."""
    raise NotImplementedError(f"write_frame: write it in {FILE}")


def read_frame(url: str, options: dict | None = None) -> pd.DataFrame:
    """Read the Parquet file at the fsspec URL `url`."""
    raise NotImplementedError(f"read_frame: write it in {FILE}")


def list_urls(prefix: str, options: dict | None = None) -> list[str]:
    """Every file under `prefix`, recursively, as full URLs with their protocol, sorted."""
    raise NotImplementedError(f"list_urls: write it in {FILE}")


def copy_url(
    src: str,
    dst: str,
    src_options: dict | None = None,
    dst_options: dict | None = None,
    block_size: int = 1 << 20,
) -> int:
    """Copy the bytes of `src` to `dst` in blocks of `block_size`; return the number of bytes copied."""
    raise NotImplementedError(f"copy_url: write it in {FILE}")
