"""Hypothesis settings and strategies that kata tests share.

Kata tests are graded: the same examples must run on every machine and every run, fast enough for the
topic's timing budget. `kata_settings` gives Hypothesis that deterministic, bounded mode; the strategies
reach the edges where README rules matter (ties, empty and single-element inputs, missing values, huge and
non-finite numbers, dtype limits, float32 and large offsets, unicode and whitespace at the ends of text)
instead of only "nice" data.

| strategy | draws |
|---|---|
| `texts(...)` | `str` with unicode (accents, ß/İ/ς case traps, CJK, emoji, combining marks, zero-width space) and whitespace edges |
| `words(...)` | non-empty `str` without whitespace: tokens, keys, labels |
| `numbers(kind, ...)` | one `int` or `float`, often a dtype limit, a value next to it, or a value the caller names |
| `numeric_arrays(...)` | a NumPy array with ties, large offsets, float32 and NaN where allowed |
| `mixed_frames(...)` | a pandas DataFrame of chosen (or drawn) column kinds, with missing values and odd indexes |
| `sql_rows(schema, ...)` | SQL-style rows (tuples or dicts) with NULLs, ties and unique key columns |

Use them with `@given(...)` and `@kata_settings(max_examples=N)`:

```python
from hypothesis import given
from graders.kit.strategies import kata_settings, numeric_arrays

@kata_settings(max_examples=40)
@given(values=numeric_arrays(dtype="float32", allow_nan=True))
def test_never_mutates(values): ...
```

NumPy and pandas are imported only when a strategy that needs them draws, so topics without pandas can use
the rest.
"""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st


def kata_settings(max_examples: int = 60, **overrides) -> _KataSettings:
    """Deterministic, bounded Hypothesis settings for a kata test (same examples every run, no database).

    Use it as a decorator above `@given(...)`. The failing example is shrunk and printed in full; Hypothesis'
    "explain" phase is off: it reruns the test under a line tracer to say which parts of the example matter,
    which multiplies the cost of a failure (a stub, a near miss) a hundredfold on pandas code and runs past
    the per-test timeout.
    """
    return _KataSettings(
        settings(
            max_examples=max_examples,
            derandomize=True,
            database=None,
            deadline=None,
            print_blob=False,
            phases=(Phase.explicit, Phase.generate, Phase.target, Phase.shrink),
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
            **overrides,
        )
    )


class _KataSettings:
    """Hypothesis settings that also keep the falsifying example readable.

    schemathesis' pytest plugin (installed for the deployment topic, loaded in every pytest process) swaps
    Hypothesis' example printer for one that prints nothing, so a failure would read `x=,`. While a kata test
    decorated with these settings runs, Hypothesis' own printer is back; other tests keep whatever is set.
    """

    def __init__(self, chosen: settings):
        self.settings = chosen

    def __getattr__(self, name: str):
        return getattr(self.settings, name)

    def __call__(self, test):
        test = self.settings(test)

        @functools.wraps(test)
        def with_readable_examples(*args, **kwargs):
            from hypothesis import core
            from hypothesis.vendor import pretty

            swapped = core.RepresentationPrinter
            core.RepresentationPrinter = pretty.RepresentationPrinter
            try:
                return test(*args, **kwargs)
            finally:
                core.RepresentationPrinter = swapped

        return with_readable_examples


# ------------------------------------------------------------------------------------------- helpers
# Strategies are built once and reused: creating and validating them inside every draw costs more than the
# drawing itself.


@functools.cache
def _index(n: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=0, max_value=n - 1)


@functools.cache
def _flags(n: int) -> st.SearchStrategy[list[bool]]:
    return st.lists(st.booleans(), min_size=n, max_size=n)


@functools.cache
def _pool_of(element: st.SearchStrategy, size: int = 4, unique: bool = True) -> st.SearchStrategy[list]:
    return st.lists(element, min_size=1, max_size=size, unique=unique)


@functools.cache
def _between(lo: int, hi: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=lo, max_value=hi)


@functools.cache
def _distinct(element: st.SearchStrategy, size: int) -> st.SearchStrategy[list]:
    return st.lists(element, min_size=size, max_size=size, unique=True)


