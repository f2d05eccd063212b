"""Hidden-test style checks for data_engineering/q08: one storage layer on file://, memory:// and s3:// (moto server).

file:// stands in for a hierarchical store (HDFS, ADLS Gen2: real directories, atomic rename); memory:// and
s3:// are object stores (keys, prefixes, no rename). The tests watch the stores while a dataset is being written.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from graders.kit.checks import assert_frame_equal


class Store:
    """A test store: its root URL and options, and a look at its raw contents that bypasses every cache."""

    def __init__(self, kind: str, root: str, options: dict | None, **extra):
        self.kind, self.root, self.options = kind, root, options
        self.extra = extra

    @property
    def hierarchical(self) -> bool:
        return self.kind == "file"

    def url(self, rel: str) -> str:
        return f"{self.root}/{rel}"

    def raw(self) -> dict[str, int]:
        """Every file (object) under the root as {relative path: inode or size}, read without fsspec's caches."""
        if self.kind == "file":
            base = self.extra["path"]
            if not base.exists():
                return {}
            return {p.relative_to(base).as_posix(): p.stat().st_ino for p in base.rglob("*") if p.is_file()}
        if self.kind == "memory":
            import fsspec

            store = fsspec.filesystem("memory").store
            prefix = f"/{self.extra['name']}/"
            return {k[len(prefix) :]: len(v.getvalue()) for k, v in store.items() if k.startswith(prefix)}
        client, bucket = self.extra["client"], self.extra["bucket"]
        found = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for obj in page.get("Contents", []):
                found[obj["Key"].removeprefix("lake/")] = obj["Size"]
        return found

    def raw_dirs(self) -> list[Path]:
        base = self.extra["path"]
        return sorted(p for p in base.rglob("*") if p.is_dir()) if base.exists() else []

    def put(self, rel: str, data: bytes) -> None:
        """Another writer (not this process's fsspec objects) puts a file."""
        if self.kind == "file":
            target = self.extra["path"] / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        elif self.kind == "memory":
            import fsspec

            fsspec.filesystem("memory").pipe_file(f"/{self.extra['name']}/{rel}", data)
        else:
            self.extra["client"].put_object(Bucket=self.extra["bucket"], Key=f"lake/{rel}", Body=data)

    def read(self, rel: str) -> bytes:
        if self.kind == "file":
            return (self.extra["path"] / rel).read_bytes()
        if self.kind == "memory":
            import fsspec

            return fsspec.filesystem("memory").cat_file(f"/{self.extra['name']}/{rel}")
        return self.extra["client"].get_object(Bucket=self.extra["bucket"], Key=f"lake/{rel}")["Body"].read()

    def warm_listing_cache(self, rel: str) -> None:
        """List `rel` through fsspec with the store's options: s3fs keeps that listing in its shared instance."""
        import fsspec

        fs, path = fsspec.url_to_fs(self.url(rel), **(self.options or {}))
        with contextlib.suppress(FileNotFoundError):
            fs.ls(path)


@pytest.fixture
def file_store(tmp_path):
    return Store("file", f"file://{tmp_path.as_posix()}/lake", None, path=tmp_path / "lake")


@pytest.fixture
def memory_store():
    import fsspec

    root = f"katas-{uuid.uuid4().hex[:10]}"
    yield Store("memory", f"memory://{root}", None, name=root)
    fs = fsspec.filesystem("memory")
    for key in [k for k in fs.store if k.startswith(f"/{root}/")]:
        fs.store.pop(key, None)
    for key in [k for k in fs.pseudo_dirs if k.startswith(f"/{root}")]:
        fs.pseudo_dirs.remove(key)


