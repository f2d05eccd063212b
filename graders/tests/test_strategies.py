"""The shared Hypothesis strategies: deterministic, within their bounds, and reaching the edges they promise."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.strategies import (
    ASCII_WHITESPACE,
    EDGE_INTS,
    FRAME_KINDS,
    UNICODE_TRAPS,
    kata_settings,
    mixed_frames,
    numbers,
    numeric_arrays,
    sql_rows,
    texts,
    words,
)


def collect(strategy: st.SearchStrategy, examples: int = 80) -> list:
    """Every value one deterministic run of a @given test draws."""
    seen: list = []

    @kata_settings(max_examples=examples)
    @given(strategy)
    def run(value):
        seen.append(value)

    run()
    return seen


def canonical(value) -> str:
    """A repr that compares NaN with NaN and frames cell by cell."""
    if isinstance(value, pd.DataFrame):
        cells = value.astype(object).where(value.notna(), None).to_numpy().tolist()
        return repr((value.columns.tolist(), value.dtypes.astype(str).tolist(), value.index.tolist(), cells))
    if isinstance(value, np.ndarray):
        return repr((str(value.dtype), value.tolist()))
    return repr(value)


def test_kata_settings_are_deterministic_and_bounded():
    chosen = kata_settings(max_examples=7)
    assert chosen.max_examples == 7 and chosen.derandomize and chosen.database is None
    assert chosen.deadline is None


def test_failures_print_the_example_even_under_a_silenced_printer(monkeypatch):
    from hypothesis import core
    from hypothesis.vendor import pretty

    class Silent(pretty.RepresentationPrinter):  # what schemathesis' pytest plugin installs
        def pretty(self, obj, *, cycle=False):
            return None

    monkeypatch.setattr(core, "RepresentationPrinter", Silent)

    @kata_settings(max_examples=20)
    @given(values=st.lists(st.integers(0, 9)))
    def failing(values):
        assert len(values) < 2, "two values or more"

    with pytest.raises(AssertionError) as info:
        failing()
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "values=[0, 0]" in notes, f"the shrunk example should be printed: {notes!r}"
    assert core.RepresentationPrinter is Silent, "the printer in place before the test should come back"


STRATEGIES = {
    "texts": texts(),
    "words": words(),
    "numbers(int)": numbers("int"),
    "numbers(float)": numbers("float", allow_nan=True),
    "numeric_arrays(float32)": numeric_arrays("float32", allow_nan=True),
    "numeric_arrays(int16)": numeric_arrays("int16"),
    "mixed_frames": mixed_frames(kinds=tuple(FRAME_KINDS), index="shuffled"),
    "sql_rows": sql_rows({"id": "int", "name": "text", "amount": "real", "day": "date"}, unique=["id"]),
}


@pytest.mark.parametrize("name", list(STRATEGIES))
def test_same_examples_every_run(name):
    first = [canonical(v) for v in collect(STRATEGIES[name], 40)]
    second = [canonical(v) for v in collect(STRATEGIES[name], 40)]
    assert first == second, f"{name}: two runs drew different examples"
    assert len(set(first)) > 5, f"{name}: 40 examples but only {len(set(first))} distinct ones"


def test_texts_reach_whitespace_and_unicode_edges():
    drawn = collect(texts(), 150)
    assert any(t != t.strip() and t.strip() for t in drawn), "no text with surrounding whitespace"
    assert any(t and t[0] in "\u00a0\u2003\u3000\u2028" for t in drawn), "no leading unicode whitespace"
    assert any(set(t) & set(UNICODE_TRAPS) for t in drawn), "no non-ASCII character"
    assert "" in drawn or any(not t.strip() for t in drawn), "no empty or blank text"


def test_texts_honour_their_options():
    plain = collect(texts(1, 6, unicode=False, whitespace_edges=False, exclude=";=,"), 80)
    assert all(t.isascii() and 1 <= len(t) <= 6 and not set(t) & set(";=,") for t in plain), plain
    ascii_pads = collect(texts(unicode_whitespace=False, exclude="\t"), 80)
    assert all("\u00a0" not in t and "\u3000" not in t and "\t" not in t for t in ascii_pads)
    tokens = collect(words(), 80)
    assert all(t and not any(c.isspace() for c in t) for t in tokens), "words() must not hold whitespace"
    assert ASCII_WHITESPACE[0] == " "


def test_numbers_hit_the_edges_inside_their_range():
    ints = collect(numbers("int", min_value=-200, max_value=200, edges=(42,)), 150)
    assert all(isinstance(v, int) and -200 <= v <= 200 for v in ints)
    assert {42, 127, 128, -128, -129} <= set(ints), "the named edge and the int8 limits should be drawn"
    floats = collect(numbers("float", min_value=0.0, max_value=1.0, allow_nan=True, edges=(0.75,)), 150)
    assert any(math.isnan(v) for v in floats) and 0.75 in floats and 0.1 in floats
    assert all(math.isnan(v) or 0.0 <= v <= 1.0 for v in floats)
    with pytest.raises(ValueError, match="kind"):
        numbers("complex")


def test_numeric_arrays_have_ties_offsets_and_nan():
    arrays = collect(numeric_arrays(allow_nan=True, min_size=2), 150)
    assert all(a.dtype == np.float64 and a.size >= 2 for a in arrays)
    assert any(np.isnan(a).any() for a in arrays), "no NaN although allowed"
    assert any(np.isnan(a).all() for a in arrays), "never an all-NaN array"
    present = [a[~np.isnan(a)] for a in arrays]
    assert any(p.size > 1 and np.unique(p).size < p.size for p in present), "no ties"
    assert any(p.size > 1 and np.unique(p).size == 1 for p in present), "no plateau (all values equal)"
    assert any(p.size and np.abs(p).min() >= 1e6 for p in present), "no array with a large offset"
    clean = collect(numeric_arrays(max_size=5), 80)
    assert not any(np.isnan(a).any() for a in clean), "NaN drawn although not allowed"
    assert any(a.size == 0 for a in clean) and any(a.size == 1 for a in clean), "empty and single inputs"


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "float32"])
def test_numeric_arrays_keep_dtype_and_bounds(dtype):
    arrays = collect(numeric_arrays(dtype, min_value=-100, max_value=100, large_offsets=False), 60)
    assert all(a.dtype == np.dtype(dtype) for a in arrays), {str(a.dtype) for a in arrays}
    assert all(((a >= -100) & (a <= 100)).all() for a in arrays)
    limits = collect(numeric_arrays("int8"), 100)
    assert any((a == 127).any() for a in limits) and any((a == -128).any() for a in limits), "int8 limits"


def test_numeric_arrays_reach_float32_traps():
    drawn = collect(numeric_arrays(edges=(16777217.0,), large_offsets=False), 120)
    assert any((a == 16777217.0).any() for a in drawn), "the named edge 2**24 + 1 is never drawn"
    assert any((a == 0.1).any() for a in drawn), "0.1 (inexact in float32) is never drawn"


def test_mixed_frames_follow_the_columns_asked_for():
    columns = {kind: kind for kind in FRAME_KINDS}
    frames = collect(mixed_frames(columns, min_rows=1, max_rows=6), 30)
    for frame in frames:
        assert frame.columns.tolist() == list(columns)
        dtypes = {name: str(dtype) for name, dtype in frame.dtypes.items()}
        assert dtypes == FRAME_KINDS, dtypes
        assert not frame["int"].isna().any() and not frame["bool"].isna().any()
        assert 1 <= len(frame) <= 6 and frame.index.equals(pd.RangeIndex(len(frame)))
    for kind in ("float", "str", "category", "nullable_int", "datetime", "datetime_tz"):
        assert any(frame[kind].isna().any() for frame in frames), f"{kind}: never a missing value"
        assert any(frame[kind].notna().all() for frame in frames), f"{kind}: always a missing value"


def test_mixed_frames_missing_and_indexes():
    complete = collect(mixed_frames(kinds=tuple(FRAME_KINDS), missing=False), 30)
    assert not any(frame.isna().any().any() for frame in complete), "missing=False drew a gap"
    some = collect(mixed_frames({"a": "float", "b": "float"}, missing=["b"]), 30)
    assert not any(f["a"].isna().any() for f in some) and any(f["b"].isna().any() for f in some)
    for frame in collect(mixed_frames({"a": "int"}, index="shuffled", min_rows=2), 25):
        assert frame.index.is_unique and not frame.index.equals(pd.RangeIndex(len(frame)))
    for frame in collect(mixed_frames({"a": "int"}, index="text"), 25):
        assert frame.index.is_unique and all(isinstance(label, str) for label in frame.index)
    drawn = collect(mixed_frames(), 40)
    assert any(len(f) == 0 for f in drawn) and any(f.shape[1] > 1 for f in drawn)
    with pytest.raises(ValueError, match="kind"):
        collect(mixed_frames({"x": "complex"}), 1)


SCHEMA = {"id": "int", "name": "text", "amount": "real", "paid": "bool", "day": "date", "big": "bigint"}


def test_sql_rows_keys_nulls_and_ties():
    tables = collect(sql_rows(SCHEMA, unique=["id"], min_size=2), 50)
    for rows in tables:
        assert all(isinstance(r, tuple) and len(r) == len(SCHEMA) for r in rows)
        ids = [r[0] for r in rows]
        assert None not in ids and len(set(ids)) == len(ids), f"id must be a key: {ids}"
        assert all(-(2**31) <= i < 2**31 for i in ids)
        assert all(r[1] is None or "\x00" not in r[1] for r in rows)
    assert any(r[1] is None for rows in tables for r in rows), "no NULL text"
    assert any(len({r[2] for r in rows}) < len(rows) for rows in tables), "no ties in amount"
    strict = collect(sql_rows(SCHEMA, nulls=["name"], as_dicts=True), 30)
    for rows in strict:
        for row in rows:
            assert list(row) == list(SCHEMA)
            assert all(v is not None for k, v in row.items() if k != "name"), row
    with pytest.raises(ValueError, match="SQL kind"):
        collect(sql_rows({"x": "blob"}), 1)
    assert min(EDGE_INTS) == -(2**63)
