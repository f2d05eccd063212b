"""Hidden-test style checks for sql/e05: EXPLAIN (ANALYZE, FORMAT JSON) run safely and flattened.

The expected flat nodes never come from a flattening written here: real plans are read back from their own JSON
text (indentation gives the depth), and synthetic plans are built from the flat list they must flatten to.
"""

import json
import re

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.checks import assert_typed_equal
from graders.kit.strategies import kata_settings

KEYS = ["node_type", "relation", "depth", "loops", "actual_rows", "actual_time_ms"]
QUERIES = {
    "filter": ("SELECT * FROM items WHERE price > %s", (700,)),
    "nested_loop": (
        "SELECT i.id, t.tag FROM items i JOIN tags t ON t.item_id = i.id WHERE i.id < %s",
        (40,),
    ),
    "aggregate": (
        "SELECT category, count(*), avg(price) FROM items GROUP BY category ORDER BY category",
        None,
    ),
    # The outer side finds no row: the inner scan of tags never runs (Actual Loops 0).
    "never_executed": (
        "SELECT i.id, t.tag FROM items i JOIN tags t ON t.tag = i.category WHERE i.id < %s",
        (0,),
    ),
}


@pytest.fixture
def explain(kata):
    return kata.module("explain")


@pytest.fixture
def conn(admin, postgres_url):
    admin.execute(
        "CREATE TABLE items AS SELECT g AS id, (g * 7919) % 1000 AS price, 'c' || (g % 7) AS category "
        "FROM generate_series(1, 5000) AS g"
    )
    admin.execute("ALTER TABLE items ADD PRIMARY KEY (id)")
    admin.execute(
        "CREATE TABLE tags AS SELECT g AS id, g % 5000 + 1 AS item_id, 't' || g AS tag FROM generate_series(1, 15000) AS g"
    )
    admin.execute("CREATE INDEX ON tags (item_id)")
    admin.execute("ANALYZE")
    with psycopg.connect(postgres_url) as conn:
        # Force the join into a nested loop whose inner index scan runs once per outer row.
        conn.execute("SET enable_hashjoin = off")
        conn.execute("SET enable_mergejoin = off")
        conn.execute("SET max_parallel_workers_per_gather = 0")
        conn.commit()
        yield conn


# --- the expected nodes of a real plan, read from its JSON text ------------------------------------------------

FIELD = re.compile(r'^( *)"(Node Type|Relation Name|Actual Loops|Actual Rows|Actual Total Time)": (.*?),?$')


