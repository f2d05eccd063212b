"""Hidden-test style checks for data_engineering/e01: a chunked CSV aggregate equals the full read, in less memory."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from graders.kit.checks import assert_frame_equal
from graders.kit.strategies import kata_settings

REGIONS = np.array(["north", "south", "east", "west", "central"])


def make_sales(n: int, seed: int, rare: int = 3) -> pd.DataFrame:
    """Random orders; the region 'islands' appears only `rare` times, so most chunks never see it."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "order_id": np.arange(1, n + 1),
            "region": REGIONS[rng.integers(0, len(REGIONS), n)],
            "amount": rng.uniform(1, 500, n).round(2),
            "quantity": rng.integers(1, 10, n),
            "customer": rng.integers(1, 10_000, n),
        }
    )
    if rare:
        frame.loc[rng.choice(n, size=rare, replace=False), "region"] = "islands"
    return frame


def reference(frame: pd.DataFrame) -> pd.DataFrame:
    value = frame["amount"] * frame["quantity"]
    out = pd.DataFrame(
        {
            "orders": frame.groupby("region").size().astype("int64"),
            "revenue": value.groupby(frame["region"]).sum().astype("float64"),
        }
    )
    out["avg_order"] = out["revenue"] / out["orders"]
    out.index.name = "region"
    return out.sort_index()


@pytest.fixture
def chunked(kata):
    return kata.module("chunked")


def check(result: pd.DataFrame, expected: pd.DataFrame, where: str) -> None:
    assert isinstance(result, pd.DataFrame), f"{where}: expected a DataFrame, got {type(result).__name__}"
    assert list(result.columns) == ["orders", "revenue", "avg_order"], (
        f"{where}: columns should be ['orders', 'revenue', 'avg_order'], got {list(result.columns)}"
    )
    assert result.index.name == "region", (
        f"{where}: the index should be named 'region', got {result.index.name!r}"
    )
    assert_frame_equal(result, expected, where=where, check_index_type=False, rtol=1e-9)


@pytest.mark.parametrize(("seed", "n", "chunksize"), [(0, 50, 7), (1, 1000, 64), (2, 333, 1000)])
def test_equals_the_full_read(chunked, tmp_path, seed, n, chunksize):
    frame = make_sales(n, seed)
    path = tmp_path / "sales.csv"
    frame.to_csv(path, index=False)
    result = chunked.region_totals(str(path), chunksize=chunksize)
    check(result, reference(frame), f"region_totals(chunksize={chunksize}) on {n} rows")


def test_chunksize_does_not_change_the_answer(chunked, tmp_path):
    frame = make_sales(2000, 7, rare=2)
    frame.to_csv(tmp_path / "sales.csv", index=False)
    small = make_sales(60, 8, rare=1)
    small.to_csv(tmp_path / "small.csv", index=False)
    for name, data, chunksize in [
        ("small", small, 1),
        ("small", small, 4),
        ("sales", frame, 250),
        ("sales", frame, 5000),
    ]:
        result = chunked.region_totals(str(tmp_path / f"{name}.csv"), chunksize=chunksize)
        check(result, reference(data), f"region_totals({name}.csv, chunksize={chunksize})")
    result = chunked.region_totals(str(tmp_path / "sales.csv"))  # the default chunksize, 50_000
    check(result, reference(frame), "region_totals(sales.csv) with the default chunksize")


@st.composite
def _orders(draw):
    """0 to 30 orders over a few regions (some never or once seen), and a chunk size from 1 to past the end."""
    n = draw(st.integers(0, 30))
    column = lambda element: draw(st.lists(element, min_size=n, max_size=n))  # noqa: E731
    cents = np.array(column(st.integers(0, 50_000)), dtype="int64")
    # sometimes whole amounts, written as integers: the revenue is float64 all the same
    amount = cents // 100 if draw(st.booleans()) else cents / 100
    frame = pd.DataFrame(
        {
            "order_id": np.arange(1, n + 1),
            "region": column(st.sampled_from(["north", "south", "east", "islands"])),
            "amount": amount,
            "quantity": column(st.integers(1, 9)),
            "customer": column(st.integers(1, 99)),
        }
    )
    return frame, draw(st.integers(1, n + 2))


@kata_settings(max_examples=20)
@given(case=_orders())
@example(case=(make_sales(1, 0, rare=0), 1))
@example(case=(make_sales(6, 1, rare=1), 6))
def test_any_file_and_chunk_size_give_the_full_answer(chunked, tmp_path, case):
    """Empty and one-row files, a region in one chunk only, a chunk size of 1, equal to the rows or beyond them."""
    frame, chunksize = case
    path = tmp_path / "orders.csv"
    frame.to_csv(path, index=False)
    result = chunked.region_totals(str(path), chunksize=chunksize)
    where = f"region_totals(chunksize={chunksize}) on {len(frame)} rows"
    if frame.empty:
        assert isinstance(result, pd.DataFrame) and len(result) == 0, (
            f"{where}: expected no rows, got {result!r}"
        )
        assert list(result.columns) == ["orders", "revenue", "avg_order"], f"{where}: {list(result.columns)}"
        return
    check(result, reference(frame), where)


def test_header_only_file(chunked, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("order_id,region,amount,quantity,customer\n")
    result = chunked.region_totals(str(path), chunksize=10)
    assert isinstance(result, pd.DataFrame) and len(result) == 0, (
        f"a header-only file gives no rows, got {result!r}"
    )
    assert list(result.columns) == ["orders", "revenue", "avg_order"], f"columns: {list(result.columns)}"
    dtypes = {name: str(dtype) for name, dtype in result.dtypes.items()}
    assert dtypes == {"orders": "int64", "revenue": "float64", "avg_order": "float64"}, (
        f"the empty frame keeps the dtypes int64, float64, float64: got {dtypes}"
    )


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    import pyarrow as pa
    import pyarrow.csv

    frame = make_sales(80_000, 42)
    path = tmp_path_factory.mktemp("big") / "big.csv"
    pyarrow.csv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), path)  # much faster than to_csv
    return path


def _peak(func) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = func()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_peak_memory_stays_well_below_a_full_read(chunked, big_csv):
    path = big_csv
    expected, full_peak = _peak(lambda: reference(pd.read_csv(path)))
    result, peak = _peak(lambda: chunked.region_totals(str(path), chunksize=5_000))
    check(result, expected, "region_totals on 80,000 rows")
    assert peak < 0.35 * full_peak, (
        f"peak memory {peak / 1e6:.1f} MB is not well below the {full_peak / 1e6:.1f} MB of a full read: "
        "read the file in chunks and keep only running totals"
    )
