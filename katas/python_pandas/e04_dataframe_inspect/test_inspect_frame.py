"""Hidden-test style checks for python_pandas/e04: building a frame and profiling it like describe().

The expected figures are computed without pandas, in plain Python (`statistics`, sorted values and linear
interpolation between ranks), and the expected dtypes are known from how each column was built.
"""

import copy
import math
import statistics

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

from graders.kit.checks import assert_frame_equal, assert_typed_equal
from graders.kit.strategies import FRAME_KINDS, kata_settings, mixed_frames

FIGURES = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"]
TEXT = str(pd.Series(["a", None]).dtype)  # "str" in pandas 3, "object" in pandas 2
NUMERIC_KINDS = {"int", "float"}


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


RANDOM_DTYPES = {"age": "int64", "salary": "float64", "city": TEXT, "remote": "bool", "score": "float64"}


def _quantile(ordered: list[float], q: float) -> float:
    """Linear interpolation between the closest ranks: position q * (n - 1) in the sorted values."""
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def expected_figures(values: list) -> dict:
    present = [float(v) for v in values if not pd.isna(v)]
    ordered = sorted(present)
    if not present:
        return {"count": 0} | {name: math.nan for name in FIGURES[1:]}
    return {
        "count": len(present),
        "mean": statistics.fmean(present),
        "std": statistics.stdev(present) if len(present) > 1 else math.nan,
        "min": ordered[0],
        "25%": _quantile(ordered, 0.25),
        "50%": _quantile(ordered, 0.5),
        "75%": _quantile(ordered, 0.75),
        "max": ordered[-1],
    }


def check_profile(got, df: pd.DataFrame, dtypes: dict[str, str], numeric: list[str], where: str) -> None:
    assert type(got) is dict, f"{where}: profile should return a dict, got {type(got).__name__}"
    assert list(got) == ["rows", "columns", "dtypes", "missing", "numeric"], f"{where}: keys {list(got)}"
    assert_typed_equal(got["rows"], len(df), f"{where}['rows']")
    assert_typed_equal(got["columns"], len(dtypes), f"{where}['columns']")
    assert_typed_equal(got["dtypes"], dtypes, f"{where}['dtypes']")
    missing = {col: sum(1 for v in df[col].tolist() if pd.isna(v)) for col in df.columns}
    assert_typed_equal(got["missing"], missing, f"{where}['missing']")
    assert type(got["numeric"]) is dict and list(got["numeric"]) == numeric, (
        f"{where}['numeric']: expected the numeric columns {numeric} (int and float dtypes, not bool), "
        f"got {list(got['numeric'])}"
    )
    for col in numeric:
        values = df[col].tolist()
        want, have = expected_figures(values), got["numeric"][col]
        assert type(have) is dict and list(have) == FIGURES, f"{where}['numeric'][{col!r}]: keys {list(have)}"
        assert_typed_equal(
            have["count"], want["count"], f"{where}['numeric'][{col!r}]['count'] (non-missing)"
        )
        scale = max((abs(float(v)) for v in values if not pd.isna(v)), default=0.0)
        for name in FIGURES[1:]:
            value = have[name]
            assert type(value) is float, (
                f"{where}['numeric'][{col!r}][{name!r}] should be a plain float, got {type(value).__name__}"
            )
            close = math.isnan(want[name]) and math.isnan(value)
            close = close or abs(value - want[name]) <= 1e-9 * max(abs(want[name]), scale) + 1e-300
            assert close, f"{where}['numeric'][{col!r}][{name!r}]: expected {want[name]!r}, got {value!r}"


def test_build_frame_from_columns(insp):
    data = {"age": [25, 32, 47], "salary": [50000, 64000, 120000]}
    before = copy.deepcopy(data)
    got = insp.build_frame(data)
    expected = pd.DataFrame(
        {
            "age": pd.Series([25, 32, 47], dtype="int64"),
            "salary": pd.Series([50000, 64000, 120000], dtype="int64"),
        }
    )
    assert_frame_equal(got, expected, where="build_frame(dict of columns)")
    assert data == before, "build_frame changed the caller's dict"


