"""e05 · EXPLAIN (ANALYZE, FORMAT JSON): run it and read the plan: see README.md."""

import psycopg

FILE = "katas/sql/e05_explain_json/explain.py"


def explain_analyze(conn: psycopg.Connection, query: str, params: tuple | None = None) -> dict:
    """Run EXPLAIN (ANALYZE, FORMAT JSON) on `query` without keeping its effects; return the plan document."""
    raise NotImplementedError(f"explain_analyze: write it in {FILE}")


def plan_nodes(document: dict) -> list[dict]:
    """Every node of the plan, depth first (parents before children), as flat dicts (see README.md)."""
    raise NotImplementedError(f"plan_nodes: write it in {FILE}")
