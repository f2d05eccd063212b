"""Hidden-test style checks for sql/q03: exclusive time and misestimates read from real JSON plans."""

import psycopg
import pytest

from graders.checks import assert_typed_equal

QUERIES = {
    "expensive_filter": "SELECT count(*) FROM big WHERE md5(payload || 'salt') LIKE 'ab%'",
    "nested_loop": ("SELECT count(*) FROM small s JOIN big b ON b.id = s.big_id WHERE s.id <= 3000"),
    "correlated": "SELECT * FROM pairs WHERE a = 7 AND b = 7",
    "stale": "SELECT count(*) FROM stale WHERE kind = 'new'",
    "shrunk": "SELECT count(*) FROM shrunk WHERE kind = 'gone'",
}


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


def _nodes(node, out=None):
    out = [] if out is None else out
    out.append(node)
    for child in node.get("Plans", []):
        _nodes(child, out)
    return out


def _self_time(node):
    total = node["Actual Total Time"] * node["Actual Loops"]
    total -= sum(c["Actual Total Time"] * c["Actual Loops"] for c in node.get("Plans", []))
    return max(total, 0.0)


def ref_costliest(document):
    best = max(_nodes(document["Plan"]), key=_self_time)  # max keeps the first on ties
    return {
        "node_type": best["Node Type"],
        "relation": best.get("Relation Name"),
        "self_time_ms": _self_time(best),
    }


def ref_misestimates(document, factor=10.0):
    out = []
    for node in _nodes(document["Plan"]):
        if "Actual Rows" not in node:
            continue
        est, act = node["Plan Rows"], node["Actual Rows"]
        ratio = max(est, act) / max(min(est, act), 1)
        if ratio >= factor:
            out.append(
                {
                    "node_type": node["Node Type"],
                    "relation": node.get("Relation Name"),
                    "plan_rows": est,
                    "actual_rows": act,
                    "ratio": float(ratio),
                }
            )
    return out


def _close(got, want, where):
    assert isinstance(got, dict), f"{where}: expected a dict, got {type(got).__name__}"
    assert list(got) == list(want), f"{where}: keys {list(got)} != {list(want)}"
    for key in want:
        if isinstance(want[key], float):
            assert got[key] == pytest.approx(want[key], rel=1e-6, abs=1e-6), (
                f"{where}[{key!r}]: {got[key]} != {want[key]}"
            )
        else:
            assert got[key] == want[key], f"{where}[{key!r}]: {got[key]!r} != {want[key]!r}"


@pytest.mark.parametrize("name", ["expensive_filter", "nested_loop"])
def test_costliest_node(plans, documents, name):
    document = documents[name]
    want = ref_costliest(document)
    if name == "expensive_filter":
        assert want["relation"] == "big", want  # the test's own premise: the filter on big dominates
    _close(plans.costliest_node(document), want, f"costliest_node({name} plan)")


@pytest.mark.parametrize("name", list(QUERIES))
def test_misestimates(plans, documents, name):
    document = documents[name]
    want = ref_misestimates(document)
    if name in ("correlated", "stale", "shrunk"):
        assert want, f"the test's {name} plan should contain a misestimate"
    got = plans.misestimates(document)
    assert isinstance(got, list), f"expected a list, got {type(got).__name__}"
    assert len(got) == len(want), f"misestimates({name} plan): {len(got)} nodes, expected {len(want)}: {want}"
    for index, (g, w) in enumerate(zip(got, want, strict=True)):
        _close(g, w, f"misestimates({name} plan)[{index}]")


def test_misestimates_factor(plans, documents):
    document = documents["correlated"]
    for factor in (2.0, 50.0, 1e9):
        got = plans.misestimates(document, factor=factor)
        assert len(got) == len(ref_misestimates(document, factor)), f"factor={factor}: {got}"
    assert_typed_equal(plans.misestimates(document, factor=1e9), [], "misestimates(..., factor=1e9)")
