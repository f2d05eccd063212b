"""Kata data_engineering/q10: secure an S3 bucket and a PostgreSQL warehouse. Edit this file."""

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


def tls_connection_url(url: str, root_cert: str) -> str:
    """`url` with the client settings that make TLS mandatory and verify the server (see README.md)."""
    raise NotImplementedError(f"tls_connection_url: write it in {FILE}")


def server_tls_config(cert_file: str, key_file: str, network: str) -> dict[str, str]:
    """{'postgresql.conf': ..., 'pg_hba.conf': ...}: TLS only, SCRAM passwords, connections logged."""
    raise NotImplementedError(f"server_tls_config: write it in {FILE}")


def enable_access_audit(engine: Engine, role: str) -> None:
    """Make the server log every statement that `role` runs (its sessions only)."""
    raise NotImplementedError(f"enable_access_audit: write it in {FILE}")


def rotate_column_key(engine: Engine, table: str, column: str, old_keys: list[bytes], new_key: bytes) -> int:
    """Re-encrypt every Fernet token of `column` under `new_key` in one transaction; the number rotated."""
    raise NotImplementedError(f"rotate_column_key: write it in {FILE}")
