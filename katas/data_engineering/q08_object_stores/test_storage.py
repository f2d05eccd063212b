"""Hidden-test style checks for data_engineering/q08: the same code on file://, memory:// and s3:// (moto server)."""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd
import pytest

from graders.checks import assert_frame_equal


class Store:
    def __init__(self, root: str, options: dict | None):
        self.root, self.options = root, options

    def url(self, rel: str) -> str:
        return f"{self.root}/{rel}"


@pytest.fixture
def file_store(tmp_path):
    return Store(f"file://{tmp_path.as_posix()}/lake", None)


@pytest.fixture
def memory_store():
    import fsspec

    root = f"katas-{uuid.uuid4().hex[:10]}"
    yield Store(f"memory://{root}", None)
    fs = fsspec.filesystem("memory")
    if fs.exists(f"/{root}"):
        fs.rm(f"/{root}", recursive=True)


@pytest.fixture
def s3_store(moto_server, aws_credentials):
    import boto3

    bucket = f"katas-{uuid.uuid4().hex[:10]}"  # a fresh bucket: s3fs caches listings per bucket
    boto3.client("s3", endpoint_url=moto_server, region_name="us-east-1").create_bucket(Bucket=bucket)
    options = {
        "key": aws_credentials["AWS_ACCESS_KEY_ID"],
        "secret": aws_credentials["AWS_SECRET_ACCESS_KEY"],
        "token": aws_credentials["AWS_SESSION_TOKEN"],
        "client_kwargs": {"endpoint_url": moto_server, "region_name": "us-east-1"},
    }
    return Store(f"s3://{bucket}/lake", options)


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