def read_back(document):
    """The plan's nodes in the order its JSON text lists them, each with the fields printed on its own lines.

    `json.dumps(..., indent=1)` puts a node's "Node Type" line 2 + 2 x depth spaces deep; the node's other
    fields follow at the same indentation before the next node starts.
    """
    out = []
    for line in json.dumps(document, indent=1).splitlines():
        match = FIELD.match(line)
        if not match:
            continue
        indent, key, value = len(match[1]), match[2], json.loads(match[3])
        if key == "Node Type":
            out.append({"Node Type": value, "depth": (indent - 2) // 2, "indent": indent})
        elif out and indent == out[-1]["indent"]:
            out[-1][key] = value
    return out


def expected_from_text(document):
    return [
        {
            "node_type": node["Node Type"],
            "relation": node.get("Relation Name"),
            "depth": node["depth"],
            "loops": node["Actual Loops"],
            "actual_rows": round(node["Actual Rows"] * node["Actual Loops"]),
            "actual_time_ms": node["Actual Total Time"],
        }
        for node in read_back(document)
    ]


# --- synthetic plans built from the flat list they must give -------------------------------------------------

NODE_TYPES = [
    "Seq Scan",
    "Index Scan",
    "Bitmap Heap Scan",
    "Hash Join",
    "Hash",
    "Nested Loop",
    "Sort",
    "Limit",
]
RELATIONS = [None, None, "items", "tags", "order", "Ünïcode table"]


@st.composite
def flat_plans(draw):
    """(document, expected flat nodes): a preorder list of depths is drawn first, then the tree is built from it."""
    depths = [0]
    for _ in range(draw(st.integers(0, 11))):
        depths.append(draw(st.integers(1, depths[-1] + 1)))
    expected, stack, root = [], [], None
    for depth in depths:
        node_type = draw(st.sampled_from(NODE_TYPES))
        relation = draw(st.sampled_from(RELATIONS))
        loops = draw(st.integers(0, 60))
        time_ms = 0.0 if loops == 0 else draw(st.integers(0, 9_000_000)) / 1000
        if loops == 0:  # never executed: PostgreSQL 18 prints Actual Rows 0 and Actual Loops 0
            per_loop, total = 0, 0
        elif draw(st.booleans()):  # PostgreSQL 18: the average per loop, two decimals
            total = draw(st.integers(0, 5000))
            per_loop = round(total / loops, 2)
        else:  # PostgreSQL 17 and older: a whole number per loop
            per_loop = draw(st.integers(0, 200))
            total = per_loop * loops
        node = {"Node Type": node_type, "Parallel Aware": False}
        if relation is not None:
            node["Relation Name"] = relation
        node |= {
            "Plan Rows": draw(st.integers(1, 10_000)),
            "Actual Total Time": time_ms,
            "Actual Rows": per_loop,
            "Actual Loops": loops,
        }
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            stack[-1][1].setdefault("Plans", []).append(node)
        else:
            root = node
        stack.append((depth, node))
        expected.append(
            {
                "node_type": node_type,
                "relation": relation,
                "depth": depth,
                "loops": loops,
                "actual_rows": total,
                "actual_time_ms": time_ms,
            }
        )
    document = {"Plan": root, "Planning Time": 0.1, "Triggers": [], "Execution Time": 1.0}
    return document, expected


# --- tests -----------------------------------------------------------------------------------------------------


def test_explain_analyze_returns_the_document(explain, conn):
    query, params = QUERIES["filter"]
    doc = explain.explain_analyze(conn, query, params)
    assert isinstance(doc, dict), f"expected the plan document (a dict), got {type(doc).__name__}"
    assert {"Plan", "Execution Time", "Planning Time"} <= set(doc), f"keys of the document: {sorted(doc)}"
    assert doc["Plan"]["Actual Loops"] == 1 and "Actual Rows" in doc["Plan"], "this is not an ANALYZE plan"
    expected_rows = conn.execute("SELECT count(*) FROM items WHERE price > 700").fetchone()[0]
    conn.rollback()
    assert round(doc["Plan"]["Actual Rows"]) == expected_rows, "the params were not bound as given"


def test_readme_shape_on_a_tiny_plan(explain):
    document = {
        "Plan": {
            "Node Type": "Seq Scan",
            "Relation Name": "items",
            "Plan Rows": 400,
            "Actual Total Time": 0.81,
            "Actual Rows": 412.0,
            "Actual Loops": 1,
        },
        "Planning Time": 0.05,
        "Execution Time": 0.9,
    }
    want = [
        {
            "node_type": "Seq Scan",
            "relation": "items",
            "depth": 0,
            "loops": 1,
            "actual_rows": 412,
            "actual_time_ms": 0.81,
        }
    ]
    assert_typed_equal(explain.plan_nodes(document), want, "plan_nodes(one Seq Scan)")


@kata_settings(max_examples=80)
@given(case=flat_plans())
def test_plan_nodes_on_synthetic_plans(explain, case):
    document, want = case
    got = explain.plan_nodes(document)
    assert isinstance(got, list) and all(isinstance(n, dict) for n in got), "expected a list of dicts"
    for index, node in enumerate(got):
        assert list(node) == KEYS, f"node {index} keys {list(node)} != {KEYS}"
    assert_typed_equal(got, want, "plan_nodes(synthetic plan)")


@pytest.mark.parametrize("name", list(QUERIES))
def test_plan_nodes_match_the_plan(explain, conn, name):
    query, params = QUERIES[name]
    doc = explain.explain_analyze(conn, query, params)
    nodes = explain.plan_nodes(doc)
    assert isinstance(nodes, list) and all(isinstance(n, dict) for n in nodes), "expected a list of dicts"
    for index, node in enumerate(nodes):
        assert list(node) == KEYS, f"node {index} keys {list(node)} != {KEYS}"
    want = expected_from_text(doc)
    assert len(want) >= (1 if name == "filter" else 3), f"the test's {name} plan is too small: {want}"
    assert_typed_equal(nodes, want, f"plan_nodes(explain_analyze({name!r} query))")


def test_nested_loop_rows_count_every_loop(explain, conn):
    query, params = QUERIES["nested_loop"]
    nodes = explain.plan_nodes(explain.explain_analyze(conn, query, params))
    types = [n["node_type"] for n in nodes]
    assert "Nested Loop" in types, f"the test expected a nested loop plan, got {types}"
    inner = [n for n in nodes if n["relation"] == "tags"]
    assert inner and inner[0]["loops"] == 39, f"inner scan of tags: {inner}"
    assert inner[0]["actual_rows"] == 117, (
        f"inner scan of tags should produce 117 rows over 39 loops: {inner}"
    )
    assert nodes[0]["actual_rows"] == 117


def test_never_executed_node(explain, conn):
    query, params = QUERIES["never_executed"]
    nodes = explain.plan_nodes(explain.explain_analyze(conn, query, params))
    idle = [n for n in nodes if n["relation"] == "tags"]
    assert idle, f"the test expected a scan of tags in the plan: {nodes}"
    assert (idle[0]["loops"], idle[0]["actual_rows"]) == (0, 0), (
        f"a node that never ran has loops 0 and actual_rows 0: {idle[0]}"
    )
    assert type(idle[0]["actual_rows"]) is int, f"actual_rows must be an int: {idle[0]}"


def test_explain_analyze_keeps_no_effects(explain, conn, admin):
    before = admin.execute("SELECT sum(price) FROM items").fetchone()[0]
    doc = explain.explain_analyze(conn, "UPDATE items SET price = price + 1 WHERE id <= %s", (2500,))
    assert doc["Plan"]["Node Type"] == "ModifyTable", f"top node {doc['Plan']['Node Type']}"
    status = conn.info.transaction_status
    assert status == psycopg.pq.TransactionStatus.IDLE, (
        f"the connection was left {status.name}, expected IDLE"
    )
    same = conn.execute("SELECT sum(price) FROM items").fetchone()[0]
    conn.rollback()
    other = admin.execute("SELECT sum(price) FROM items").fetchone()[0]
    assert same == before and other == before, (
        f"EXPLAIN ANALYZE UPDATE changed the data (sum {before} -> {same} on your connection, {other} elsewhere): "
        "roll the transaction back"
    )
