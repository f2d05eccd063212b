"""Hidden-test style checks for sql/q03: exclusive time and misestimates read from JSON plans.

No reference implementation of the two functions lives here: generated plans are built backwards from the
answers they must give (each node's own time and misestimate are drawn first, the plan's figures computed from
them), fixed plans have their answers written out, and the real plans are read node by node along their known
shape.
"""

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.checks import assert_typed_equal
from graders.kit.sql_checks import walk
from graders.kit.strategies import kata_settings

QUERIES = {
    "expensive_filter": "SELECT count(*) FROM big WHERE md5(payload || 'salt') LIKE 'ab%'",
    "nested_loop": "SELECT count(*) FROM small s JOIN big b ON b.id = s.big_id WHERE s.id <= 3000",
    "correlated": "SELECT * FROM pairs WHERE a = 7 AND b = 7",
    "stale": "SELECT count(*) FROM stale WHERE kind = 'new'",
    "shrunk": "SELECT count(*) FROM shrunk WHERE kind = 'gone'",
    # The outer side finds no row, so the inner scan of big never runs (Actual Loops 0, Actual Rows 0).
    "never_executed": "SELECT * FROM small s JOIN big b ON b.payload = s.id::text WHERE s.id < 0",
}
KEYS_COSTLIEST = ["node_type", "relation", "self_time_ms"]
KEYS_MISESTIMATE = ["node_type", "relation", "plan_rows", "actual_rows", "ratio"]


@pytest.fixture
def plans(kata):
    return kata.module("plans")


@pytest.fixture(scope="module")
def documents(postgres_server):
    """Real plans, built once for the module (the functions under test only read them)."""
    name = postgres_server.create_database("q03_plans")
    try:
        with psycopg.connect(postgres_server.url_for(name), autocommit=True) as admin:
            return _explain_all(admin)
    finally:
        postgres_server.drop_database(name)


def _explain_all(admin):
    admin.execute(
        "CREATE TABLE big AS SELECT g AS id, md5(g::text) AS payload FROM generate_series(1, 60000) AS g"
    )
    admin.execute("ALTER TABLE big ADD PRIMARY KEY (id)")
    admin.execute(
        "CREATE TABLE small AS SELECT g AS id, (g * 37) % 60000 + 1 AS big_id FROM generate_series(1, 5000) AS g"
    )
    # a and b are always equal: the planner multiplies their selectivities (1/100 x 1/100) and expects 1/100 of reality
    admin.execute(
        "CREATE TABLE pairs AS SELECT g AS id, g % 100 AS a, g % 100 AS b FROM generate_series(1, 200000) AS g"
    )
    admin.execute("CREATE TABLE stale (id int, kind text) WITH (autovacuum_enabled = off)")
    admin.execute("INSERT INTO stale SELECT g, 'old' FROM generate_series(1, 20000) AS g")
    admin.execute("CREATE TABLE shrunk (id int, kind text) WITH (autovacuum_enabled = off)")
    admin.execute("INSERT INTO shrunk SELECT g, 'gone' FROM generate_series(1, 30000) AS g")
    admin.execute("ANALYZE")
    admin.execute("DELETE FROM shrunk WHERE id > 12")  # after ANALYZE: the planner still expects 30,000 rows
    admin.execute(
        "INSERT INTO stale SELECT g, 'new' FROM generate_series(1, 30000) AS g"
    )  # after ANALYZE: unseen
    admin.execute("SET enable_hashjoin = off")
    admin.execute("SET enable_mergejoin = off")
    admin.execute("SET max_parallel_workers_per_gather = 0")
    out = {}
    for name, query in QUERIES.items():
        out[name] = admin.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query).fetchone()[0][0]
    return out


def _close(got, want, where):
    assert isinstance(got, dict), f"{where}: expected a dict, got {type(got).__name__}"
    assert list(got) == list(want), f"{where}: keys {list(got)} != {list(want)}"
    for key in want:
        if isinstance(want[key], float):
            assert isinstance(got[key], float), f"{where}[{key!r}]: {got[key]!r} is not a float"
            assert got[key] == pytest.approx(want[key], rel=1e-6, abs=1e-6), (
                f"{where}[{key!r}]: {got[key]} != {want[key]}"
            )
        else:
            assert got[key] == want[key], f"{where}[{key!r}]: {got[key]!r} != {want[key]!r}"


