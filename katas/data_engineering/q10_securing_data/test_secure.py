"""Hidden-test style checks for data_engineering/q10: S3 settings read back from moto; a role that reads, not writes."""

from __future__ import annotations

import json
import uuid

import pytest

BUCKET = "katas-secure-data"


@pytest.fixture
def sec(kata):
    return kata.module("secure")


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def tls_statement(policy: dict, bucket: str) -> dict | None:
    for statement in as_list(policy.get("Statement", [])):
        condition = statement.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport")
        principal = statement.get("Principal")
        if (
            statement.get("Effect") == "Deny"
            and principal in ("*", {"AWS": "*"})
            and "s3:*" in as_list(statement.get("Action"))
            and str(condition).lower() == "false"
        ):
            return statement
    return None


def test_tls_only_policy_covers_bucket_and_objects(sec):
    for bucket in ("raw-zone", "katas-curated-2025"):
        policy = sec.tls_only_policy(bucket)
        assert isinstance(policy, dict) and policy.get("Version") == "2012-10-17", f"policy: {policy!r:.200}"
        statement = tls_statement(policy, bucket)
        assert statement is not None, (
            "no statement denies (Effect Deny, Principal '*', Action 's3:*') requests whose "
            f"aws:SecureTransport is false: {policy}"
        )
        resources = set(as_list(statement["Resource"]))
        assert {f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"} <= resources, (
            f"the deny must cover the bucket and its objects (bucket/*): {sorted(resources)}"
        )


def test_secure_bucket_settings_in_s3(sec, s3_client):
    s3_client.create_bucket(Bucket=BUCKET)
    s3_client.create_bucket(Bucket="katas-other")
    sec.secure_bucket(s3_client, BUCKET)
    rules = s3_client.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    algorithms = [r["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] for r in rules]
    assert algorithms == ["AES256"], f"default encryption should be SSE-S3 (AES256), found {algorithms}"
    block = s3_client.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    expected = {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    assert block == expected, f"all four public access blocks must be on: {block}"
    policy = json.loads(s3_client.get_bucket_policy(Bucket=BUCKET)["Policy"])
    statement = tls_statement(policy, BUCKET)
    assert statement is not None, f"the bucket's policy does not deny non-TLS requests: {policy}"
    assert f"arn:aws:s3:::{BUCKET}/*" in as_list(statement["Resource"]), "the policy must cover the objects"
    with pytest.raises(Exception):  # noqa: B017 - only the bucket asked for is changed
        s3_client.get_bucket_policy(Bucket="katas-other")


@pytest.fixture
def engines(postgres_sqlalchemy_url, sec):
    """(admin engine, read-only role engine) on the test's database; the role is dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(postgres_sqlalchemy_url)
    with admin.begin() as conn:
        conn.execute(text("CREATE TABLE sales (id int PRIMARY KEY, amount numeric(10,2))"))
        conn.execute(text("INSERT INTO sales VALUES (1, 10.50), (2, 99.00), (3, 0.25)"))
    role = f"ro_{uuid.uuid4().hex[:10]}"
    password = "s3cret'pw"  # a quote inside: it must be escaped, not pasted into the SQL
    reader = None
    try:
        sec.create_readonly_role(admin, role, password)
        reader = create_engine(make_url(postgres_sqlalchemy_url).set(username=role, password=password))
        yield admin, reader, role
    finally:
        if reader is not None:
            reader.dispose()
        with admin.begin() as conn:
            exists = conn.execute(
                text("SELECT count(*) FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).scalar_one()
            if exists:
                conn.execute(text(f'DROP OWNED BY "{role}"'))
                conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()


def test_role_can_read_existing_and_future_tables(engines):
    from sqlalchemy import text

    admin, reader, role = engines
    with reader.connect() as conn:
        assert conn.execute(text("SELECT current_user")).scalar_one() == role
        total = conn.execute(text("SELECT sum(amount) FROM sales")).scalar_one()
    assert float(total) == 109.75, f"the role should read sales: sum {total}"
    with admin.begin() as conn:
        conn.execute(text("CREATE TABLE sales_2026 (id int)"))
        conn.execute(text("INSERT INTO sales_2026 VALUES (7)"))
    with reader.connect() as conn:
        assert conn.execute(text("SELECT id FROM sales_2026")).scalar_one() == 7, (
            "future tables must be readable"
        )


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO sales VALUES (9, 1.00)",
        "UPDATE sales SET amount = 0",
        "DELETE FROM sales",
        "TRUNCATE sales",
        "CREATE TABLE hack (x int)",
        "DROP TABLE sales",
        "ALTER TABLE sales ADD COLUMN x int",
    ],
)
def test_role_cannot_write(engines, statement):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    admin, reader, _ = engines
    with pytest.raises(DBAPIError) as info, reader.begin() as conn:
        conn.execute(text(statement))
    sqlstate = getattr(info.value.orig, "sqlstate", None)
    assert sqlstate in ("42501",), (
        f"{statement!r} should fail with permission denied (42501), got {sqlstate}: {info.value}"
    )
    with admin.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sales")).scalar_one() == 3
