"""Near miss: uploads without ChecksumAlgorithm: S3 stores boto3's default CRC32, no SHA-256 to compare with.

Reference solution for data_engineering/e04: S3 uploads with a content type, metadata and a checksum."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from botocore.exceptions import ClientError

CONTENT_TYPES = {
    ".csv": "text/csv",
    ".json": "application/json",
    ".parquet": "application/vnd.apache.parquet",
    ".gz": "application/gzip",
}


def content_type_for(filename: str) -> str:
    """The Content-Type to store with a file (S3 would otherwise say binary/octet-stream)."""
    return CONTENT_TYPES.get(Path(filename).suffix.lower(), "application/octet-stream")


def sha256_b64(path: str) -> str:
    """Base64 of the file's SHA-256 digest: the form S3 uses in ChecksumSHA256 (not hex)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):  # 1 MiB at a time: any file size
            digest.update(block)
    return base64.b64encode(digest.digest()).decode("ascii")


def _remote_checksum(client, bucket: str, key: str) -> str | None:
    try:
        head = client.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return head.get("ChecksumSHA256")


def upload(client, path: str, bucket: str, key: str, metadata: dict[str, str] | None = None) -> bool:
    """Upload unless S3 already holds exactly these bytes; True if uploaded, False if skipped."""
    local = sha256_b64(path)
    if _remote_checksum(client, bucket, key) == local:
        return False  # same content already there: an idempotent, cheap re-run
    client.upload_file(
        path,
        bucket,
        key,
        ExtraArgs={
            "ContentType": content_type_for(path),
            "Metadata": dict(metadata or {}),
            # The SDK computes SHA-256 while sending; S3 recomputes it, rejects a corrupted upload, and stores it.
        },
    )
    return True


def upload_dir(client, folder: str, bucket: str, prefix: str) -> list[str]:
    """Upload every file under `folder` to `<prefix>/<relative path>`; the sorted keys actually uploaded."""
    root = Path(folder)
    uploaded = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()  # S3 keys use '/', whatever the OS
        key = f"{prefix}/{relative}" if prefix else relative
        if upload(client, str(path), bucket, key):
            uploaded.append(key)
    return sorted(uploaded)
