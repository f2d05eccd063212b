"""q06 · Recursive CTE: every report of a manager, with depth, cycles included: see README.md."""

import psycopg

FILE = "katas/sql/q06_recursive_cte/org.py"


def all_reports(conn: psycopg.Connection, manager_id: int) -> list[tuple[int, int]]:
    """(employee id, depth) of everyone under `manager_id`, directly (depth 1) or not; sorted by depth, id."""
    raise NotImplementedError(f"all_reports: write it in {FILE}")