@pytest.fixture
def s3_store(moto_server, aws_credentials):
    import boto3

    bucket = f"katas-{uuid.uuid4().hex[:10]}"  # a fresh bucket per test
    client = boto3.client("s3", endpoint_url=moto_server, region_name="us-east-1")
    client.create_bucket(Bucket=bucket)
    options = {
        "key": aws_credentials["AWS_ACCESS_KEY_ID"],
        "secret": aws_credentials["AWS_SECRET_ACCESS_KEY"],
        "token": aws_credentials["AWS_SESSION_TOKEN"],
        "client_kwargs": {"endpoint_url": moto_server, "region_name": "us-east-1"},
    }
    return Store("s3", f"s3://{bucket}/lake", options, client=client, bucket=bucket)


@pytest.fixture(params=["file", "memory", "s3"])
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def st(kata):
    return kata.module("storage")


def make_frame(seed: int, n: int = 50) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"id": np.arange(n), "x": rng.normal(size=n), "tag": rng.choice(["a", "b"], n)})
    return frame.iloc[rng.permutation(n)[: n - 5]]  # a non-default index, which must not be stored


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    import io

    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def bare(url: str) -> str:
    """A URL without its protocol, as fsspec strips it (memory:///a and memory://a are the same file)."""
    import fsspec

    return fsspec.core.strip_protocol(url)


# --- one reader/writer for every store ---------------------------------------------------------------------


def test_round_trip(st, store):
    frame = make_frame(1)
    url = store.url("tables/t.parquet")
    st.write_frame(frame, url, store.options)
    back = st.read_frame(url, store.options)
    assert list(back.columns) == ["id", "x", "tag"], f"{url}: columns {list(back.columns)} (no index column)"
    assert_frame_equal(back, frame.reset_index(drop=True), where=f"read_frame({url})", check_index_type=False)


def test_list_urls_recursive_with_protocol(st, store):
    rels = ["a.parquet", "year=2025/b.parquet", "year=2025/month=5/c.parquet"]
    for i, rel in enumerate(rels):
        st.write_frame(make_frame(i, 10 + i), store.url(rel), store.options)
    urls = st.list_urls(store.root, store.options)
    protocol = store.root.split("://")[0]
    assert len(urls) == 3, f"list_urls({store.root}) should find the 3 files (recursively), got {urls}"
    assert urls == sorted(urls), "the URLs must be sorted"
    for url, rel in zip(urls, sorted(rels), strict=True):
        assert url.startswith(f"{protocol}://") and url.endswith(rel), (
            f"expected a full {protocol}:// URL ending in {rel!r}, got {url!r}"
        )
    sizes = sorted(len(st.read_frame(url, store.options)) for url in urls)
    assert sizes == [5, 6, 7], f"each listed URL must be readable with read_frame: row counts {sizes}"


def test_list_urls_prefix_is_a_directory_and_listing_is_fresh(st, store):
    store.put("sales/a.parquet", parquet_bytes(make_frame(1, 8)))
    store.put("sales_v2/b.parquet", parquet_bytes(make_frame(2, 8)))  # shares the string prefix "sales"
    first = [bare(u) for u in st.list_urls(store.url("sales"), store.options)]
    assert first == [bare(store.url("sales/a.parquet"))], (
        f"list_urls({store.url('sales')!r}) lists what is inside that folder only (not sales_v2/): {first}"
    )
    store.warm_listing_cache("sales")
    store.put("sales/c.parquet", parquet_bytes(make_frame(3, 8)))  # another writer, meanwhile
    second = [bare(u) for u in st.list_urls(store.url("sales"), store.options)]
    want = [bare(store.url("sales/a.parquet")), bare(store.url("sales/c.parquet"))]
    assert second == want, (
        f"a file another writer added since the last listing must be listed (S3 is strongly consistent; a "
        f"client's listing cache is not): got {second}, expected {want}"
    )
    assert st.list_urls(store.url("nothing-here"), store.options) == [], "an empty prefix lists nothing"


def test_list_urls_skips_s3_folder_markers(st, s3_store):
    store = s3_store
    store.put("raw/2025/a.parquet", parquet_bytes(make_frame(4, 6)))
    store.put("raw/empty/", b"")  # the zero-byte "folder" object the S3 console creates
    store.put("raw/2025/", b"")
    urls = st.list_urls(store.url("raw"), store.options)
    assert [bare(u) for u in urls] == [bare(store.url("raw/2025/a.parquet"))], (
        f"S3 has no folders: keys ending in '/' are zero-byte markers, not files, and must not be listed: {urls}"
    )