def test_build_frame_from_columns_with_index(insp):
    data = {"id": [7, 9, 3], "age": [25, 32, 47], "city": ["Oslo", "Lima", "Pune"]}
    before = copy.deepcopy(data)
    got = insp.build_frame(data, index="id")
    assert data == before, f"build_frame(data, index='id') changed the caller's dict: {before} became {data}"
    expected = pd.DataFrame(
        {
            "age": pd.Series([25, 32, 47], dtype="int64"),
            "city": pd.Series(["Oslo", "Lima", "Pune"], dtype=TEXT),
        }
    )
    expected.index = pd.Index([7, 9, 3], name="id")
    assert_frame_equal(got, expected, where="build_frame(dict of columns, index='id')")


def test_build_frame_from_records_with_index(insp):
    records = [{"id": 7, "age": 25}, {"id": 9, "salary": 64000}, {"age": 40, "id": 3, "city": "Oslo"}]
    before = copy.deepcopy(records)
    got = insp.build_frame(records, index="id")
    assert records == before, "build_frame changed the caller's records"
    assert list(got.columns) == ["age", "salary", "city"], "columns come in order of first appearance"
    expected = pd.DataFrame(
        {
            "age": [25.0, np.nan, 40.0],
            "salary": [np.nan, 64000.0, np.nan],
            "city": pd.array([None, None, "Oslo"], dtype=TEXT),
        },
        index=pd.Index([7, 9, 3], name="id"),
    )
    assert_frame_equal(got, expected, where="build_frame(records, index='id')")
    plain = insp.build_frame(records)
    assert list(plain.columns) == ["id", "age", "salary", "city"] and plain.index.equals(pd.RangeIndex(3)), (
        f"build_frame(records) without index keeps 'id' as a column: columns {list(plain.columns)}"
    )


def test_profile_readme_example(insp):
    df = pd.DataFrame({"age": [25, 32, 47], "salary": [50_000.0, np.nan, 120_000.0], "city": ["a", "b", "c"]})
    got = insp.profile(df)
    dtypes = {"age": "int64", "salary": "float64", "city": TEXT}
    check_profile(got, df, dtypes, ["age", "salary"], "profile(readme frame)")
    assert got["numeric"]["age"]["count"] == 3 and round(got["numeric"]["age"]["std"], 2) == 11.24
    assert got["numeric"]["age"]["25%"] == 28.5 and got["numeric"]["age"]["75%"] == 39.5
    assert got["numeric"]["salary"]["count"] == 2 and got["missing"] == {"age": 0, "salary": 1, "city": 0}


@pytest.mark.parametrize(("seed", "rows"), [(0, 50), (1, 200), (2, 7), (3, 1)])
def test_profile_matches_describe_on_random_frames(insp, seed, rows):
    df = random_frame(seed, rows)
    before = df.copy(deep=True)
    got = insp.profile(df)
    assert_frame_equal(df, before, where="the frame after profile() (it must not be changed)")
    check_profile(
        got, df, RANDOM_DTYPES, ["age", "salary", "score"], f"profile(random frame seed={seed}, rows={rows})"
    )


def test_profile_without_numeric_columns(insp):
    df = pd.DataFrame({"city": ["Oslo", None, "Lima"], "remote": [True, False, True]})
    check_profile(
        insp.profile(df), df, {"city": TEXT, "remote": "bool"}, [], "profile(frame with no numeric column)"
    )


def test_profile_skips_datetime_and_category_columns(insp):
    df = pd.DataFrame(
        {
            "when": pd.to_datetime(["2024-01-01", None, "2024-03-01"]),
            "grade": pd.Categorical(["a", "b", None]),
            "n": [1, 2, 3],
        }
    )
    dtypes = {"when": str(df["when"].dtype), "grade": "category", "n": "int64"}
    check_profile(insp.profile(df), df, dtypes, ["n"], "profile(frame with datetime and category columns)")


@kata_settings(max_examples=30)
@given(
    df=mixed_frames(
        kinds=("int", "float", "str", "bool", "category", "datetime"),
        max_rows=9,
        index="shuffled",
        magnitude=1e15,
    )
)
def test_profile_properties(insp, df):
    before = df.copy(deep=True)
    got = insp.profile(df)
    assert_frame_equal(df, before, where="the frame after profile() (it must not be changed)")
    kinds = {col: col.rsplit("_", 1)[0] for col in df.columns}
    dtypes = {col: FRAME_KINDS[kind] for col, kind in kinds.items()}
    numeric = [col for col, kind in kinds.items() if kind in NUMERIC_KINDS]
    check_profile(got, df, dtypes, numeric, f"profile of the frame\n{df}\n")