def _close_list(got, want, where):
    assert isinstance(got, list), f"{where}: expected a list, got {type(got).__name__}"
    assert len(got) == len(want), f"{where}: {len(got)} nodes, expected {len(want)}: {want}"
    for index, (g, w) in enumerate(zip(got, want, strict=True)):
        _close(g, w, f"{where}[{index}]")


# --- fixed plans with their answers written out ----------------------------------------------------------------


def node(node_type, plan_rows, actual_rows, total_ms, loops=1, relation=None, children=()):
    out = {"Node Type": node_type}
    if relation is not None:
        out["Relation Name"] = relation
    out |= {
        "Plan Rows": plan_rows,
        "Actual Total Time": total_ms,
        "Actual Rows": actual_rows,
        "Actual Loops": loops,
    }
    if children:
        out["Plans"] = list(children)
    return out


# The README's example: a hash join of big and pairs under an aggregate, and a lookup that never ran.
README_DOC = {
    "Plan": node(
        "Aggregate",
        1,
        1.0,
        60.2,
        children=[
            node(
                "Hash Join",
                20,
                15.0,
                59.9,
                children=[
                    node("Seq Scan", 60000, 60000.0, 41.7, relation="big"),
                    node(
                        "Hash",
                        20,
                        2000.0,
                        12.5,
                        children=[node("Seq Scan", 20, 2000.0, 11.0, relation="pairs")],
                    ),
                ],
            ),
            node("Index Scan", 500, 0, 0.0, loops=0, relation="lookup"),
        ],
    ),
    "Planning Time": 0.2,
    "Execution Time": 60.4,
}


def test_readme_example(plans):
    _close(
        plans.costliest_node(README_DOC),
        {"node_type": "Seq Scan", "relation": "big", "self_time_ms": 41.7},
        "costliest_node(README plan)",
    )
    want = [
        {"node_type": "Hash", "relation": None, "plan_rows": 20, "actual_rows": 2000.0, "ratio": 100.0},
        {
            "node_type": "Seq Scan",
            "relation": "pairs",
            "plan_rows": 20,
            "actual_rows": 2000.0,
            "ratio": 100.0,
        },
    ]
    _close_list(plans.misestimates(README_DOC), want, "misestimates(README plan)")


def test_own_time_counts_every_loop(plans):
    # Nested loop: the inner index scan takes 0.004 ms per loop over 5000 loops = 20 ms, far more than the
    # 3 ms of the outer scan; the Nested Loop's own time is 24.0 - 3.0 - 20.0 = 1.0 ms (the Limit's rounded
    # figure is 0.0005 ms below its child's, as real plans have them).
    document = {
        "Plan": node(
            "Limit",
            10,
            10.0,
            23.9995,
            children=[
                node(
                    "Nested Loop",
                    5000,
                    5000.0,
                    24.0,
                    children=[
                        node("Seq Scan", 5000, 5000.0, 3.0, relation="orders"),
                        node("Index Scan", 1, 1.0, 0.004, loops=5000, relation="customers"),
                    ],
                )
            ],
        )
    }
    _close(
        plans.costliest_node(document),
        {"node_type": "Index Scan", "relation": "customers", "self_time_ms": 20.0},
        "costliest_node(nested loop plan)",
    )
    # Now the outer scan is the slowest (25 ms vs 20 ms): the root's Limit still includes everything.
    document["Plan"]["Actual Total Time"] = 46.0
    document["Plan"]["Plans"][0]["Actual Total Time"] = 46.0
    document["Plan"]["Plans"][0]["Plans"][0]["Actual Total Time"] = 25.0
    _close(
        plans.costliest_node(document),
        {"node_type": "Seq Scan", "relation": "orders", "self_time_ms": 25.0},
        "costliest_node(nested loop plan, slow outer scan)",
    )