def _gaps(draw, size: int):
    """A boolean mask of `size`: no gap, every value a gap, or gaps here and there."""
    import numpy as np

    mode = draw(_index(4)) if size else 0
    if mode < 2:
        return np.full(size, mode == 1)
    return np.array(draw(_flags(size)), dtype=bool)


def _pick(draw, pool: Sequence):
    return pool[draw(_index(len(pool)))] if len(pool) > 1 else pool[0]


def _tied(draw, element: st.SearchStrategy, size: int, *, null: bool = False) -> list:
    """`size` values, two in three from a small pool of `element` values (ties), the rest fresh or None."""
    pool = draw(_pool_of(element))
    out = []
    for _ in range(size):
        choice = draw(_index(4 if null else 3))
        out.append(_pick(draw, pool) if choice < 2 else (draw(element) if choice == 2 else None))
    return out


# ---------------------------------------------------------------------------------------------- text

#: Whitespace that `str.split()` and `str.strip()` treat as whitespace, ASCII first.
ASCII_WHITESPACE = (" ", "  ", "\t", "\n", "\r\n", "\r", "\x0b", "\x0c")
#: Unicode whitespace: no-break space, em space, ideographic space, line separator (all `isspace()`).
UNICODE_WHITESPACE = ("\u00a0", "\u2003", "\u3000", "\u2028")
#: Characters that break naive text handling: accents (precomposed and combining), case traps (ß upper-cases
#: to SS, İ lower-cases to two code points, final sigma), CJK, an emoji outside the BMP, right-to-left
#: script, a zero-width space (not whitespace for `isspace()`), and the ligature ﬁ.
UNICODE_TRAPS = "éÉñØåÅ\u0301ßİıΣσςﬁ日本語😀ا\u200b"
_PLAIN = string.ascii_letters + string.digits + string.punctuation


@functools.cache
def texts(
    min_size: int = 0,
    max_size: int = 10,
    *,
    unicode: bool = True,
    whitespace_edges: bool = True,
    whitespace_inside: bool = True,
    unicode_whitespace: bool = True,
    exclude: str = "",
) -> st.SearchStrategy[str]:
    """Strings of `min_size..max_size` core characters, with optional whitespace before and after.

    `unicode` mixes `UNICODE_TRAPS` into ASCII letters, digits and punctuation; `whitespace_edges` sometimes
    pads the core with leading and/or trailing whitespace (`ASCII_WHITESPACE`, plus `UNICODE_WHITESPACE` when
    `unicode_whitespace`); `whitespace_inside` lets spaces and tabs appear inside the core. Characters in
    `exclude` never appear (for example the separators of a format). NUL (`"\\x00"`) is never drawn.
    """
    chars = _PLAIN + (UNICODE_TRAPS if unicode else "") + (" \t" if whitespace_inside else "")
    chars = "".join(c for c in chars if c not in exclude)
    core = st.text(alphabet=st.sampled_from(chars), min_size=min_size, max_size=max_size)
    if not whitespace_edges:
        return core
    pads = ASCII_WHITESPACE + (UNICODE_WHITESPACE if unicode_whitespace else ())
    pads = tuple(p for p in pads if not set(p) & set(exclude))
    edge = st.one_of(st.just(""), st.sampled_from(pads))
    return st.tuples(edge, core, edge).map("".join)


def words(
    min_size: int = 1, max_size: int = 8, *, unicode: bool = True, exclude: str = ""
) -> st.SearchStrategy[str]:
    """Non-empty strings without any whitespace: tokens, keys, labels (see `texts` for the alphabet)."""
    return texts(
        max(min_size, 1),
        max_size,
        unicode=unicode,
        whitespace_edges=False,
        whitespace_inside=False,
        exclude=exclude,
    )


# ------------------------------------------------------------------------------------------- numbers

#: Integers at the limits of the signed NumPy dtypes and one step beyond, plus 2**53 + 1 (the first
#: integer a float64 cannot hold).
EDGE_INTS = (
    0, 1, -1, 2, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769,
    2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**53 + 1, 2**63 - 1, -(2**63),
)  # fmt: skip
#: Floats where arithmetic and dtypes misbehave: signed zero, 0.1 (inexact in binary), the float32 limits,
#: 2**24 + 1 (the first integer float32 cannot hold), 2**53, subnormals, huge values.
EDGE_FLOATS = (
    0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.25, 1 / 3, 16777216.0, 16777217.0, 3.4028234663852886e38, 1.1754943508222875e-38,
    9007199254740992.0, 5e-324, 1e-300, 1e16, 1e40, 1e300,
)  # fmt: skip
#: Offsets that turn small differences into cancellation problems (naive variance, float32 sums).
LARGE_OFFSETS = (1e6, 2.0**24, 1e9, 1e12)


