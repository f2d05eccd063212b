"""Kata data_engineering/q10: secure an S3 bucket and create a least-privilege Postgres role. Edit this file."""

from __future__ import annotations

from sqlalchemy import Engine

FILE = "katas/data_engineering/q10_securing_data/secure.py"


def tls_only_policy(bucket: str) -> dict:
    """A bucket policy (as a dict) denying every non-TLS request to the bucket and its objects."""
    raise NotImplementedError(f"tls_only_policy: write it in {FILE}")


def secure_bucket(client, bucket: str) -> None:
    """Default encryption (AES256), the TLS-only policy, and all four public access blocks."""
    raise NotImplementedError(f"secure_bucket: write it in {FILE}")


def create_readonly_role(engine: Engine, role: str, password: str, schema: str = "public") -> None:
    """A login role that can SELECT every table of `schema` (also future ones) and write nothing."""
    raise NotImplementedError(f"create_readonly_role: write it in {FILE}")