def test_costliest_tie_keeps_the_first_in_depth_first_order(plans):
    document = {
        "Plan": node(
            "Append",
            200,
            200.0,
            21.0,
            children=[
                node("Seq Scan", 100, 100.0, 5.0, relation="a", children=[]),
                node(
                    "Materialize",
                    100,
                    100.0,
                    13.0,
                    children=[node("Seq Scan", 100, 100.0, 8.0, relation="b")],
                ),
            ],
        )
    }
    # Own times: Append 21 - 5 - 13 = 3, a 5, Materialize 13 - 8 = 5, b 8 -> b.
    _close(
        plans.costliest_node(document),
        {"node_type": "Seq Scan", "relation": "b", "self_time_ms": 8.0},
        "costliest_node(append plan)",
    )
    document["Plan"]["Plans"][1]["Plans"][0]["Actual Total Time"] = 5.0
    document["Plan"]["Plans"][1]["Actual Total Time"] = 10.0
    document["Plan"]["Actual Total Time"] = 18.0
    # Own times: Append 3, a 5, Materialize 5, b 5: the first 5 in depth-first order is a.
    _close(
        plans.costliest_node(document),
        {"node_type": "Seq Scan", "relation": "a", "self_time_ms": 5.0},
        "costliest_node(append plan with a three-way tie)",
    )


def test_misestimate_boundaries(plans):
    document = {
        "Plan": node(
            "Append",
            1000,
            100.0,
            9.0,
            children=[
                node("Seq Scan", 10, 100.0, 1.0, relation="exactly_ten"),  # ratio 10: counts (>=)
                node("Seq Scan", 100, 10.5, 1.0, relation="just_under"),  # 100 / 10.5 = 9.52
                node("Seq Scan", 0, 10.0, 1.0, relation="zero_estimate"),  # 10 / max(0, 1) = 10
                node("Seq Scan", 12, 0.0, 1.0, relation="none_found"),  # 12 / max(0, 1) = 12
                node("Seq Scan", 9, 0.0, 1.0, relation="few_expected"),  # 9 / 1 = 9
                node("Seq Scan", 5000, 0, 0.0, loops=0, relation="never_ran"),  # skipped
                node("Index Scan", 2, 31.5, 0.01, loops=400, relation="per_loop"),  # 31.5 / 2 = 15.75
            ],
        )
    }
    want = [
        {"node_type": "Append", "relation": None, "plan_rows": 1000, "actual_rows": 100.0, "ratio": 10.0},
        {
            "node_type": "Seq Scan",
            "relation": "exactly_ten",
            "plan_rows": 10,
            "actual_rows": 100.0,
            "ratio": 10.0,
        },
        {
            "node_type": "Seq Scan",
            "relation": "zero_estimate",
            "plan_rows": 0,
            "actual_rows": 10.0,
            "ratio": 10.0,
        },
        {
            "node_type": "Seq Scan",
            "relation": "none_found",
            "plan_rows": 12,
            "actual_rows": 0.0,
            "ratio": 12.0,
        },
        {
            "node_type": "Index Scan",
            "relation": "per_loop",
            "plan_rows": 2,
            "actual_rows": 31.5,
            "ratio": 15.75,
        },
    ]
    _close_list(plans.misestimates(document), want, "misestimates(boundary plan)")
    _close_list(
        plans.misestimates(document, factor=12.0), [want[3], want[4]], "misestimates(..., factor=12.0)"
    )
    just_under = {
        "node_type": "Seq Scan",
        "relation": "just_under",
        "plan_rows": 100,
        "actual_rows": 10.5,
        "ratio": 100 / 10.5,
    }
    few = {
        "node_type": "Seq Scan",
        "relation": "few_expected",
        "plan_rows": 9,
        "actual_rows": 0.0,
        "ratio": 9.0,
    }
    _close_list(
        plans.misestimates(document, 9.0),
        [want[0], want[1], just_under, want[2], want[3], few, want[4]],
        "misestimates(..., 9.0)",
    )


# --- generated plans, built backwards from their answers -------------------------------------------------------

