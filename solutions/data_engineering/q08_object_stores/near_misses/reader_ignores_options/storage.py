"""Near miss: forgets to pass the options when reading: fine on local stores, lost on S3.

Reference solution for data_engineering/q08: one storage layer over fsspec URLs that respects how stores differ.

Hierarchical stores (a local disk, HDFS, ADLS Gen2) have real directories and an atomic rename; object stores
(S3, GCS, fsspec's memory store) have keys, prefixes and no rename. Datasets are committed accordingly.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable

import fsspec
import pandas as pd

# Protocols whose file systems have real directories and an atomic, O(1) rename of a directory.
HIERARCHICAL = {"file", "local", "hdfs", "viewfs", "abfs", "abfss"}
MARKER = "_SUCCESS"


class DatasetNotCommitted(FileNotFoundError):
    """No committed dataset at this URL (no _SUCCESS marker): absent, being written, or its writer failed."""


def _fs(url: str, options: dict | None):
    fs, path = fsspec.url_to_fs(url, **(options or {}))
    # S3 itself is strongly consistent (since December 2020), but s3fs caches directory listings in its
    # file-system object, which fsspec shares between calls with the same options: a listing made earlier
    # would hide what another writer has added since. Look afresh.
    fs.invalidate_cache()
    return fs, path.rstrip("/")


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
    fs, path = _fs(prefix, options)
    # find() is recursive and treats `prefix` as a directory (lake/sales, never lake/sales_v2). On S3 it also
    # returns the zero-byte "folder" objects that consoles create (keys ending in "/"): they are not files.
    found = [p for p in fs.find(path) if not p.endswith("/")]
    return sorted(fs.unstrip_protocol(p) for p in found)


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


def is_hierarchical(url: str) -> bool:
    """True for stores with real directories and an atomic rename (local, HDFS, ADLS Gen2)."""
    protocol = url.split("://", 1)[0].lower() if "://" in url else "file"  # a bare path is a local path
    return protocol in HIERARCHICAL


def _write_parts(fs, folder: str, frames: Iterable[pd.DataFrame]) -> list[str]:
    names = []
    for i, frame in enumerate(frames):  # one frame at a time: part i is written before frame i+1 is asked for
        name = f"part-{i:05d}.parquet"
        with fs.open(f"{folder}/{name}", "wb") as handle:
            frame.to_parquet(handle, index=False)
        names.append(name)
    # The marker names the files of this commit: readers ignore anything else under the prefix.
    fs.pipe_file(f"{folder}/{MARKER}", json.dumps({"files": names}).encode())
    return names


def write_dataset(frames: Iterable[pd.DataFrame], url: str, options: dict | None = None) -> list[str]:
    """Write the frames as part files under `url` and commit them the way the store allows."""
    fs, path = _fs(url, options)
    if fs.exists(f"{path}/{MARKER}") or (is_hierarchical(url) and fs.exists(path)):
        raise FileExistsError(f"{url} already holds a dataset")
    if is_hierarchical(url):
        # Stage in a hidden directory next to the target (same file system, so the rename is a metadata
        # operation), then commit with ONE rename: readers see nothing or everything.
        parent, name = path.rsplit("/", 1)
        staging = f"{parent}/_staging-{name}-{uuid.uuid4().hex[:12]}"
        fs.makedirs(staging, exist_ok=True)
        try:
            names = _write_parts(fs, staging, frames)
            fs.mv(staging, path, recursive=True)
        except BaseException:
            if fs.exists(staging):
                fs.rm(staging, recursive=True)  # nothing half-written stays behind
            raise
    else:
        # No rename on an object store (it would be a copy and a delete of every object, and not atomic):
        # write the parts in place and commit by writing the marker last.
        names = _write_parts(fs, path, frames)
    return [fs.unstrip_protocol(f"{path}/{name}") for name in names]


def read_dataset(url: str, options: dict | None = None) -> pd.DataFrame:
    """The committed dataset at `url`: the files its marker names, in that order."""
    fs, path = _fs(url, options)
    if not fs.exists(f"{path}/{MARKER}"):
        raise DatasetNotCommitted(f"no committed dataset at {url} (no {MARKER})")
    manifest = json.loads(fs.cat_file(f"{path}/{MARKER}"))
    frames = []
    for name in manifest["files"]:
        with fs.open(f"{path}/{name}", "rb") as handle:
            frames.append(pd.read_parquet(handle))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def append_bytes(url: str, data: bytes, options: dict | None = None) -> int:
    """Append `data` to the file at `url` (created if missing); the number of bytes this wrote to the store."""
    fs, path = _fs(url, options)
    if is_hierarchical(url):
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        with fs.open(path, "ab") as handle:  # HDFS and ADLS Gen2 append in place
            handle.write(data)
        return len(data)
    # Objects are immutable: "appending" rewrites the whole object, and costs its whole size every time.
    old = fs.cat_file(path) if fs.exists(path) else b""
    fs.pipe_file(path, old + data)
    return len(old) + len(data)
