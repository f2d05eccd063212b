"""Kata data_engineering/e04: S3 uploads with a content type, metadata and a checksum. Edit this file."""

from __future__ import annotations

FILE = "katas/data_engineering/e04_s3_upload/s3_upload.py"


def content_type_for(filename: str) -> str:
    """The Content-Type for a file name (see the table in README.md)."""
    raise NotImplementedError(f"content_type_for: write it in {FILE}")


def sha256_b64(path: str) -> str:
    """Base64 of the file's SHA-256 digest, the form S3 stores in ChecksumSHA256."""
    raise NotImplementedError(f"sha256_b64: write it in {FILE}")


def upload(client, path: str, bucket: str, key: str, metadata: dict[str, str] | None = None) -> bool:
    """Upload with content type, metadata and a SHA-256 checksum; skip (False) if S3 has the same bytes."""
    raise NotImplementedError(f"upload: write it in {FILE}")


def upload_dir(client, folder: str, bucket: str, prefix: str) -> list[str]:
    """Upload every file under `folder` to `<prefix>/<relative path>`; return the sorted keys uploaded."""
    raise NotImplementedError(f"upload_dir: write it in {FILE}")