def _in_range(value, lo, hi) -> bool:
    return (lo is None or value >= lo) and (hi is None or value <= hi)


def numbers(
    kind: str = "float",
    *,
    min_value: float | None = None,
    max_value: float | None = None,
    allow_nan: bool = False,
    allow_infinity: bool = False,
    edges: Sequence[float] = (),
    width: int = 64,
) -> st.SearchStrategy:
    """One number of `kind` `"int"` or `"float"` in `[min_value, max_value]`.

    About half the draws come from the edges (`EDGE_INTS` / `EDGE_FLOATS` within the range, and the
    caller's `edges`, such as a threshold and its neighbours); the rest anywhere in the range. `width=32`
    draws floats exactly representable in float32.
    """
    return _numbers(kind, min_value, max_value, allow_nan, allow_infinity, tuple(edges), width)


@functools.cache
def _numbers(kind, min_value, max_value, allow_nan, allow_infinity, edges, width) -> st.SearchStrategy:
    if kind == "int":
        lo = None if min_value is None else int(min_value)
        hi = None if max_value is None else int(max_value)
        pool = [v for v in (*EDGE_INTS, *edges) if _in_range(v, lo, hi)]
        free = st.integers(min_value=lo, max_value=hi)
    elif kind == "float":
        pool = [float(v) for v in (*EDGE_FLOATS, *edges) if _in_range(v, min_value, max_value)]
        if width == 32:
            import numpy as np

            pool = [v for v in pool if float(np.float32(v)) == v]
        free = st.floats(
            min_value=min_value, max_value=max_value, allow_nan=False, allow_infinity=False, width=width
        )
        if allow_nan:  # NaN and the infinities come from the pool: st.floats refuses them with bounds
            pool.append(float("nan"))
        if allow_infinity:
            pool.extend(v for v in (float("inf"), float("-inf")) if _in_range(v, min_value, max_value))
    else:
        raise ValueError(f"numbers(kind={kind!r}): kind must be 'int' or 'float'")
    return st.one_of(st.sampled_from(pool), free) if pool else free


@st.composite
def numeric_arrays(
    draw,
    dtype: str = "float64",
    *,
    min_size: int = 0,
    max_size: int = 20,
    min_value: float | None = None,
    max_value: float | None = None,
    allow_nan: bool = False,
    ties: bool = True,
    large_offsets: bool = True,
    edges: Sequence[float] = (),
):
    """A 1-D NumPy array of `dtype` (`"int8"` … `"int64"`, `"float32"`, `"float64"`).

    - `ties`: most elements come from a small pool of distinct values, so duplicates and plateaus are common
      (every element equal, too);
    - `large_offsets` (floats only): sometimes a constant from `LARGE_OFFSETS` is added to every element, so
      the values share a big magnitude and differ only in their last digits;
    - `allow_nan` (floats only): some elements are NaN (sometimes all of them);
    - `edges`: values the caller wants hit exactly, such as a threshold.

    Values respect `min_value`/`max_value` and the dtype's own range before an offset is added; float32 arrays
    hold float32 values (the cast happens last).
    """
    import numpy as np

    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
    if info is not None:
        lo = int(info.min) if min_value is None else max(int(min_value), int(info.min))
        hi = int(info.max) if max_value is None else min(int(max_value), int(info.max))
        element = numbers("int", min_value=lo, max_value=hi, edges=edges)
    else:
        width = 32 if np.dtype(dtype) == np.float32 else 64
        lo = min_value if min_value is not None else (-(2.0**100) if width == 32 else None)
        hi = max_value if max_value is not None else (2.0**100 if width == 32 else None)
        if width == 32:  # st.floats(width=32) wants bounds that float32 holds exactly: round inwards
            lo = float(np.nextafter(np.float32(lo), np.float32(np.inf))) if float(np.float32(lo)) < lo else lo
            hi = (
                float(np.nextafter(np.float32(hi), np.float32(-np.inf))) if float(np.float32(hi)) > hi else hi
            )
            lo, hi = float(np.float32(lo)), float(np.float32(hi))
        element = numbers("float", min_value=lo, max_value=hi, edges=edges, width=width)
    size = draw(_between(min_size, max_size))
    values = _tied(draw, element, size) if ties else [draw(element) for _ in range(size)]
    if info is not None:
        return np.array(values, dtype=dtype)
    out = np.array(values, dtype="float64")
    if large_offsets and out.size and draw(st.booleans()):
        out = out + _pick(draw, LARGE_OFFSETS)
    if allow_nan and out.size:
        out[_gaps(draw, out.size)] = np.nan
    with np.errstate(over="ignore"):
        return out.astype(dtype)