NODE_TYPES = [
    "Seq Scan",
    "Index Scan",
    "Hash Join",
    "Hash",
    "Nested Loop",
    "Sort",
    "Aggregate",
    "Materialize",
]
RELATIONS = [None, None, "t1", "t2", "t3"]
# ratio of the larger to the smaller row count (the smaller one taken as at least 1); 10.25 and 9.5 only on the
# Actual Rows side, which PostgreSQL 18 prints with decimals
RATIOS = [1, 2, 9.5, 10, 10.25, 64, 1000]
FACTORS = [2.0, 9.5, 10.0, 10.25, 64.0]


@st.composite
def generated_plans(draw):
    """(document, expected costliest node, per-node misestimate facts).

    Each node's own time (whole milliseconds, a few slightly negative as rounding makes them) and its estimate
    error are drawn first; Actual Total Time is then computed bottom-up. Loops are powers of two and never-run
    subtrees have loops 0, so every figure is exact in binary floating point.
    """
    depths = [0]
    for _ in range(draw(st.integers(0, 9))):
        depths.append(draw(st.integers(1, depths[-1] + 1)))
    parents, stack = [], []
    for index, depth in enumerate(depths):
        while stack and depths[stack[-1]] >= depth:
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(index)
    count = len(depths)
    loops, nodes, facts = [], [], []
    for index in range(count):
        parent = parents[index]
        ran = parent is None or loops[parent] > 0
        loops.append(draw(st.sampled_from([1, 1, 2, 4, 8, 16])) if ran and draw(st.integers(0, 6)) else 0)
        if parent is None and loops[0] == 0:
            loops[0] = 1
        kind = draw(st.sampled_from(NODE_TYPES))
        relation = draw(st.sampled_from(RELATIONS))
        small = draw(st.sampled_from([0, 1, 3, 250]))
        over = draw(st.booleans())
        ratio = draw(st.sampled_from([r for r in RATIOS if not over or r == int(r)]))
        big = max(small, 1) * ratio
        if loops[index] == 0:
            plan_rows, actual_rows, ratio = draw(st.integers(1, 90_000)), 0, None
        elif over:
            plan_rows, actual_rows = int(big), float(small)
        else:
            plan_rows, actual_rows = small, float(big)
        nodes.append({"Node Type": kind} | ({"Relation Name": relation} if relation else {}))
        nodes[-1] |= {"Plan Rows": plan_rows, "Actual Rows": actual_rows, "Actual Loops": loops[index]}
        facts.append((kind, relation, plan_rows, actual_rows, ratio))
    children = [[i for i in range(count) if parents[i] == p] for p in range(count)]
    own = [0] * count
    inclusive = [0] * count
    for index in reversed(range(count)):  # children come after their parent in depth-first order
        below = sum(inclusive[c] for c in children[index])
        if loops[index] > 0:
            own[index] = max(
                draw(st.integers(-2, 40)), -below
            )  # a negative own time never makes a total negative
        inclusive[index] = own[index] + below
        nodes[index]["Actual Total Time"] = inclusive[index] / loops[index] if loops[index] else 0.0
        if children[index]:
            nodes[index]["Plans"] = [nodes[c] for c in children[index]]
    clamped = [max(t, 0) for t in own]
    best = clamped.index(max(clamped))
    costliest = {
        "node_type": facts[best][0],
        "relation": facts[best][1],
        "self_time_ms": float(clamped[best]),
    }
    document = {"Plan": nodes[0], "Planning Time": 0.1, "Triggers": [], "Execution Time": 1.0}
    return document, costliest, facts


@kata_settings(max_examples=120)
@given(case=generated_plans())
def test_costliest_node_on_generated_plans(plans, case):
    document, want, _ = case
    _close(plans.costliest_node(document), want, "costliest_node(generated plan)")


@kata_settings(max_examples=120)
@given(case=generated_plans(), factor=st.sampled_from([None, *FACTORS]))
def test_misestimates_on_generated_plans(plans, case, factor):
    document, _, facts = case
    threshold = 10.0 if factor is None else factor
    want = [
        {"node_type": k, "relation": r, "plan_rows": p, "actual_rows": a, "ratio": float(ratio)}
        for k, r, p, a, ratio in facts
        if ratio is not None and ratio >= threshold
    ]
    got = plans.misestimates(document) if factor is None else plans.misestimates(document, factor=factor)
    _close_list(got, want, f"misestimates(generated plan, factor={threshold})")


