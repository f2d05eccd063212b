"""Hidden-test style checks for data_engineering/e04: uploads checked by reading the objects back from moto S3."""

from __future__ import annotations

import base64
import hashlib
import random

import pytest

BUCKET = "katas-lake"


@pytest.fixture
def s3u(kata):
    return kata.module("s3_upload")


@pytest.fixture
def bucket(s3_client):
    s3_client.create_bucket(Bucket=BUCKET)
    return s3_client


def b64sha(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sales.csv", "text/csv"),
        ("a/b/REPORT.CSV", "text/csv"),
        ("x.json", "application/json"),
        ("part-0.parquet", "application/vnd.apache.parquet"),
        ("dump.csv.gz", "application/gzip"),
        ("notes", "application/octet-stream"),
        ("model.bin", "application/octet-stream"),
    ],
)
def test_content_type_for(s3u, name, expected):
    assert s3u.content_type_for(name) == expected, f"content_type_for({name!r})"


@pytest.mark.parametrize("size", [0, 1, 5000, 3 * (1 << 20) + 17])
def test_sha256_b64(s3u, tmp_path, size):
    data = random.Random(size).randbytes(size)
    path = tmp_path / "blob.bin"
    path.write_bytes(data)
    assert s3u.sha256_b64(str(path)) == b64sha(data), (
        f"sha256_b64 of {size} bytes: base64 of the SHA-256 digest"
    )


def test_upload_stores_type_metadata_and_checksum(s3u, bucket, tmp_path):
    rng = random.Random(4)
    for name in ("daily.csv", "events.parquet", "blob.dat"):
        data = rng.randbytes(rng.randint(10, 4000))
        path = tmp_path / name
        path.write_bytes(data)
        meta = {"source": "crm", "run-date": f"2025-05-{rng.randint(10, 28)}"}
        key = f"raw/{name}"
        assert s3u.upload(bucket, str(path), BUCKET, key, meta) is True, (
            f"first upload of {key} should return True"
        )
        head = bucket.head_object(Bucket=BUCKET, Key=key, ChecksumMode="ENABLED")
        assert head["ContentType"] == s3u.content_type_for(name), (
            f"{key}: ContentType {head['ContentType']!r}"
        )
        assert head["Metadata"] == meta, f"{key}: user metadata {head['Metadata']} != {meta}"
        assert head.get("ChecksumSHA256") == b64sha(data), (
            f"{key}: S3 should hold a SHA-256 checksum of the bytes (upload with ChecksumAlgorithm='SHA256'); "
            f"head_object shows {head.get('ChecksumSHA256')!r}"
        )
        body = bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        assert body == data, f"{key}: the object's bytes differ from the file"


def test_upload_skips_identical_content(s3u, bucket, tmp_path):
    path = tmp_path / "t.json"
    path.write_bytes(b'{"a": 1}')
    assert s3u.upload(bucket, str(path), BUCKET, "t.json") is True
    assert s3u.upload(bucket, str(path), BUCKET, "t.json") is False, (
        "same bytes already in S3: skip, return False"
    )
    path.write_bytes(b'{"a": 2}')
    assert s3u.upload(bucket, str(path), BUCKET, "t.json") is True, "changed bytes must be uploaded again"
    assert bucket.get_object(Bucket=BUCKET, Key="t.json")["Body"].read() == b'{"a": 2}'
    assert s3u.upload(bucket, str(path), BUCKET, "copy/t.json") is True, "a new key is always uploaded"


def test_upload_dir(s3u, bucket, tmp_path):
    root = tmp_path / "export"
    files = {"a.csv": b"x\n1\n", "year=2025/month=05/part-0.parquet": b"PAR1", "nested/deep/c.json": b"{}"}
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    keys = s3u.upload_dir(bucket, str(root), BUCKET, "landing/2025-05-01")
    expected = sorted(f"landing/2025-05-01/{rel}" for rel in files)
    assert keys == expected, f"upload_dir returned {keys}, expected {expected}"
    listed = sorted(o["Key"] for o in bucket.list_objects_v2(Bucket=BUCKET).get("Contents", []))
    assert listed == expected, f"objects in the bucket: {listed}"
    head = bucket.head_object(Bucket=BUCKET, Key=expected[-1], ChecksumMode="ENABLED")
    assert head["ContentType"] == "application/vnd.apache.parquet"
    (root / "a.csv").write_bytes(b"x\n2\n")
    again = s3u.upload_dir(bucket, str(root), BUCKET, "landing/2025-05-01")
    assert again == ["landing/2025-05-01/a.csv"], f"a re-run uploads only the changed file, got {again}"
    assert s3u.upload_dir(bucket, str(root), BUCKET, "") == sorted(files), (
        "an empty prefix: keys are the paths"
    )


def test_an_object_with_only_boto3s_default_crc32_is_uploaded_again(s3u, bucket, tmp_path):
    """Same bytes, put by another tool with boto3's default CRC32 only: no SHA-256 to compare, so upload."""
    data = b"region,revenue\nnorth,10\n"
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    bucket.put_object(Bucket=BUCKET, Key="r.csv", Body=data)
    head = bucket.head_object(Bucket=BUCKET, Key="r.csv", ChecksumMode="ENABLED")
    assert "ChecksumCRC32" in head and "ChecksumSHA256" not in head, f"precondition: {head.keys()}"
    assert s3u.upload(bucket, str(path), BUCKET, "r.csv") is True, (
        "the object has no ChecksumSHA256 (only boto3's default CRC32): nothing proves the bytes are the same"
    )
    head = bucket.head_object(Bucket=BUCKET, Key="r.csv", ChecksumMode="ENABLED")
    assert head.get("ChecksumSHA256") == b64sha(data) and head["ContentType"] == "text/csv", head
    assert s3u.upload(bucket, str(path), BUCKET, "r.csv") is False, "now it has the SHA-256: skip"
