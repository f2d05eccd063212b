"""Fixtures shared by the SQL katas (the server and the fresh database per test come from
graders/kit/fixtures/postgres.py: `postgres_url`, `postgres_sqlalchemy_url`, `postgres_template`)."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(postgres_url):
    """A psycopg connection (autocommit) to the test's own fresh database, for seeding and checking."""
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        yield conn