# --- real plans, read along their known shape ------------------------------------------------------------------


def own_time(node):
    """A node's own time, written out for the few nodes of a known plan shape (README formula)."""
    total = node["Actual Total Time"] * node["Actual Loops"]
    return max(total - sum(c["Actual Total Time"] * c["Actual Loops"] for c in node.get("Plans", [])), 0.0)


def scan_of(document, relation):
    found = [n for n in walk(document["Plan"]) if n.get("Relation Name") == relation]
    assert len(found) == 1, f"the test expected one scan of {relation} in its plan, found {len(found)}"
    return found[0]


def describe(node, **extra):
    return {"node_type": node["Node Type"], "relation": node.get("Relation Name"), **extra}


def test_costliest_node_of_an_expensive_filter(plans, documents):
    document = documents["expensive_filter"]
    aggregate = document["Plan"]
    (scan,) = aggregate["Plans"]
    assert scan.get("Relation Name") == "big" and "Plans" not in scan, (
        "the test expected Aggregate <- Seq Scan"
    )
    # The test's premise: md5() on 60,000 rows dwarfs counting the ~230 that pass.
    assert own_time(scan) > own_time(aggregate), "the test's premise failed: the scan should dominate"
    want = describe(scan, self_time_ms=scan["Actual Total Time"] * scan["Actual Loops"])
    _close(plans.costliest_node(document), want, "costliest_node(expensive_filter plan)")


def test_costliest_node_of_a_nested_loop(plans, documents):
    document = documents["nested_loop"]
    aggregate = document["Plan"]
    (join,) = aggregate["Plans"]
    outer, inner = join["Plans"]
    assert join["Node Type"] == "Nested Loop" and inner["Actual Loops"] == 3000, (
        "the test expected a nested loop"
    )
    candidates = [aggregate, join, outer, inner]  # depth-first order
    assert sum(len(n.get("Plans", [])) for n in candidates) == 3, "the test expected four nodes"
    times = [own_time(n) for n in candidates]
    best = candidates[times.index(max(times))]
    _close(
        plans.costliest_node(document),
        describe(best, self_time_ms=max(times)),
        "costliest_node(nested_loop plan)",
    )


def misestimate_of(node):
    plan_rows, actual_rows = node["Plan Rows"], node["Actual Rows"]
    ratio = max(plan_rows, actual_rows) / max(min(plan_rows, actual_rows), 1)
    return describe(node, plan_rows=plan_rows, actual_rows=actual_rows, ratio=float(ratio))


@pytest.mark.parametrize(
    ("name", "skewed"),
    [
        ("correlated", "pairs"),  # 20 rows expected, 2,000 found
        ("stale", "stale"),  # 30,000 rows inserted after ANALYZE: about 1 expected
        ("shrunk", "shrunk"),  # 29,988 rows deleted after ANALYZE: 30,000 expected, 12 found
        ("expensive_filter", None),
        ("nested_loop", None),
        ("never_executed", None),  # the scan of big never ran: 60,000 expected, 0 found, but skipped
    ],
)
def test_misestimates_on_real_plans(plans, documents, name, skewed):
    document = documents[name]
    want = [] if skewed is None else [misestimate_of(scan_of(document, skewed))]
    if want:
        assert want[0]["ratio"] >= 10, f"the test's premise failed: {want[0]} is no misestimate"
    if name == "never_executed":
        idle = scan_of(document, "big")
        assert idle["Actual Loops"] == 0 and idle["Plan Rows"] >= 10_000, (
            "the test expected a node that never ran"
        )
    _close_list(plans.misestimates(document), want, f"misestimates({name} plan)")


def test_misestimates_factor_on_a_real_plan(plans, documents):
    document = documents["correlated"]
    skew = misestimate_of(scan_of(document, "pairs"))
    _close_list(plans.misestimates(document, factor=2.0), [skew], "misestimates(correlated plan, factor=2.0)")
    assert_typed_equal(plans.misestimates(document, factor=1e9), [], "misestimates(..., factor=1e9)")