# -------------------------------------------------------------------------------------------- frames

#: The column kinds `mixed_frames` knows, and the dtype each gives (pandas 3 names).
FRAME_KINDS = {
    "int": "int64",  # never missing (NumPy ints have no NaN)
    "float": "float64",  # NaN where missing
    "float32": "float32",
    "str": "str",  # text with unicode and whitespace edges; NaN where missing
    "bool": "bool",  # never missing
    "category": "category",  # a few labels; NaN where missing
    "nullable_int": "Int64",  # pandas' nullable integers: pd.NA where missing
    "datetime": "datetime64[ns]",  # naive timestamps; NaT where missing
    "datetime_tz": "datetime64[ns, Europe/Oslo]",  # aware, around the DST changes; NaT where missing
}
_DST_EDGES = ("2024-03-31 00:30", "2024-03-31 03:30", "2024-10-27 00:30", "2024-10-27 03:30")
_MOMENTS = st.one_of(
    st.sampled_from([dt.datetime.fromisoformat(v) for v in _DST_EDGES]),
    st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)


@st.composite
def _column(draw, kind: str, rows: int, missing: bool, magnitude: float | None = None):
    import numpy as np
    import pandas as pd

    if kind not in FRAME_KINDS:
        raise ValueError(f"unknown column kind {kind!r}: choose from {', '.join(FRAME_KINDS)}")
    gaps = _gaps(draw, rows) if missing and kind not in ("int", "bool") else np.zeros(rows, dtype=bool)
    ints = int(min(10**12, magnitude if magnitude is not None else 10**12))
    if kind in ("int", "nullable_int"):
        values = draw(numeric_arrays("int64", min_size=rows, max_size=rows, min_value=-ints, max_value=ints))
        series = pd.Series(values, dtype="Int64" if kind == "nullable_int" else "int64")
    elif kind in ("float", "float32"):
        bound = {} if magnitude is None else {"min_value": -magnitude, "max_value": magnitude}
        values = draw(
            numeric_arrays(kind if kind == "float32" else "float64", min_size=rows, max_size=rows, **bound)
        )
        series = pd.Series(values)
    elif kind == "bool":
        series = pd.Series(draw(_flags(rows)), dtype=bool)
    elif kind in ("str", "category"):
        pool = draw(_pool_of(texts(0, 6)))
        series = pd.Series(
            [_pick(draw, pool) for _ in range(rows)], dtype="str" if kind == "str" else "category"
        )
    else:
        stamps = pd.DatetimeIndex(
            [pd.Timestamp(v) for v in _tied(draw, _MOMENTS, rows)], dtype="datetime64[ns]"
        )
        if kind == "datetime_tz":
            # an hour that happens twice is read as standard time; one that never happens moves forward
            stamps = stamps.tz_localize(
                "Europe/Oslo", ambiguous=np.zeros(rows, bool), nonexistent="shift_forward"
            )
        series = pd.Series(stamps)
    return series.mask(pd.Series(gaps)) if gaps.any() else series


