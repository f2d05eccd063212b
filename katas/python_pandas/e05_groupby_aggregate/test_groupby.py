"""Hidden-test style checks for python_pandas/e05: groupby with a list of functions and named aggregations."""

import numpy as np
import pandas as pd
import pytest

from graders.checks import assert_frame_equal

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


def reference_stats(df):
    """Plain Python: mean and max per department."""
    rows = {}
    for dept in sorted(df["department"].unique()):
        salaries = df.loc[df["department"] == dept, "salary"].tolist()
        rows[dept] = (sum(salaries) / len(salaries), max(salaries))
    return rows


def reference_summary(df):
    rows = []
    for dept in df["department"].unique():
        part = df[df["department"] == dept]
        salaries = part["salary"].tolist()
        rows.append(
            (
                dept,
                len(part),
                sum(salaries),
                sum(salaries) / len(salaries),
                int(part["age"].max()),
                float(part["remote"].sum()) / len(part),
            )
        )
    rows.sort(key=lambda r: (-r[2], r[0]))
    return rows


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
    ref = reference_stats(df)
    assert list(got.columns) == ["mean", "max"], f"columns should be ['mean', 'max'], got {list(got.columns)}"
    assert got.index.name == "department", f"the index should be named 'department', got {got.index.name!r}"
    assert list(got.index) == list(ref), (
        f"departments should be sorted: expected {list(ref)}, got {list(got.index)}"
    )
    for dept, (mean, top) in ref.items():
        assert got.loc[dept, "mean"] == pytest.approx(mean, rel=1e-12), f"mean salary of {dept}"
        assert got.loc[dept, "max"] == top, f"max salary of {dept}"


def _check_summary(got, df, where):
    assert isinstance(got, pd.DataFrame), f"{where}: expected a DataFrame, got {type(got).__name__}"
    assert list(got.columns) == COLUMNS, f"{where}: columns should be {COLUMNS}, got {list(got.columns)}"
    assert list(got.index) == list(range(len(got))), (
        f"{where}: the index should be 0..n-1, got {list(got.index)}"
    )
    expected = pd.DataFrame(reference_summary(df), columns=COLUMNS)
    assert_frame_equal(got, expected, where=where, check_dtype=False, check_index_type=False, rtol=1e-12)


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
