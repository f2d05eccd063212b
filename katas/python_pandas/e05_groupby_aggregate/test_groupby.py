"""Hidden-test style checks for python_pandas/e05: groupby with a list of functions and named aggregations."""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.checks import assert_frame_equal
from graders.kit.strategies import kata_settings, sql_rows

COLUMNS = ["department", "headcount", "total_salary", "mean_salary", "oldest", "remote_share"]


@pytest.fixture
def gb(kata):
    return kata.module("groupby")


def employees(seed: int, rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    depts = np.array(["Sales", "IT", "HR", "Ops", "Legal", "Data"])[: rng.integers(2, 7)]
    return pd.DataFrame(
        {
            "department": rng.choice(depts, rows),
            "name": [f"emp{i}" for i in range(rows)],
            "salary": rng.integers(30, 150, rows) * 1000,
            "age": rng.integers(20, 66, rows),
            "remote": rng.random(rows) < 0.4,
        }
    )


def _rows_of(records, dept):
    """The employees of one department, found one row at a time (no groupby)."""
    return [r for r in records if r["department"] == dept]


def check_stats(got, df, where):
    assert isinstance(got, pd.DataFrame), f"{where}: expected a DataFrame, got {type(got).__name__}"
    assert list(got.columns) == ["mean", "max"], (
        f"{where}: columns should be ['mean', 'max'], got {list(got.columns)}"
    )
    assert got.index.name == "department", (
        f"{where}: the index should be named 'department', got {got.index.name!r}"
    )
    labels = list(got.index)
    assert set(labels) == set(df["department"]) and len(labels) == len(set(labels)), (
        f"{where}: one row per department expected, got {labels}"
    )
    assert labels == sorted(labels), f"{where}: departments should be sorted ascending, got {labels}"
    records = df.to_dict("records")
    for dept in labels:
        salaries = [r["salary"] for r in _rows_of(records, dept)]
        assert got.loc[dept, "mean"] == pytest.approx(sum(salaries) / len(salaries), rel=1e-12), (
            f"{where}: mean salary of {dept!r}"
        )
        assert got.loc[dept, "max"] == max(salaries), f"{where}: max salary of {dept!r}"


def test_dept_stats_readme_example(gb):
    df = pd.DataFrame({"department": ["IT", "HR", "IT", "HR"], "salary": [70000, 50000, 80000, 52000]})
    got = gb.dept_stats(df)
    expected = pd.DataFrame(
        {"mean": [51000.0, 75000.0], "max": [52000, 80000]}, index=pd.Index(["HR", "IT"], name="department")
    )
    assert_frame_equal(
        got, expected, where="dept_stats(readme frame)", check_dtype=False, check_index_type=False
    )


@pytest.mark.parametrize("seed", range(3))
def test_dept_stats_random(gb, seed):
    df = employees(seed, 300)
    before = df.copy(deep=True)
    got = gb.dept_stats(df)
    assert_frame_equal(df, before, where="the input frame after dept_stats (it must not change)")
    check_stats(got, df, f"dept_stats(random employees, seed={seed})")


def _check_summary(got, df, where):
    assert isinstance(got, pd.DataFrame), f"{where}: expected a DataFrame, got {type(got).__name__}"
    assert list(got.columns) == COLUMNS, f"{where}: columns should be {COLUMNS}, got {list(got.columns)}"
    assert list(got.index) == list(range(len(got))), (
        f"{where}: the index should be 0..n-1, got {list(got.index)}"
    )
    rows = got.to_dict("records")
    depts = [row["department"] for row in rows]
    assert set(depts) == set(df["department"]) and len(depts) == len(set(depts)), (
        f"{where}: one row per department expected, got {depts}"
    )
    records = df.to_dict("records")
    for row in rows:
        part = _rows_of(records, row["department"])
        salaries = [r["salary"] for r in part]
        wanted = {
            "headcount": len(part),
            "total_salary": sum(salaries),
            "mean_salary": sum(salaries) / len(part),
            "oldest": max(r["age"] for r in part),
            "remote_share": sum(1 for r in part if r["remote"]) / len(part),
        }
        for column, value in wanted.items():
            assert row[column] == pytest.approx(value, rel=1e-12), (
                f"{where}: {column} of {row['department']!r} should be {value}, got {row[column]}"
            )
    for upper, lower in itertools.pairwise(rows):
        in_order = upper["total_salary"] > lower["total_salary"] or (
            upper["total_salary"] == lower["total_salary"] and upper["department"] < lower["department"]
        )
        assert in_order, (
            f"{where}: {upper['department']!r} (total {upper['total_salary']}) comes before "
            f"{lower['department']!r} (total {lower['total_salary']}): rows go by total_salary, largest first, "
            "ties by department ascending"
        )


@pytest.mark.parametrize("seed", range(4))
def test_dept_summary_random(gb, seed):
    df = employees(seed, 400)
    before = df.copy(deep=True)
    got = gb.dept_summary(df)
    assert_frame_equal(df, before, where="the input frame after dept_summary (it must not change)")
    _check_summary(got, df, f"dept_summary(random employees, seed={seed})")


def test_dept_summary_ties_by_department(gb):
    df = pd.DataFrame(
        {
            "department": ["Ops", "IT", "HR", "IT", "Ops", "Data"],
            "name": list("abcdef"),
            "salary": [40000, 70000, 90000, 20000, 50000, 90000],
            "age": [30, 41, 58, 25, 60, 33],
            "remote": [True, True, False, False, False, True],
        }
    )
    got = gb.dept_summary(df)
    _check_summary(got, df, "dept_summary(frame with tied totals)")
    assert list(got["department"]) == ["Data", "HR", "IT", "Ops"], (
        "ties on total_salary go by department name"
    )


STAFF = sql_rows(
    {"department": "text", "salary": "int", "age": "int", "remote": "bool"}, min_size=1, nulls=False
)


def _frame(rows):
    frame = pd.DataFrame(rows, columns=["department", "salary", "age", "remote"])
    return frame.assign(name=[f"e{k}" for k in range(len(rows))])[
        ["department", "name", "salary", "age", "remote"]
    ]


@kata_settings(max_examples=30)
@given(rows=STAFF, salaries=st.lists(st.sampled_from([20_000, 30_000, 50_000]), min_size=12, max_size=12))
def test_summary_properties(gb, rows, salaries):
    """Unicode and blank department names, one-person departments, uneven sizes and, often, tied totals."""
    df = _frame([(d, salaries[k], a, r) for k, (d, _, a, r) in enumerate(rows)])
    before = df.copy(deep=True)
    _check_summary(gb.dept_summary(df), df, "dept_summary(the drawn employees)")
    check_stats(gb.dept_stats(df), df, "dept_stats(the drawn employees)")
    assert_frame_equal(df, before, where="the input frame (it must not change)")