@st.composite
def mixed_frames(
    draw,
    columns: Mapping[str, str] | None = None,
    *,
    min_rows: int = 0,
    max_rows: int = 12,
    missing: bool | Collection[str] = True,
    index: str = "range",
    kinds: Sequence[str] = ("int", "float", "str", "bool"),
    max_columns: int = 4,
    magnitude: float | None = None,
):
    """A pandas DataFrame with `min_rows..max_rows` rows.

    `columns` maps each column name to a kind of `FRAME_KINDS`; without it, 1..`max_columns` columns of
    kinds drawn from `kinds` are named `<kind>_<position>` (`float_0`, `str_1`, ...). `missing`: True lets
    every kind that can hold a gap have one (any number of them, all of a column included), False none, or
    the names of the columns that may. Numeric columns tie often; text columns repeat a few values.
    `index`: `"range"` (0..n-1), `"shuffled"` (unique integers, neither 0..n-1 nor sorted) or `"text"`
    (unique labels). `magnitude` bounds the numbers drawn (before a large offset, see `numeric_arrays`) when
    sums of huge values would overflow; ints stay within ±10**12 anyway.
    """
    import pandas as pd

    rows = draw(_between(min_rows, max_rows))
    if columns is None:
        kinds = tuple(kinds)
        drawn = [_pick(draw, kinds) for _ in range(draw(_between(1, max_columns)))]
        columns = {f"{kind}_{k}": kind for k, kind in enumerate(drawn)}
    data = {}
    for name, kind in columns.items():
        may_miss = missing if isinstance(missing, bool) else name in missing
        data[name] = draw(_column(kind, rows, may_miss, magnitude))
    if index == "range":
        labels = pd.RangeIndex(rows)
    elif index == "shuffled":
        ints = draw(st.lists(st.integers(-1000, 10_000), min_size=rows, max_size=rows, unique=True))
        if rows > 1 and ints == list(range(rows)):
            ints = [i + 1 for i in ints]
        labels = pd.Index(ints, dtype="int64")
    elif index == "text":
        labels = pd.Index(draw(st.lists(words(1, 6), min_size=rows, max_size=rows, unique=True)), dtype="str")
    else:
        raise ValueError(f"mixed_frames(index={index!r}): use 'range', 'shuffled' or 'text'")
    frame = pd.DataFrame(data, index=pd.RangeIndex(rows))
    frame.index = labels
    return frame


# ---------------------------------------------------------------------------------------------- SQL

#: The SQL column kinds `sql_rows` knows and the Python values they hold (NULL is `None`).
SQL_KINDS = ("int", "bigint", "real", "text", "bool", "date", "timestamp")


@functools.cache
def _sql_values(kind: str) -> st.SearchStrategy:
    if kind == "int":
        return numbers("int", min_value=-(2**31), max_value=2**31 - 1)
    if kind == "bigint":
        return numbers("int", min_value=-(2**63), max_value=2**63 - 1)
    if kind == "real":
        return numbers("float", min_value=-1e15, max_value=1e15)
    if kind == "text":
        return texts(0, 8, exclude="\x00")  # PostgreSQL text cannot hold NUL
    if kind == "bool":
        return st.booleans()
    if kind == "date":
        return st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2100, 12, 31))
    if kind == "timestamp":
        return st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1))
    raise ValueError(f"unknown SQL kind {kind!r}: choose from {', '.join(SQL_KINDS)}")


@st.composite
def sql_rows(
    draw,
    schema: Mapping[str, str],
    *,
    min_size: int = 0,
    max_size: int = 12,
    nulls: bool | Collection[str] = True,
    unique: Collection[str] = (),
    as_dicts: bool = False,
):
    """A list of rows for a table whose columns `schema` maps to kinds of `SQL_KINDS`.

    Each row is a tuple in schema order, or a dict when `as_dicts`. Values come from a small pool per
    column, so ties (equal values in different rows) are common. `nulls`: True lets every column that is
    not in `unique` be NULL (`None`), False none, or the names of the nullable columns. Columns in `unique`
    hold distinct, non-NULL values (a primary key).
    """
    names = list(schema)
    size = draw(_between(min_size, max_size))
    columns: dict[str, list[Any]] = {}
    for name in names:
        values = _sql_values(schema[name])
        if name in unique:
            columns[name] = draw(_distinct(values, size))
            continue
        nullable = (nulls is True) or (not isinstance(nulls, bool) and name in nulls)
        columns[name] = _tied(draw, values, size, null=nullable)
    rows = list(zip(*(columns[name] for name in names), strict=True)) if names else [()] * size
    return [dict(zip(names, row, strict=True)) for row in rows] if as_dicts else rows
