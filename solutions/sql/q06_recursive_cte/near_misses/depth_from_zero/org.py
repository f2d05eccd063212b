"""Near miss: counts direct reports as depth 0.

q06 · Recursive CTE: every report of a manager, with depth, cycles included (reference solution)."""

import psycopg

QUERY = """
    WITH RECURSIVE reports (id, depth, path) AS (
        -- anchor: the direct reports (someone recorded as their own manager is a cycle, not a report)
        SELECT id, 0, ARRAY[%(manager)s, id]
        FROM employees
        WHERE manager_id = %(manager)s AND id <> %(manager)s
      UNION ALL
        -- recursive step: the reports of the rows found so far, never revisiting someone on the path
        SELECT e.id, r.depth + 1, r.path || e.id
        FROM employees AS e
        JOIN reports AS r ON e.manager_id = r.id
        WHERE e.id <> ALL (r.path)
    )
    SELECT id, MIN(depth) AS depth
    FROM reports
    GROUP BY id
    ORDER BY depth, id
"""


def all_reports(conn: psycopg.Connection, manager_id: int) -> list[tuple[int, int]]:
    """(employee id, depth) of everyone under `manager_id`, directly (depth 1) or not; sorted by depth, id."""
    # The path starts with the manager, so a cycle leading back to them stops there too.
    return conn.execute(QUERY, {"manager": manager_id}).fetchall()
