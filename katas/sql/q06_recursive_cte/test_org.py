"""Hidden-test style checks for sql/q06: a recursive CTE over an org chart with cycles."""

import random
from collections import deque

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.checks import assert_typed_equal
from graders.kit.strategies import kata_settings


@pytest.fixture
def postgres_statement_timeout():
    return "3s"  # a recursion that walks a cycle for ever is cut quickly


@pytest.fixture
def org(kata):
    return kata.module("org")


def _seed(admin, rows):
    admin.execute("DROP TABLE IF EXISTS employees")
    admin.execute("CREATE TABLE employees (id int PRIMARY KEY, name text NOT NULL, manager_id int)")
    with admin.cursor() as cur:
        cur.executemany("INSERT INTO employees VALUES (%s, %s, %s)", [(i, f"emp {i}", m) for i, m in rows])


def reference(rows, manager):
    children = {}
    for emp, boss in rows:
        children.setdefault(boss, []).append(emp)
    depth = {manager: 0}
    queue = deque([manager])
    while queue:
        current = queue.popleft()
        for child in children.get(current, []):
            if child not in depth:
                depth[child] = depth[current] + 1
                queue.append(child)
    return sorted(((e, d) for e, d in depth.items() if e != manager), key=lambda p: (p[1], p[0]))


README_ROWS = [(1, None), (2, 1), (3, 1), (4, 3), (7, 9), (8, 7), (9, 8), (10, 9)]


def test_readme_example(org, admin):
    _seed(admin, README_ROWS)
    assert_typed_equal(org.all_reports(admin, 1), [(2, 1), (3, 1), (4, 2)], "all_reports(conn, 1)")
    assert_typed_equal(org.all_reports(admin, 4), [], "all_reports(conn, 4)")


def test_cycles_end_and_exclude_the_manager(org, admin):
    _seed(admin, README_ROWS)
    assert_typed_equal(org.all_reports(admin, 8), [(9, 1), (7, 2), (10, 2)], "all_reports(conn, 8)")
    assert_typed_equal(org.all_reports(admin, 9), [(7, 1), (10, 1), (8, 2)], "all_reports(conn, 9)")


def test_seeded_org_chart(org, admin):
    rng = random.Random(506)
    rows = [(1, None)]
    for emp in range(2, 401):
        rows.append((emp, rng.randint(max(1, emp - 40), emp - 1)))
    # a cyclic group hanging off the main tree, and a separate loop of five
    rows += [(500, 501), (501, 502), (502, 500), (503, 501), (504, 503)]
    rows[10] = (rows[10][0], 502)
    rows += [(600 + i, 600 + (i + 1) % 5) for i in range(5)]
    _seed(admin, rows)
    for manager in [1, 2, 17, 150, 400, 500, 503, 602, 9999]:
        assert_typed_equal(
            org.all_reports(admin, manager), reference(rows, manager), f"all_reports(conn, {manager})"
        )


@st.composite
def org_charts(draw):
    """Up to 9 employees with ids from a small range; each manager_id is NULL, an employee (the employee
    itself included: a one-person cycle), or an id nobody has."""
    ids = draw(st.lists(st.integers(1, 12), min_size=1, max_size=9, unique=True))
    bosses = st.one_of(st.none(), st.sampled_from(ids), st.integers(1, 14))
    return [(emp, draw(bosses)) for emp in ids]


@kata_settings(max_examples=40)
@given(rows=org_charts())
def test_arbitrary_org_charts(org, admin, rows):
    """Cycles of every length (one person managing themselves too), several roots, unknown managers."""
    _seed(admin, rows)
    for manager in sorted({emp for emp, _ in rows} | {boss for _, boss in rows if boss is not None} | {99}):
        assert_typed_equal(
            org.all_reports(admin, manager),
            reference(rows, manager),
            f"all_reports(conn, {manager}), rows {rows}",
        )
