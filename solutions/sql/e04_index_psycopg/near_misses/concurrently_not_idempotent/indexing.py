"""Near miss: CREATE INDEX CONCURRENTLY without IF NOT EXISTS: the second call fails.

e04 · Idempotent index creation with psycopg (and CONCURRENTLY) (reference solution)."""

import psycopg
from psycopg import sql

# sql.Identifier quotes names ("order" is a keyword); IF NOT EXISTS makes a second run a no-op.
CREATE = sql.SQL("CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})")
CREATE_CONCURRENTLY = sql.SQL("CREATE INDEX CONCURRENTLY {name} ON {table} ({column})")


def _statement(template: sql.SQL, table: str, column: str) -> tuple[str, sql.Composed]:
    name = f"idx_{table}_{column}"
    return name, template.format(
        name=sql.Identifier(name), table=sql.Identifier(table), column=sql.Identifier(column)
    )


def ensure_index(conn: psycopg.Connection, table: str, column: str) -> str:
    """Create the index idx_<table>_<column> if it does not exist yet, commit, and return its name."""
    name, statement = _statement(CREATE, table, column)
    conn.execute(statement)
    conn.commit()  # psycopg opened a transaction: without this the index vanishes with the connection
    return name


def ensure_index_concurrently(url: str, table: str, column: str) -> str:
    """The same with CREATE INDEX CONCURRENTLY, on a connection of its own to `url`; returns the name."""
    name, statement = _statement(CREATE_CONCURRENTLY, table, column)
    # CONCURRENTLY cannot run inside a transaction block: autocommit sends it on its own.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)
    return name
