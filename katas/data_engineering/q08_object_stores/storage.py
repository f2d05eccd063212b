"""Kata data_engineering/q08: one storage layer over fsspec URLs that respects how stores differ. Edit this file."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

FILE = "katas/data_engineering/q08_object_stores/storage.py"


class DatasetNotCommitted(FileNotFoundError):
    """No committed dataset at this URL (no _SUCCESS marker): absent, being written, or its writer failed."""


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


def is_hierarchical(url: str) -> bool:
    """True for stores with real directories and an atomic rename (local, HDFS, ADLS Gen2)."""
    raise NotImplementedError(f"is_hierarchical: write it in {FILE}")


def write_dataset(frames: Iterable[pd.DataFrame], url: str, options: dict | None = None) -> list[str]:
    """Write the frames as part files under `url` and commit them as the store allows (see README.md)."""
    raise NotImplementedError(f"write_dataset: write it in {FILE}")


def read_dataset(url: str, options: dict | None = None) -> pd.DataFrame:
    """The committed dataset at `url`: the files its _SUCCESS marker lists, in that order."""
    raise NotImplementedError(f"read_dataset: write it in {FILE}")


def append_bytes(url: str, data: bytes, options: dict | None = None) -> int:
    """Append `data` to the file at `url`; return the number of bytes this call wrote to the store."""
    raise NotImplementedError(f"append_bytes: write it in {FILE}")