def test_copy_between_stores(st, store, memory_store):
    frame = make_frame(7, 400)
    src = memory_store.url("src/t.parquet")
    st.write_frame(frame, src)
    dst = store.url("copied/t.parquet")
    copied = st.copy_url(src, dst, None, store.options, block_size=1000)
    import fsspec

    size = fsspec.filesystem("memory").size(src.removeprefix("memory://"))
    assert copied == size, f"copy_url should return the bytes copied ({size}), got {copied}"
    assert_frame_equal(
        st.read_frame(dst, store.options),
        frame.reset_index(drop=True),
        where=f"copy to {dst}",
        check_index_type=False,
    )


# --- where the stores differ ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("file:///data/lake/t", True),
        ("local:///data/lake/t", True),
        ("/data/lake/t", True),
        ("hdfs://namenode:8020/lake/t", True),
        ("viewfs://cluster/lake/t", True),
        ("abfs://raw@account.dfs.core.windows.net/lake/t", True),
        ("abfss://raw@account.dfs.core.windows.net/lake/t", True),
        ("HDFS://namenode:8020/lake/t", True),
        ("s3://bucket/lake/t", False),
        ("s3a://bucket/lake/t", False),
        ("gs://bucket/lake/t", False),
        ("gcs://bucket/lake/t", False),
        ("az://container/lake/t", False),
        ("memory://lake/t", False),
    ],
)
def test_is_hierarchical(st, url, expected):
    assert st.is_hierarchical(url) is expected, f"is_hierarchical({url!r}) should be {expected}"


class Watcher:
    """The frames of a dataset, handed out one at a time while the store is inspected between them."""

    def __init__(self, store: Store, rel: str, frames: list[pd.DataFrame], fail_after: int | None = None):
        self.store, self.rel, self.frames, self.fail_after = store, rel, frames, fail_after
        self.before = store.raw()
        self.staged: dict[str, int] = {}
        self.started = False

    def parts_now(self) -> dict[str, int]:
        """New part files anywhere in the store since the start: {relative path: inode/size}."""
        return {
            rel: ident
            for rel, ident in self.store.raw().items()
            if rel not in self.before and os.path.basename(rel).startswith("part-")
        }

    def check(self, asked: int) -> None:
        """Called when frame number `asked` is requested: parts 0 .. asked-1 must be written, nothing committed."""
        store, rel = self.store, self.rel
        new = {k: v for k, v in store.raw().items() if k not in self.before}
        parts = self.parts_now()
        assert len(parts) == asked, (
            f"when frame {asked} is asked for, the {asked} frames before it should each be written as a part "
            f"file already (one frame at a time, never all in memory); new files: {sorted(new)}"
        )
        assert not any(k.endswith("_SUCCESS") for k in new), (
            f"the _SUCCESS marker is written last, after every part: found {sorted(new)} while writing"
        )
        if store.hierarchical:
            final = store.extra["path"] / rel
            assert not final.exists(), (
                f"on a hierarchical store nothing may exist at {rel}/ before the commit (stage elsewhere, then "
                f"rename): found {final}"
            )
            for path in parts:
                folder = path.split("/")[-2] if "/" in path else ""
                assert folder.startswith(("_", ".")), (
                    f"stage the parts in a hidden directory (its name starting with '_' or '.', next to {rel}/): "
                    f"found {path}"
                )
            self.staged = {os.path.basename(p): ino for p, ino in parts.items()}
        else:
            expected = {f"{rel}/part-{i:05d}.parquet" for i in range(asked)}
            assert set(new) == expected, (
                f"on an object store the parts are written in place, {rel}/part-00000.parquet, ... (a rename "
                f"there is a copy and a delete of every object): new keys {sorted(new)}, expected "
                f"{sorted(expected)}"
            )

    def __iter__(self):
        self.started = True
        for i, frame in enumerate(self.frames):
            self.check(i)
            if self.fail_after is not None and i == self.fail_after:
                raise RuntimeError("the source died halfway")
            yield frame
        self.check(len(self.frames))


