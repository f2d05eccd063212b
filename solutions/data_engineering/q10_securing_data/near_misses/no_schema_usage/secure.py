"""Near miss: grants SELECT on the tables but not USAGE on the schema; it works for `public` (usable by
every role) and fails with permission denied for any other schema."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import Engine, text

# --- the lake: S3 --------------------------------------------------------------------------------------------


def tls_only_policy(bucket: str) -> dict:
    """A bucket policy that denies every request not made over TLS, to the bucket and to its objects."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",  # an explicit Deny wins over any Allow, from any principal
                "Principal": "*",
                "Action": "s3:*",
                # Both ARNs: the bucket (ListBucket...) and every object in it (GetObject, PutObject...).
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }


def secure_bucket(client, bucket: str) -> None:
    """Default encryption at rest, a TLS-only policy, and every public access blocked."""
    client.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    client.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,  # refuse new public ACLs
            "IgnorePublicAcls": True,  # and ignore existing ones
            "BlockPublicPolicy": True,  # refuse bucket policies that grant public access
            "RestrictPublicBuckets": True,  # and cut off public access granted by an existing one
        },
    )
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(tls_only_policy(bucket)))


# --- the warehouse: PostgreSQL -------------------------------------------------------------------------------


def _quote(engine: Engine):
    return engine.dialect.identifier_preparer.quote  # identifiers are quoted, never pasted raw


def create_readonly_role(engine: Engine, role: str, password: str, schema: str = "public") -> None:
    """A login role that can read every table of `schema`, now and later, and change nothing."""
    ident = _quote(engine)
    with engine.begin() as conn:
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        # A password is a literal; psycopg cannot bind parameters in utility statements, so escape it.
        literal = "'" + password.replace("'", "''") + "'"
        conn.execute(text(f"CREATE ROLE {ident(role)} LOGIN PASSWORD {literal}"))
        conn.execute(text(f"GRANT CONNECT ON DATABASE {ident(database)} TO {ident(role)}"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA {ident(schema)} TO {ident(role)}"))
        # Tables created later by this (owner) role are readable too, without another GRANT.
        conn.execute(
            text(
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA {ident(schema)} GRANT SELECT ON TABLES TO {ident(role)}"
            )
        )


def tls_connection_url(url: str, root_cert: str) -> str:
    """`url` with sslmode=verify-full and sslrootcert=root_cert: TLS or no connection, to the right server."""
    parts = urlsplit(url)
    # Keep every other parameter (connect_timeout, application_name...); replace any sslmode already there.
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in ("sslmode", "sslrootcert")
    ]
    query += [("sslmode", "verify-full"), ("sslrootcert", root_cert)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def server_tls_config(cert_file: str, key_file: str, network: str) -> dict[str, str]:
    """postgresql.conf and pg_hba.conf lines: TLS only, SCRAM passwords, connections logged."""
    conf = "\n".join(
        [
            "ssl = on",
            f"ssl_cert_file = '{cert_file}'",
            f"ssl_key_file = '{key_file}'",
            "ssl_min_protocol_version = 'TLSv1.2'",  # no SSLv3, TLS 1.0 or 1.1
            "password_encryption = 'scram-sha-256'",  # never md5
            # The audit trail of access: who connected, from where, to which database, and when they left.
            "log_connections = on",
            "log_disconnections = on",
            "log_line_prefix = '%m [%p] user=%u db=%d host=%h '",
            "",
        ]
    )
    hba = "\n".join(
        [
            "# TYPE     DATABASE  USER  ADDRESS      METHOD",
            f"hostssl    all       all   {network}    scram-sha-256",  # TLS and a password, from the network
            "hostnossl  all       all   0.0.0.0/0    reject",  # plaintext TCP is refused outright
            "hostnossl  all       all   ::/0         reject",
            "",
        ]
    )
    return {"postgresql.conf": conf, "pg_hba.conf": hba}


def enable_access_audit(engine: Engine, role: str) -> None:
    """Every statement `role` runs is written to the server log (its sessions only)."""
    with engine.begin() as conn:
        # A per-role setting: applied to each new session of that role, not to anyone else's.
        conn.execute(text(f"ALTER ROLE {_quote(engine)(role)} SET log_statement = 'all'"))


def rotate_column_key(engine: Engine, table: str, column: str, old_keys: list[bytes], new_key: bytes) -> int:
    """Re-encrypt every token of `column` under `new_key`, in one transaction; the number of values rotated."""
    ident = _quote(engine)
    # MultiFernet decrypts with whichever key fits (older generations too) and encrypts with the first one.
    keys = MultiFernet([Fernet(new_key), *(Fernet(k) for k in old_keys)])
    rotated = 0
    with engine.begin() as conn:  # all rows or none: a token no key opens aborts the whole rotation
        rows = conn.execute(
            text(
                f"SELECT id, {ident(column)} FROM {ident(table)} WHERE {ident(column)} IS NOT NULL FOR UPDATE"
            )
        ).all()
        for row_id, token in rows:
            conn.execute(
                text(f"UPDATE {ident(table)} SET {ident(column)} = :token WHERE id = :id"),
                {"token": keys.rotate(bytes(token)), "id": row_id},
            )
            rotated += 1
    return rotated
