"""Hidden-test style checks for sql/q04: the four join kinds in SQL and in pandas, NULL keys included."""

import random

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.sql_checks import assert_rows_equal
from graders.kit.strategies import kata_settings, sql_rows

COLUMNS = ["left_id", "right_id", "lval", "rval"]
KINDS = ["inner", "left", "right", "full"]


@pytest.fixture
def joins(kata):
    return kata.module("joins")


def _seed(admin, left, right):
    admin.execute("CREATE TABLE left_t (id int PRIMARY KEY, key text, lval int)")
    admin.execute("CREATE TABLE right_t (id int PRIMARY KEY, key text, rval int)")
    with admin.cursor() as cur:
        cur.executemany("INSERT INTO left_t VALUES (%s, %s, %s)", left)
        cur.executemany("INSERT INTO right_t VALUES (%s, %s, %s)", right)


@pytest.fixture
def tables(admin):
    rng = random.Random(504)
    left = [(i, rng.choice(["a", "b", "c", "d", "e", None]), rng.randint(-50, 50)) for i in range(1, 61)]
    right = [
        (100 + i, rng.choice(["c", "d", "e", "f", "g", None]), rng.randint(-50, 50)) for i in range(1, 51)
    ]
    _seed(admin, left, right)
    return left, right


def reference(left, right, how):
    rows, matched_right = [], set()
    for lid, lkey, lval in left:
        partners = [r for r in right if lkey is not None and r[1] == lkey]
        for rid, _, rval in partners:
            rows.append((lid, rid, lval, rval))
            matched_right.add(rid)
        if not partners and how in ("left", "full"):
            rows.append((lid, None, lval, None))
    if how in ("right", "full"):
        rows += [(None, rid, None, rval) for rid, _, rval in right if rid not in matched_right]
    return rows


def frames(left, right):
    return (
        pd.DataFrame(left, columns=["id", "key", "lval"]),
        pd.DataFrame(right, columns=["id", "key", "rval"]),
    )


def test_readme_example(joins, admin, postgres_engine):
    left, right = [(1, "a", 10), (2, None, 20)], [(7, "a", 70), (8, None, 80)]
    _seed(admin, left, right)
    want = [(1, 7, 10, 70), (2, None, 20, None), (None, 8, None, 80)]
    policy = {"columns": COLUMNS, "ordered": False}
    assert_rows_equal(
        joins.join_sql(postgres_engine, "full"), want, where="join_sql(engine, 'full')", **policy
    )
    assert_rows_equal(
        joins.join_pandas(*frames(left, right), "full"), want, where="join_pandas(..., 'full')", **policy
    )


@pytest.mark.parametrize("how", KINDS)
def test_join_sql(joins, postgres_engine, tables, how):
    got = joins.join_sql(postgres_engine, how)
    assert isinstance(got, pd.DataFrame), f"expected a DataFrame, got {type(got).__name__}"
    assert_rows_equal(
        got, reference(*tables, how), columns=COLUMNS, ordered=False, where=f"join_sql(engine, {how!r})"
    )


@pytest.mark.parametrize("how", KINDS)
def test_join_pandas(joins, tables, how):
    left, right = frames(*tables)
    before = (left.copy(), right.copy())
    got = joins.join_pandas(left, right, how)
    assert isinstance(got, pd.DataFrame), f"expected a DataFrame, got {type(got).__name__}"
    assert_rows_equal(
        got, reference(*tables, how), columns=COLUMNS, ordered=False, where=f"join_pandas(..., {how!r})"
    )
    assert list(got.index) == list(range(len(got))), (
        f"join_pandas(..., {how!r}): the index should be the default 0..n-1, got labels "
        f"{list(got.index)[:12]}... ({got.index.duplicated().sum()} repeated)"
    )
    pd.testing.assert_frame_equal(left, before[0])
    pd.testing.assert_frame_equal(right, before[1])


@kata_settings(max_examples=80)
@given(
    left=sql_rows({"id": "int", "key": "text", "lval": "int"}, max_size=8, unique=["id"]),
    right=sql_rows({"id": "int", "key": "text", "rval": "int"}, max_size=8, unique=["id"]),
    how=st.sampled_from(KINDS),
)
def test_join_pandas_on_arbitrary_tables(joins, left, right, how):
    """Empty and one-row tables, keys repeated on both sides, NULL keys and values, '' and unicode keys."""
    got = joins.join_pandas(*frames(left, right), how)
    assert_rows_equal(
        got,
        reference(left, right, how),
        columns=COLUMNS,
        ordered=False,
        where=f"join_pandas(left={left}, right={right}, {how!r})",
    )
    assert list(got.index) == list(range(len(got))), f"join_pandas(..., {how!r}): the index should be 0..n-1"


def test_sql_and_pandas_agree_on_counts_and_null_rows(joins, postgres_engine, tables):
    left, right = frames(*tables)
    for how in KINDS:
        sql_rows = joins.join_sql(postgres_engine, how)
        pandas_rows = joins.join_pandas(left, right, how)
        assert len(sql_rows) == len(pandas_rows), (
            f"{how}: SQL gives {len(sql_rows)} rows, pandas {len(pandas_rows)}"
        )
        for side in ("left_id", "right_id"):
            a, b = int(sql_rows[side].isna().sum()), int(pandas_rows[side].isna().sum())
            assert a == b, f"{how}: rows without a {side}: SQL {a}, pandas {b}"


def test_unknown_kind(joins, postgres_engine, tables):
    with pytest.raises(ValueError):
        joins.join_sql(postgres_engine, "cross; DROP TABLE left_t")
    with pytest.raises(ValueError):
        joins.join_pandas(*frames(*tables), "outer-ish")
