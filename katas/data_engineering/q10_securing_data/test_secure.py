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


def test_role_reads_a_schema_other_than_public(postgres_sqlalchemy_url, sec):
    """Only `public` is usable by every role by default: another schema needs its own USAGE grant."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(postgres_sqlalchemy_url)
    role = f"ro_{uuid.uuid4().hex[:10]}"
    reader = None
    try:
        with admin.begin() as conn:
            conn.execute(text('CREATE SCHEMA "Mart"'))
            conn.execute(text('CREATE TABLE "Mart".kpis (id int PRIMARY KEY, value int)'))
            conn.execute(text('INSERT INTO "Mart".kpis VALUES (1, 7), (2, 35)'))
        sec.create_readonly_role(admin, role, "pw", schema="Mart")
        reader = create_engine(make_url(postgres_sqlalchemy_url).set(username=role, password="pw"))
        with reader.connect() as conn:
            try:
                total = conn.execute(text('SELECT sum(value) FROM "Mart".kpis')).scalar_one()
            except Exception as exc:  # noqa: BLE001 - say which rule failed
                pytest.fail(
                    f'the role cannot read "Mart".kpis ({str(exc).splitlines()[0]}): grant what the schema needs'
                )
        assert total == 42, f'the role should read "Mart".kpis: sum {total}'
    finally:
        if reader is not None:
            reader.dispose()
        with admin.begin() as conn:
            if conn.execute(
                text("SELECT count(*) FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).scalar_one():
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


# --- TLS to the warehouse ------------------------------------------------------------------------------------

CLIENT_URLS = [
    "postgresql://analyst:pa%40ss@db.internal.example:6432/analytics",
    "postgresql://etl@10.1.2.3/warehouse?connect_timeout=10&application_name=nightly",
    "postgresql+psycopg://loader:x@warehouse.example.com:5432/dw?sslmode=disable",
    "postgresql://u:p@db.example.org/sales?sslmode=prefer&sslrootcert=%2Fold%2Fca.crt&target_session_attrs=read-write",
]


@pytest.mark.parametrize("url", CLIENT_URLS)
def test_tls_connection_url_verifies_the_server(sec, url):
    from sqlalchemy.engine import make_url

    root = "/etc/katas/tls/root-2025.crt"
    got = sec.tls_connection_url(url, root)
    assert isinstance(got, str), f"tls_connection_url should return a str, got {type(got).__name__}"
    before, after = make_url(url), make_url(got)
    for part in ("drivername", "username", "password", "host", "port", "database"):
        assert getattr(after, part) == getattr(before, part), (
            f"tls_connection_url({url!r}) changed the {part}: {getattr(after, part)!r} (returned {got!r})"
        )
    assert after.query.get("sslmode") == "verify-full", (
        f"sslmode should be verify-full (TLS, a certificate signed by the root CA, for this host name), "
        f"got {after.query.get('sslmode')!r} in {got!r}"
    )
    assert after.query.get("sslrootcert") == root, f"sslrootcert should be {root!r}: {got!r}"
    kept = {k: v for k, v in before.query.items() if k not in ("sslmode", "sslrootcert")}
    assert {k: after.query.get(k) for k in kept} == kept, f"the other parameters must be kept: {got!r}"
    if url.startswith("postgresql://"):
        import psycopg

        libpq = psycopg.conninfo.conninfo_to_dict(got)
        assert libpq.get("sslmode") == "verify-full" and libpq.get("sslrootcert") == root, (
            f"libpq reads the URL as {libpq}"
        )


def test_tls_connection_url_refuses_a_server_without_tls(sec, postgres_url, tmp_path):
    """The test server speaks no TLS (its build has no OpenSSL): a client that requires TLS must not connect."""
    import psycopg

    with psycopg.connect(postgres_url, connect_timeout=10) as conn:  # the plain URL works
        assert conn.execute("SELECT 1").fetchone() == (1,)
    root = tmp_path / "root.crt"
    root.write_text("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
    url = sec.tls_connection_url(postgres_url, str(root))
    try:
        conn = psycopg.connect(url, connect_timeout=10)
    except psycopg.OperationalError as exc:
        assert "SSL" in str(exc), f"the connection should fail for want of TLS, it failed with: {exc}"
    else:
        in_use = conn.pgconn.ssl_in_use
        conn.close()
        pytest.fail(
            f"{url!r} connected to a server without TLS (ssl in use: {in_use}): the settings must make TLS "
            "mandatory, never fall back to plaintext"
        )


# --- generated server configuration ----------------------------------------------------------------------------


def parse_conf(text_: str) -> dict[str, str]:
    """postgresql.conf: `name = value` or `name value`, '#' comments, single-quoted values; last one wins."""
    import re

    settings = {}
    for raw in text_.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"^([A-Za-z_][A-Za-z0-9_.]*)\s*(?:=\s*|\s+)(.*)$", line)
        assert match, f"postgresql.conf: cannot read the line {raw!r}"
        name, value = match.group(1).lower(), match.group(2)
        quoted = re.match(r"^'((?:[^']|'')*)'", value)
        settings[name] = quoted.group(1).replace("''", "'") if quoted else value.split("#")[0].strip()
    return settings


def truthy(value: str | None) -> bool:
    return str(value).strip().lower() in ("on", "true", "yes", "1", "all")


HBA_METHODS = {
    "trust", "reject", "scram-sha-256", "md5", "password", "gss", "sspi", "ident", "peer", "ldap", "radius",
    "cert", "pam", "bsd", "oauth",
}  # fmt: skip


def parse_hba(text_: str) -> list[tuple[str, list[str], list[str], str, str]]:
    import shlex

    rules = []
    for raw in text_.splitlines():
        fields = shlex.split(raw, comments=True)
        if not fields:
            continue
        kind = fields[0]
        if kind == "local":
            continue  # Unix-socket lines do not concern TCP clients
        assert kind in ("host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc") and len(fields) >= 5, (
            f"pg_hba.conf: cannot read the line {raw!r} (TYPE DATABASE USER ADDRESS METHOD)"
        )
        method = fields[4]
        assert method in HBA_METHODS, f"pg_hba.conf: unknown method {method!r} in {raw!r}"
        rules.append((kind, fields[1].split(","), fields[2].split(","), fields[3], method))
    return rules


def hba_decision(rules, *, ssl: bool, address: str, database: str, user: str) -> str:
    """The method of the first line that matches a TCP connection (PostgreSQL's rule), 'reject' if none does."""
    import ipaddress

    client = ipaddress.ip_address(address)
    for kind, databases, users, where, method in rules:
        if kind == "hostssl" and not ssl or kind == "hostnossl" and ssl or kind == "hostgssenc":
            continue
        if not ({"all", database} & set(databases)) or not ({"all", user} & set(users)):
            continue
        if where != "all":
            try:
                network = ipaddress.ip_network(where, strict=False)
            except ValueError:
                continue
            if client.version != network.version or client not in network:
                continue
        return method
    return "reject"


@pytest.mark.parametrize(
    ("network", "inside", "outside"),
    [("10.20.0.0/16", "10.20.7.9", "10.21.0.1"), ("192.168.40.0/24", "192.168.40.200", "192.168.41.1")],
)
def test_server_tls_config(sec, network, inside, outside):
    cert, key = "/etc/postgresql/tls/server-2025.crt", "/etc/postgresql/tls/server-2025.key"
    config = sec.server_tls_config(cert, key, network)
    assert isinstance(config, dict) and {"postgresql.conf", "pg_hba.conf"} <= set(config), (
        f"server_tls_config returns a dict with 'postgresql.conf' and 'pg_hba.conf': {config!r:.200}"
    )
    conf = parse_conf(config["postgresql.conf"])
    assert truthy(conf.get("ssl")), f"postgresql.conf: ssl must be on, got {conf.get('ssl')!r}"
    assert conf.get("ssl_cert_file") == cert and conf.get("ssl_key_file") == key, (
        f"postgresql.conf: ssl_cert_file/ssl_key_file should be {cert!r}/{key!r}, got "
        f"{conf.get('ssl_cert_file')!r}/{conf.get('ssl_key_file')!r}"
    )
    assert conf.get("ssl_min_protocol_version") in ("TLSv1.2", "TLSv1.3"), (
        f"postgresql.conf: ssl_min_protocol_version should be TLSv1.2 or TLSv1.3, got "
        f"{conf.get('ssl_min_protocol_version')!r}"
    )
    assert conf.get("password_encryption") == "scram-sha-256", (
        f"postgresql.conf: password_encryption should be scram-sha-256, got {conf.get('password_encryption')!r}"
    )
    assert truthy(conf.get("log_connections")) and truthy(conf.get("log_disconnections")), (
        f"postgresql.conf: log_connections and log_disconnections should be on: "
        f"{conf.get('log_connections')!r}, {conf.get('log_disconnections')!r}"
    )
    prefix = conf.get("log_line_prefix", "")
    missing = [e for e in ("%u", "%d", "%h") if e not in prefix] + (
        [] if "%m" in prefix or "%t" in prefix else ["%m"]
    )
    assert not missing, (
        f"postgresql.conf: log_line_prefix {prefix!r} lacks {missing} (who, which database, from where, when)"
    )

    rules = parse_hba(config["pg_hba.conf"])
    for database, user in (("analytics", "ro_dashboard"), ("postgres", "etl_loader")):
        allowed = hba_decision(rules, ssl=True, address=inside, database=database, user=user)
        assert allowed == "scram-sha-256", (
            f"pg_hba.conf: a TLS connection from {inside} ({user}@{database}) should authenticate with "
            f"scram-sha-256, the first matching line says {allowed!r}"
        )
        for ssl, address in ((False, inside), (False, outside), (True, outside), (False, "2001:db8::7"),
                             (True, "2001:db8::7"), (False, "127.0.0.1")):  # fmt: skip
            decision = hba_decision(rules, ssl=ssl, address=address, database=database, user=user)
            assert decision == "reject", (
                f"pg_hba.conf: a {'TLS' if ssl else 'plaintext'} connection from {address} ({user}@{database}) "
                f"must be rejected, the first matching line says {decision!r}"
            )


# --- audit of access ---------------------------------------------------------------------------------------------


def show(engine, setting: str) -> str:
    from sqlalchemy import text

    with engine.connect() as conn:
        return conn.execute(text(f"SHOW {setting}")).scalar_one()


def test_access_audit_logs_the_role_statements(sec, engines, postgres_sqlalchemy_url):
    from sqlalchemy import create_engine, text

    admin, reader, role = engines
    baseline = show(admin, "log_statement")
    if baseline == "all":
        pytest.skip("this server logs every statement of everyone already: the role's setting cannot be seen")
    sec.enable_access_audit(admin, role)
    reader.dispose()  # new sessions pick up the role's settings
    assert show(reader, "log_statement") == "all", (
        "every session of the audited role should run with log_statement = 'all' (its reads too, not only "
        f"writes), got {show(reader, 'log_statement')!r}"
    )
    other = f"other_{uuid.uuid4().hex[:8]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{other}" LOGIN'))
    try:
        from sqlalchemy.engine import make_url

        bystander = create_engine(make_url(postgres_sqlalchemy_url).set(username=other))
        fresh_admin = create_engine(postgres_sqlalchemy_url)
        try:
            for who, engine in (("another role", bystander), ("the admin", fresh_admin)):
                assert show(engine, "log_statement") == baseline, (
                    f"only the audited role's sessions are logged: {who} now has log_statement = "
                    f"{show(engine, 'log_statement')!r} (was {baseline!r})"
                )
        finally:
            bystander.dispose()
            fresh_admin.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP ROLE "{other}"'))


# --- key rotation -----------------------------------------------------------------------------------------------


def encrypted_table(
    engine, table: str, column: str, keys: list[bytes], n: int, seed: int
) -> dict[int, bytes | None]:
    """A table of Fernet tokens under several key generations, some NULL; returns the plaintexts by id."""
    import random

    from cryptography.fernet import Fernet
    from sqlalchemy import text

    rng = random.Random(seed)
    plain: dict[int, bytes | None] = {}
    with engine.begin() as conn:
        conn.execute(text(f'CREATE TABLE "{table}" (id bigint PRIMARY KEY, "{column}" bytea, note text)'))
        for i in rng.sample(range(1, 10 * n), n):
            value = None if rng.random() < 0.15 else f"user{i}@example.com".encode()
            token = None if value is None else Fernet(rng.choice(keys)).encrypt(value)
            conn.execute(
                text(f'INSERT INTO "{table}" VALUES (:id, :token, :note)'),
                {"id": i, "token": token, "note": f"n{i}"},
            )
            plain[i] = value
    return plain


def read_tokens(engine, table: str, column: str) -> dict[int, bytes | None]:
    from sqlalchemy import text

    with engine.connect() as conn:
        rows = conn.execute(text(f'SELECT id, "{column}" FROM "{table}"')).all()
    return {row_id: None if token is None else bytes(token) for row_id, token in rows}


def rotate(sec, *args):
    from cryptography.fernet import InvalidToken

    try:
        return sec.rotate_column_key(*args)
    except InvalidToken as exc:
        pytest.fail(
            f"rotate_column_key raised InvalidToken: a value it should open with one of the keys it was given "
            f"(an older key generation, or new_key itself on a retried rotation) was not opened: {exc!r}"
        )


@pytest.mark.parametrize(("table", "column"), [("customers", "email"), ("Customer PII", "E-mail")])
def test_rotate_column_key(sec, postgres_engine, table, column):
    from cryptography.fernet import Fernet, InvalidToken

    old1, old2, new = Fernet.generate_key(), Fernet.generate_key(), Fernet.generate_key()
    plain = encrypted_table(postgres_engine, table, column, [old1, old2], 40, seed=len(table))
    count = rotate(sec, postgres_engine, table, column, [old2, old1], new)
    present = sum(v is not None for v in plain.values())
    assert count == present, f"rotate_column_key should return the {present} values re-encrypted, got {count}"
    tokens = read_tokens(postgres_engine, table, column)
    assert set(tokens) == set(plain), "rows must not be added or removed"
    for row_id, value in plain.items():
        token = tokens[row_id]
        if value is None:
            assert token is None, f"id {row_id}: a NULL stays NULL, got {token!r}"
            continue
        assert Fernet(new).decrypt(token) == value, f"id {row_id}: the new key must open the value"
        for old in (old1, old2):
            with pytest.raises(InvalidToken):
                Fernet(old).decrypt(token)  # the old keys can now be destroyed
    # A retried rotation (the job died after committing, and runs again) must work and change nothing readable.
    again = rotate(sec, postgres_engine, table, column, [old2, old1], new)
    assert again == present, f"a retried rotation re-encrypts the same {present} values, returned {again}"
    tokens = read_tokens(postgres_engine, table, column)
    assert all(Fernet(new).decrypt(tokens[i]) == v for i, v in plain.items() if v is not None)


def test_rotate_column_key_is_all_or_nothing(sec, postgres_engine):
    from cryptography.fernet import Fernet
    from sqlalchemy import text

    old, new, stranger = Fernet.generate_key(), Fernet.generate_key(), Fernet.generate_key()
    ids = sorted(encrypted_table(postgres_engine, "accounts", "iban", [old], 30, seed=3))
    # One value under a key nobody passes, with an id in the middle, inserted last: in id order (either way)
    # and in the table's physical order, good rows come before it.
    middle = next(i for i in range(ids[len(ids) // 2], ids[-1]) if i not in ids)
    with postgres_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO accounts VALUES (:id, :t, 'lost')"),
            {"id": middle, "t": Fernet(stranger).encrypt(b"DE00 0000")},
        )
    before = read_tokens(postgres_engine, "accounts", "iban")
    with pytest.raises(Exception) as info:  # noqa: B017 - any error, as long as nothing was changed
        sec.rotate_column_key(postgres_engine, "accounts", "iban", [old], new)
    if isinstance(info.value, NotImplementedError):
        raise info.value
    after = read_tokens(postgres_engine, "accounts", "iban")
    changed = sorted(i for i in before if before[i] != after[i])
    assert not changed, (
        f"a rotation that fails must change nothing (one transaction), but {len(changed)} values were "
        f"re-encrypted, e.g. ids {changed[:5]}"
    )
