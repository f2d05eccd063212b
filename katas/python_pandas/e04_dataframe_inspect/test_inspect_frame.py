"""Hidden-test style checks for python_pandas/e04: building a frame and profiling it like describe()."""

import copy

import numpy as np
import pandas as pd
import pytest

from graders.checks import assert_frame_equal, assert_typed_equal

FIGURES = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"]


@pytest.fixture
def insp(kata):
    return kata.module("inspect_frame")


def random_frame(seed: int, rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    salary = rng.normal(60_000, 15_000, rows).round(2)
    salary[rng.random(rows) < 0.2] = np.nan
    city = rng.choice(["Oslo", "Lima", "Pune", None], rows).tolist()
    return pd.DataFrame(
        {
            "age": rng.integers(18, 70, rows),
            "salary": salary,
            "city": city,
            "remote": rng.random(rows) < 0.5,
            "score": rng.exponential(3.0, rows),
        }
    )


def reference_profile(df: pd.DataFrame) -> dict:
    numeric = {}
    for col in df.columns:
        if pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col]):
            described = df[col].describe()
            numeric[col] = {"count": int(described["count"])} | {k: float(described[k]) for k in FIGURES[1:]}
    return {
        "rows": len(df),
        "columns": len(df.columns),
        "dtypes": {col: str(df[col].dtype) for col in df.columns},
        "missing": {col: int(df[col].isna().sum()) for col in df.columns},
        "numeric": numeric,
    }


def test_build_frame_from_columns(insp):
    data = {"age": [25, 32, 47], "salary": [50000, 64000, 120000]}
    assert_frame_equal(insp.build_frame(data), pd.DataFrame(data), where="build_frame(dict of columns)")


def test_build_frame_from_records_with_index(insp):
    records = [{"id": 7, "age": 25}, {"id": 9, "salary": 64000}, {"age": 40, "id": 3, "city": "Oslo"}]
    before = copy.deepcopy(records)
    got = insp.build_frame(records, index="id")
    expected = pd.DataFrame(records).set_index("id")
    assert_frame_equal(got, expected, where="build_frame(records, index='id')")
    assert records == before, "build_frame changed the caller's records"
    assert list(got.columns) == ["age", "salary", "city"], "columns come in order of first appearance"


def test_profile_readme_example(insp):
    df = pd.DataFrame({"age": [25, 32, 47], "salary": [50_000.0, np.nan, 120_000.0], "city": ["a", "b", "c"]})
    got = insp.profile(df)
    assert_typed_equal(got, reference_profile(df), "profile(readme frame)")
    assert got["numeric"]["age"]["count"] == 3 and round(got["numeric"]["age"]["std"], 2) == 11.24


@pytest.mark.parametrize(("seed", "rows"), [(0, 50), (1, 200), (2, 7), (3, 1)])
def test_profile_matches_describe_on_random_frames(insp, seed, rows):
    df = random_frame(seed, rows)
    before = df.copy(deep=True)
    got = insp.profile(df)
    assert_frame_equal(df, before, where="the frame after profile() (it must not be changed)")
    assert_typed_equal(got, reference_profile(df), f"profile(random frame seed={seed}, rows={rows})")


def test_profile_without_numeric_columns(insp):
    df = pd.DataFrame({"city": ["Oslo", None, "Lima"], "remote": [True, False, True]})
    assert_typed_equal(insp.profile(df), reference_profile(df), "profile(frame with no numeric column)")
