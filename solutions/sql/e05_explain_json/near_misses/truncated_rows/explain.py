"""Near miss: truncates Actual Rows x Actual Loops with int() instead of rounding it (3.33 x 3 gives 9).

e05 · EXPLAIN (ANALYZE, FORMAT JSON): run it and read the plan (reference solution)."""

import psycopg


def explain_analyze(conn: psycopg.Connection, query: str, params: tuple | None = None) -> dict:
    """Run EXPLAIN (ANALYZE, FORMAT JSON) on `query` without keeping its effects; return the plan document."""
    try:
        # ANALYZE executes the statement: whatever it changes is undone by the rollback below.
        row = conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query, params).fetchone()
    finally:
        conn.rollback()
    # psycopg parses the json column: a list holding one document.
    return row[0][0]


def plan_nodes(document: dict) -> list[dict]:
    """Every node of the plan, depth first (parents before children), as flat dicts (see README.md)."""
    nodes: list[dict] = []

    def visit(node: dict, depth: int) -> None:
        loops = node["Actual Loops"]
        nodes.append(
            {
                "node_type": node["Node Type"],
                "relation": node.get("Relation Name"),
                "depth": depth,
                "loops": loops,
                # Actual Rows is an average per loop: the node's total output is rows x loops.
                "actual_rows": int(node["Actual Rows"] * loops),
                "actual_time_ms": node["Actual Total Time"],
            }
        )
        for child in node.get("Plans", []):
            visit(child, depth + 1)

    visit(document["Plan"], 0)
    return nodes
