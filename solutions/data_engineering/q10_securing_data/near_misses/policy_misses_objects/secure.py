"""Near miss: denies non-TLS requests on the bucket ARN only: object reads and writes are not covered.

Reference solution for data_engineering/q10: secure an S3 bucket and create a least-privilege Postgres role."""

from __future__ import annotations

import json

from sqlalchemy import Engine, text


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
                "Resource": f"arn:aws:s3:::{bucket}",
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


def create_readonly_role(engine: Engine, role: str, password: str, schema: str = "public") -> None:
    """A login role that can read every table of `schema`, now and later, and change nothing."""
    ident = (
        engine.dialect.identifier_preparer.quote
    )  # role and schema are identifiers: quote, never format raw
    with engine.begin() as conn:
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        # A password is a literal; psycopg cannot bind parameters in utility statements, so escape it.
        literal = "'" + password.replace("'", "''") + "'"
        conn.execute(text(f"CREATE ROLE {ident(role)} LOGIN PASSWORD {literal}"))
        conn.execute(text(f"GRANT CONNECT ON DATABASE {ident(database)} TO {ident(role)}"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA {ident(schema)} TO {ident(role)}"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA {ident(schema)} TO {ident(role)}"))
        # Tables created later by this (owner) role are readable too, without another GRANT.
        conn.execute(
            text(
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA {ident(schema)} GRANT SELECT ON TABLES TO {ident(role)}"
            )
        )
