"""Result comparison and plan helpers for the SQL katas.

`assert_rows_equal` compares a query result (rows as tuples, or a DataFrame) with the expected rows under a
policy stated by the kata (row order matters or not, column names checked or not, numeric tolerance) and says
in its failure message which policy applied and which row differs.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Policy:
    ordered: bool = True
    rel_tol: float = 0.0
    abs_tol: float = 0.0
    check_columns: bool = True

    def describe(self) -> str:
        order = "row order matters" if self.ordered else "row order does not matter"
        if self.rel_tol or self.abs_tol:
            numbers = f"numbers equal within rel {self.rel_tol:g} / abs {self.abs_tol:g}"
        else:
            numbers = "numbers equal exactly (int, float and Decimal compare by value)"
        columns = "column names checked" if self.check_columns else "column names not checked"
        return f"policy: {order}; {numbers}; {columns}; NULL, None and NaN count as the same missing value"


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return isinstance(value, float) and math.isnan(value)
    except TypeError:
        return False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _plain(value: Any) -> Any:
    """numpy scalars and pandas NA/NaT → plain Python values."""
    if value is None:
        return None
    pd = sys.modules.get("pandas")  # never imported just for this: without pandas there is no pandas value
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return None
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        return item()
    return value


def values_equal(a: Any, b: Any, policy: Policy = Policy()) -> bool:
    a, b = _plain(a), _plain(b)
    if _is_missing(a) or _is_missing(b):
        return _is_missing(a) and _is_missing(b)
    if _is_number(a) and _is_number(b):
        if isinstance(a, Decimal) and isinstance(b, Decimal) and not (policy.rel_tol or policy.abs_tol):
            return a == b
        return math.isclose(float(a), float(b), rel_tol=policy.rel_tol, abs_tol=policy.abs_tol)
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return a == b


def rows_of(result: Any) -> tuple[list[str] | None, list[tuple]]:
    """(column names or None, rows as tuples) from a DataFrame, a list of dicts, or a list of sequences."""
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(result, pd.DataFrame):
        return [str(c) for c in result.columns], [
            tuple(_plain(v) for v in row) for row in result.itertuples(index=False)
        ]
    rows = list(result)
    if rows and isinstance(rows[0], dict):
        columns = list(rows[0])
        return columns, [tuple(row[c] for c in columns) for row in rows]
    return None, [tuple(row) for row in rows]


def _sort_key(row: tuple) -> tuple:
    key = []
    for value in row:
        value = _plain(value)
        if _is_missing(value):
            key.append((2, 0, ""))
        elif _is_number(value):
            key.append((0, float(value), ""))
        else:
            key.append((1, 0, str(value)))
    return tuple(key)


def _show(row: Sequence) -> str:
    return "(" + ", ".join(repr(_plain(v)) for v in row) + ")"


def assert_rows_equal(
    actual: Any,
    expected: Iterable[Sequence] | Any,
    *,
    columns: Sequence[str] | None = None,
    ordered: bool = True,
    rel_tol: float = 0.0,
    abs_tol: float = 0.0,
    where: str = "result",
) -> None:
    """Rows equal under the stated policy; the message names the policy and the first row that differs.

    `columns`: the expected column names (checked when the actual result has names: a DataFrame, dicts or a
    cursor's description given as `actual=(names, rows)`).
    """
    policy = Policy(ordered=ordered, rel_tol=rel_tol, abs_tol=abs_tol, check_columns=columns is not None)
    if isinstance(actual, tuple) and len(actual) == 2 and isinstance(actual[0], list | tuple | type(None)):
        got_columns, got = actual[0], [tuple(r) for r in actual[1]]
    else:
        got_columns, got = rows_of(actual)
    _, want = rows_of(expected)
    head = f"{where}: ({policy.describe()})"
    if columns is not None:
        assert got_columns is not None, f"{head}\n  expected columns {list(columns)}, got rows without names"
        assert list(got_columns) == list(columns), (
            f"{head}\n  columns {list(got_columns)} != expected {list(columns)}"
        )
    for index, row in enumerate(got):
        assert len(row) == len(want[0] if want else row), (
            f"{head}\n  row {index} has {len(row)} values, expected {len(want[0])}: {_show(row)}"
        )
    if not ordered:
        if not (rel_tol or abs_tol):
            missing, extra = _multiset_diff(got, want)
            if missing or extra:
                lines = [f"{head}", f"  got {len(got)} rows, expected {len(want)}"]
                if missing:
                    lines.append(f"  {len(missing)} expected row(s) missing, e.g. {_show(missing[0])}")
                if extra:
                    lines.append(f"  {len(extra)} unexpected row(s), e.g. {_show(extra[0])}")
                raise AssertionError("\n".join(lines))
            return
        got, want = sorted(got, key=_sort_key), sorted(want, key=_sort_key)
    assert len(got) == len(want), f"{head}\n  got {len(got)} rows, expected {len(want)}" + _first_diff(
        got, want, policy
    )
    for index, (a, b) in enumerate(zip(got, want, strict=True)):
        for column, (x, y) in enumerate(zip(a, b, strict=True)):
            if not values_equal(x, y, policy):
                name = f" ({got_columns[column]!r})" if got_columns and column < len(got_columns) else ""
                raise AssertionError(
                    f"{head}\n  {'row' if ordered else 'sorted row'} {index} differs in column {column}{name}: "
                    f"got {_show(a)}, expected {_show(b)}"
                )


def _first_diff(got: list[tuple], want: list[tuple], policy: Policy) -> str:
    for index, (a, b) in enumerate(zip(got, want, strict=False)):
        if len(a) != len(b) or not all(values_equal(x, y, policy) for x, y in zip(a, b, strict=True)):
            return f"; first difference at row {index}: got {_show(a)}, expected {_show(b)}"
    shorter = min(len(got), len(want))
    if len(got) > shorter:
        return f"; first extra row: {_show(got[shorter])}"
    if len(want) > shorter:
        return f"; first missing row: {_show(want[shorter])}"
    return ""


def _canonical(row: tuple) -> tuple:
    out = []
    for value in row:
        value = _plain(value)
        if _is_missing(value):
            out.append(None)
        elif _is_number(value):
            out.append(float(value) if not isinstance(value, int) else value)
        else:
            out.append(value)
    return tuple(out)


def _multiset_diff(got: list[tuple], want: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    have = Counter(_canonical(r) for r in got)
    need = Counter(_canonical(r) for r in want)
    return list((need - have).elements()), list((have - need).elements())


# --- plans ------------------------------------------------------------------------------------------------------


def plan_root(explained: Any) -> dict:
    """The top plan node from whatever `EXPLAIN (FORMAT JSON)` gave: a list, a dict with "Plan", or a node."""
    if isinstance(explained, str):
        import json

        explained = json.loads(explained)
    if isinstance(explained, list):
        explained = explained[0]
    if isinstance(explained, tuple):
        explained = explained[0]
        return plan_root(explained)
    return explained.get("Plan", explained)


def walk(node: dict) -> Iterator[dict]:
    """Every node of a plan, depth first, parents before children."""
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


def node_types(explained: Any) -> list[str]:
    return [node["Node Type"] for node in walk(plan_root(explained))]


def explain(conn, query: str, params: Any = None, *, analyze: bool = True) -> dict:
    """`EXPLAIN ([ANALYZE,] FORMAT JSON)` of `query` on a psycopg connection; returns the top plan node."""
    options = "ANALYZE, BUFFERS OFF, FORMAT JSON" if analyze else "FORMAT JSON"
    row = conn.execute(f"EXPLAIN ({options}) {query}", params).fetchone()
    return plan_root(row[0])
