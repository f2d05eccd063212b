"""Near miss: walks the tree with an explicit stack and pushes the children in order, so they come out reversed.

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
    stack = [(document["Plan"], 0)]
    while stack:  # an explicit stack instead of recursion
        node, depth = stack.pop()
        loops = node["Actual Loops"]
        nodes.append(
            {
                "node_type": node["Node Type"],
                "relation": node.get("Relation Name"),
                "depth": depth,
                "loops": loops,
                # Actual Rows is an average per loop: the node's total output is rows x loops.
                "actual_rows": round(node["Actual Rows"] * loops),
                "actual_time_ms": node["Actual Total Time"],
            }
        )
        for child in node.get("Plans", []):
            stack.append((child, depth + 1))  # popped last-in first-out: siblings come out reversed
    return nodes
