"""Hidden-test style checks for python_pandas/q10: downcasting, categories, chunked reading."""

import tracemalloc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from graders.kit.checks import assert_frame_equal
from graders.kit.strategies import kata_settings, mixed_frames

ROWS = 50_000
CSV_ROWS = 60_000


@pytest.fixture
def mem(kata):
    return kata.module("memory")


def numeric_frame(seed: int, rows: int = 2000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    quarters = rng.integers(-400, 400, rows) / 4
    quarters[rng.random(rows) < 0.1] = np.nan
    df = pd.DataFrame(
        {
            "small": rng.integers(0, 101, rows),
            "neg": rng.integers(-5, 6, rows),
            "mid": rng.integers(0, 40_001, rows),
            "big": rng.integers(0, 3_000_000_000, rows),
            "quarters": quarters,
            "noisy": rng.normal(0, 1, rows),
            "huge": np.where(rng.random(rows) < 0.5, 1e40, 2.0),
            "flag": rng.random(rows) < 0.5,
            "city": rng.choice(["Oslo", "Lima", "Pune"], rows),
        },
        index=pd.Index(rng.permutation(rows) + 7, name="id"),
    )
    df.loc[df.index[0], ["small", "neg", "mid"]] = [100, -5, 40_000]  # fix the ranges' ends
    return df


EXPECTED_DTYPES = {
    "small": "int8",
    "neg": "int8",
    "mid": "int32",  # 40,000 does not fit int16 (max 32,767)
    "big": "int64",
    "quarters": "float32",  # multiples of 0.25 are exact in float32
    "noisy": "float64",  # random normals are not
    "huge": "float64",  # 1e40 overflows float32
    "flag": "bool",
}


def assert_same_values(got: pd.DataFrame, original: pd.DataFrame, where: str) -> None:
    assert got.columns.tolist() == original.columns.tolist(), f"{where}: columns {got.columns.tolist()}"
    assert got.index.equals(original.index), f"{where}: the index changed"
    for col in original.columns:
        a, b = got[col], original[col]
        if pd.api.types.is_numeric_dtype(b) and not pd.api.types.is_bool_dtype(b):
            same = np.array_equal(a.to_numpy(dtype="float64"), b.to_numpy(dtype="float64"), equal_nan=True)
        else:
            same = a.astype(object).tolist() == b.astype(object).tolist()
        assert same, f"{where}: the values of column {col!r} changed"


def test_downcast_readme_example(mem):
    df = pd.DataFrame({"age": [31, 45], "km": [40_000, 12], "price": [2.5, 0.25], "ratio": [0.1, 0.2]})
    got = mem.downcast(df)
    dtypes = {col: str(t) for col, t in got.dtypes.items()}
    assert dtypes == {"age": "int8", "km": "int32", "price": "float32", "ratio": "float64"}, (
        f"dtypes: {dtypes}"
    )


@pytest.mark.parametrize("seed", range(2))
def test_downcast_dtypes_and_values(mem, seed):
    df = numeric_frame(seed)
    before = df.copy()
    got = mem.downcast(df)
    assert_frame_equal(df, before, where="the input after downcast (it must not change)")
    for col, dtype in EXPECTED_DTYPES.items():
        assert str(got[col].dtype) == dtype, (
            f"downcast: column {col!r} should be {dtype}, got {got[col].dtype}"
        )
    assert got["city"].dtype == df["city"].dtype, "downcast must leave text columns alone"
    assert_same_values(got, df, "downcast")


def text_frame(seed: int, rows: int = 1000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    half = [f"h{k}" for k in range(rows // 2)] * 2
    return pd.DataFrame(
        {
            "city": rng.choice(["Oslo", "Lima", "Pune", "Kyiv", "Rome"], rows),
            "sku": [f"SKU-{k:06d}" for k in rng.permutation(rows)],
            "half": rng.permutation(np.array(half, dtype=object)).tolist(),  # exactly 50 % distinct
            "grade": pd.Categorical(rng.choice(["a", "b"], rows)),
            "code": rng.integers(0, 3, rows),
        }
    )


def test_categorize(mem):
    df = text_frame(1)
    before = df.copy()
    got = mem.categorize(df)
    assert_frame_equal(df, before, where="the input after categorize (it must not change)")
    assert isinstance(got["city"].dtype, pd.CategoricalDtype), (
        f"5 distinct cities in 1000 rows: category, got {got['city'].dtype}"
    )
    assert got["sku"].dtype == df["sku"].dtype, f"unique ids must stay text, got {got['sku'].dtype}"
    assert got["half"].dtype == df["half"].dtype, (
        "a ratio of exactly 0.5 is not strictly below 0.5: stays text"
    )
    assert isinstance(got["grade"].dtype, pd.CategoricalDtype) and got["code"].dtype == df["code"].dtype
    assert_same_values(got, df, "categorize")
    loose = mem.categorize(df, max_unique_ratio=0.6)
    assert isinstance(loose["half"].dtype, pd.CategoricalDtype), (
        "with max_unique_ratio=0.6, 'half' becomes category"
    )
    assert loose["sku"].dtype == df["sku"].dtype


def typical_frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "store_id": rng.integers(1, 60, ROWS),
            "quantity": rng.integers(0, 500, ROWS),
            "unit_price": rng.integers(1, 4000, ROWS) / 4,
            "temperature": rng.normal(15, 8, ROWS),
            "city": rng.choice(["Oslo", "Lima", "Pune", "Kyiv", "Rome", "Lagos"], ROWS),
            "channel": rng.choice(["web", "shop", "phone"], ROWS),
        }
    )


def test_optimise_halves_memory(mem):
    df = typical_frame(2)
    before_bytes = int(df.memory_usage(deep=True).sum())
    got = mem.optimise(df)
    after_bytes = int(got.memory_usage(deep=True).sum())
    assert after_bytes <= 0.5 * before_bytes, (
        f"optimise: {before_bytes:,} bytes -> {after_bytes:,} bytes ({after_bytes / before_bytes:.0%}); "
        f"at most 50 % expected. dtypes now: {dict(got.dtypes.astype(str))}"
    )
    assert_same_values(got, df, "optimise")
    assert str(got["temperature"].dtype) == "float64", (
        "random normals must stay float64 (float32 would change them)"
    )


@pytest.fixture(scope="module")
def sales_csv(tmp_path_factory):
    rng = np.random.default_rng(3)
    df = pd.DataFrame(
        {
            "store": rng.choice([f"s{k:02d}" for k in range(40)], CSV_ROWS),
            "amount": rng.integers(0, 1000, CSV_ROWS),
            "price": rng.random(CSV_ROWS).round(2),
            "qty": rng.integers(0, 50, CSV_ROWS),
        }
    )
    path = tmp_path_factory.mktemp("q10") / "sales.csv"
    df.to_csv(path, index=False)
    return path


def test_sum_by_chunks_small(mem, tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text("shop,amount,other\nb,5,x\na,2,y\nb,1,z\nc,7,x\na,3,y\n", encoding="utf-8")
    got = mem.sum_by_chunks(path, "shop", "amount", chunksize=2)
    expected = pd.read_csv(path).groupby("shop")["amount"].sum()
    pd.testing.assert_series_equal(got, expected, check_index_type=False)


def test_sum_by_chunks_default_chunksize(mem, sales_csv):
    got = mem.sum_by_chunks(sales_csv, "store", "amount")
    expected = pd.read_csv(sales_csv).groupby("store")["amount"].sum()
    pd.testing.assert_series_equal(got, expected, check_index_type=False)


@pytest.mark.parametrize("chunksize", [7_000, 50_000, 100_000])
def test_sum_by_chunks_equals_full_load(mem, sales_csv, chunksize):
    got = mem.sum_by_chunks(sales_csv, "store", "amount", chunksize=chunksize)
    expected = pd.read_csv(sales_csv).groupby("store")["amount"].sum()
    assert isinstance(got, pd.Series), f"sum_by_chunks should return a Series, got {type(got).__name__}"
    pd.testing.assert_series_equal(got, expected, check_index_type=False)


def _peak(func, *args, **kwargs):
    tracemalloc.start()
    try:
        result = func(*args, **kwargs)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_chunked_peak_below_full_load_peak(mem, sales_csv):
    expected, full_peak = _peak(lambda p: pd.read_csv(p).groupby("store")["amount"].sum(), sales_csv)
    got, chunk_peak = _peak(mem.sum_by_chunks, sales_csv, "store", "amount", chunksize=5_000)
    pd.testing.assert_series_equal(got, expected, check_index_type=False)
    assert chunk_peak * 2 < full_peak, (
        f"sum_by_chunks(chunksize=5,000) peaked at {chunk_peak / 1e6:.2f} MB, a full load at "
        f"{full_peak / 1e6:.2f} MB: reading in chunks should stay under half of that (aggregate each chunk, "
        "do not concatenate the chunks)"
    )


def test_categorize_counts_distinct_present_values(mem):
    """nunique() leaves missing values out: 1 distinct city in 4 rows is a ratio of 0.25, not 0.5."""
    df = pd.DataFrame({"city": ["Oslo", None, None, None], "note": ["a", "b", None, None]})
    got = mem.categorize(df)
    assert isinstance(got["city"].dtype, pd.CategoricalDtype), (
        f"city has 1 distinct value in 4 rows (missing values are not values): ratio 0.25 < 0.5, got {got['city'].dtype}"
    )
    assert got["note"].dtype == df["note"].dtype, (
        "note: 2 distinct values in 4 rows is exactly 0.5: stays text"
    )
    assert_same_values(got, df, "categorize")


def _smallest_int(values) -> str:
    for dtype in ("int8", "int16", "int32", "int64"):
        info = np.iinfo(dtype)
        if all(info.min <= v <= info.max for v in values):
            return dtype
    raise AssertionError("values beyond int64")


def _float32_exact(values) -> bool:
    with np.errstate(over="ignore"):
        return all(np.isnan(v) or float(np.float32(v)) == v for v in values)


@kata_settings(max_examples=40)
@given(df=mixed_frames(kinds=("bool", "int", "float", "str"), min_rows=1, max_rows=8, max_columns=5))
def test_downcast_properties(mem, df):
    """Dtype limits (127/128, 32767/32768, 2**31), float32 traps (0.1, 2**24 + 1, 1e40, large offsets), NaN."""
    before = df.copy()
    got = mem.downcast(df)
    assert_frame_equal(df, before, where="the input after downcast (it must not change)")
    for col in df.columns:
        values, kind = df[col].tolist(), col.rsplit("_", 1)[0]
        if kind == "int":
            wanted = _smallest_int(values)
        elif kind == "float":
            wanted = "float32" if _float32_exact(values) else "float64"
        else:
            wanted = str(df[col].dtype)
        assert str(got[col].dtype) == wanted, (
            f"downcast: column {col!r} with the values {values} should be {wanted}, got {got[col].dtype}"
        )
    assert_same_values(got, df, "downcast")


@kata_settings(max_examples=40)
@given(
    df=mixed_frames(kinds=("str", "str", "int", "category"), min_rows=1, max_rows=12, max_columns=4),
    ratio=hs.sampled_from([0.25, 0.5, 0.75]),
)
def test_categorize_properties(mem, df, ratio):
    before = df.copy()
    got = mem.categorize(df, max_unique_ratio=ratio)
    assert_frame_equal(df, before, where="the input after categorize (it must not change)")
    for col in df.columns:
        values = df[col].tolist()
        if col.startswith("str_"):
            distinct = len({v for v in values if not pd.isna(v)})
            wanted = distinct / len(values) < ratio
            assert isinstance(got[col].dtype, pd.CategoricalDtype) == wanted, (
                f"categorize(max_unique_ratio={ratio}): {col!r} has {distinct} distinct values in {len(values)} rows "
                f"(ratio {distinct / len(values):.3f}): {'category' if wanted else 'unchanged'} expected, "
                f"got {got[col].dtype}"
            )
        else:
            assert got[col].dtype == df[col].dtype, (
                f"categorize: {col!r} should keep its dtype {df[col].dtype}"
            )
    assert_same_values(got, df, "categorize")