def frames_for(seed: int, sizes: list[int]) -> list[pd.DataFrame]:
    return [make_frame(seed + i, n) for i, n in enumerate(sizes)]


def expected_rows(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)


def test_write_dataset_commits_as_the_store_allows(st, store):
    frames = frames_for(10, [30, 12, 25])
    watcher = Watcher(store, "sales", frames)
    returned = st.write_dataset(watcher, store.url("sales"), store.options)
    names = [f"part-{i:05d}.parquet" for i in range(3)]
    assert isinstance(returned, list) and [bare(u) for u in returned] == [
        bare(store.url(f"sales/{n}")) for n in names
    ], f"write_dataset returns the URLs of the parts it committed, in order: {returned}"
    protocol = store.root.split("://")[0]
    assert all(u.startswith(f"{protocol}://") for u in returned), f"full URLs with their protocol: {returned}"
    raw = {k: v for k, v in store.raw().items() if k not in watcher.before}
    assert sorted(raw) == sorted([f"sales/{n}" for n in names] + ["sales/_SUCCESS"]), (
        f"after the commit the store holds the parts and the marker under sales/, nothing else: {sorted(raw)}"
    )
    marker = json.loads(store.read("sales/_SUCCESS"))
    assert marker == {"files": names}, f'_SUCCESS should hold {{"files": {names}}}, got {marker}'
    if store.hierarchical:
        moved = {n: raw[f"sales/{n}"] for n in names}
        assert moved == watcher.staged, (
            "on a hierarchical store the commit renames the staging directory: the committed part files are the "
            f"very files written while staging (same inodes), not copies: {moved} vs {watcher.staged}"
        )
        leftovers = [d.name for d in store.raw_dirs() if d.name != "sales"]
        assert not leftovers, f"the staging directory must be gone after the commit: {leftovers}"
    assert_frame_equal(
        st.read_dataset(store.url("sales"), store.options),
        expected_rows(frames),
        where=f"read_dataset({store.url('sales')})",
        check_index_type=False,
    )


def test_write_dataset_refuses_to_overwrite(st, store):
    st.write_dataset(frames_for(1, [5]), store.url("t"), store.options)
    before = store.raw()
    watcher = Watcher(store, "t", frames_for(2, [6]))
    with pytest.raises(FileExistsError):
        st.write_dataset(watcher, store.url("t"), store.options)
    assert not watcher.started, "refuse before asking for any frame"
    assert store.raw() == before, "a refused write changes nothing"


def test_uncommitted_leftovers_at_the_target(st, store):
    """Files at the target without a marker: a hierarchical rename cannot land there; an object store writes on."""
    store.put("orders/notes.txt", b"left by someone")
    store.put("orders/part-00003.parquet", parquet_bytes(make_frame(3, 20)))
    frames = frames_for(50, [7, 9])
    if store.hierarchical:
        before = store.raw()
        watcher = Watcher(store, "orders", frames)
        with pytest.raises(FileExistsError):
            st.write_dataset(watcher, store.url("orders"), store.options)
        assert not watcher.started, "refuse before asking for any frame"
        assert store.raw() == before, "a refused write changes nothing"
    else:
        st.write_dataset(frames, store.url("orders"), store.options)
        assert_frame_equal(
            st.read_dataset(store.url("orders"), store.options),
            expected_rows(frames),
            where="an object-store prefix with stray files but no marker holds no dataset: write it",
            check_index_type=False,
        )


def test_failed_write_commits_nothing_and_can_be_retried(st, store):
    frames = frames_for(20, [9, 8, 7])
    watcher = Watcher(store, "events", frames, fail_after=2)
    with pytest.raises(RuntimeError, match="the source died halfway"):
        st.write_dataset(watcher, store.url("events"), store.options)
    with pytest.raises(st.DatasetNotCommitted):
        st.read_dataset(store.url("events"), store.options)
    if store.hierarchical:
        left = {k for k in store.raw() if k not in watcher.before}
        assert not left and not store.raw_dirs(), (
            f"on a hierarchical store a failed write removes its staging directory: {sorted(left)}, "
            f"{store.raw_dirs()}"
        )
    retry = frames_for(30, [4])  # the retry writes fewer parts than the failed attempt left behind
    st.write_dataset(retry, store.url("events"), store.options)
    assert_frame_equal(
        st.read_dataset(store.url("events"), store.options),
        expected_rows(retry),
        where="read_dataset after a retried write (stale parts of the failed attempt must be ignored)",
        check_index_type=False,
    )


def test_empty_dataset(st, store):
    assert st.write_dataset(iter([]), store.url("empty"), store.options) == []
    back = st.read_dataset(store.url("empty"), store.options)
    assert isinstance(back, pd.DataFrame) and len(back) == 0, (
        f"an empty committed dataset reads as 0 rows: {back}"
    )


def test_read_dataset_reads_exactly_the_manifest(st, store):
    """A dataset committed by another tool: files in the manifest's order, strays ignored."""
    frames = {
        name: make_frame(i + 40, 6 + i)
        for i, name in enumerate(["p-b.parquet", "p-a.parquet", "p-c.parquet"])
    }
    for name, frame in frames.items():
        store.put(f"orders/{name}", parquet_bytes(frame))
    store.put("orders/part-00007.parquet", parquet_bytes(make_frame(99, 50)))  # a stray from a failed writer
    store.put("orders/_temporary/0/part-00000.parquet", parquet_bytes(make_frame(98, 50)))
    order = ["p-c.parquet", "p-a.parquet", "p-b.parquet"]
    store.put("orders/_SUCCESS", json.dumps({"files": order}).encode())
    assert_frame_equal(
        st.read_dataset(store.url("orders"), store.options),
        expected_rows([frames[n] for n in order]),
        where="read_dataset: the manifest's files, in its order, and nothing else",
        check_index_type=False,
    )


def test_read_dataset_sees_a_commit_made_since(st, store):
    frame = make_frame(5, 9)
    store.put("daily/part-00000.parquet", parquet_bytes(frame))
    with pytest.raises(st.DatasetNotCommitted):
        st.read_dataset(store.url("daily"), store.options)  # a writer is still at work: not committed
    store.warm_listing_cache("daily")
    store.put("daily/_SUCCESS", json.dumps({"files": ["part-00000.parquet"]}).encode())  # it commits
    try:
        back = st.read_dataset(store.url("daily"), store.options)
    except FileNotFoundError as exc:
        pytest.fail(
            f"the dataset was committed by another writer, but read_dataset still does not see it ({exc!r}): "
            "S3 is strongly consistent, s3fs's listing cache is not: invalidate it before looking"
        )
    assert_frame_equal(
        back, frame.reset_index(drop=True), where="read_dataset after the commit", check_index_type=False
    )


def test_append_bytes(st, store):
    url = store.url("logs/events.jsonl")
    chunks = [b'{"e": 1}\n', b'{"e": 2}\n{"e": 3}\n', b'{"e": 4}\n']
    written, total = [], 0
    for chunk in chunks:
        written.append(st.append_bytes(url, chunk, store.options))
        total += len(chunk)
    assert store.read("logs/events.jsonl") == b"".join(chunks), "the file holds every chunk, in order"
    if store.hierarchical:
        expected = [len(c) for c in chunks]
        why = "a hierarchical store appends in place: only the new bytes are written"
    else:
        expected = [sum(len(c) for c in chunks[: i + 1]) for i in range(len(chunks))]
        why = "objects are immutable: each append rewrites the whole object"
    assert written == expected, (
        f"append_bytes returns the bytes it wrote to the store ({why}): {written} != {expected}"
    )
