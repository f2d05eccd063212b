"""Hidden-test style checks for data_engineering/q04: schema evolution across Parquet files."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest


@pytest.fixture
def ev(kata):
    return kata.module("evolve")


def write(folder, name: str, columns: dict[str, pa.Array]) -> str:
    path = folder / name
    pq.write_table(pa.table(columns), path)
    return str(path)


def versions(folder, seed: int):
    """Four monthly exports of one table whose schema evolves (oldest first), and the expected unified table."""
    rng = np.random.default_rng(seed)
    sizes = [int(x) for x in rng.integers(3, 30, 4)]
    next_id = iter(range(1, 10_000))

    def ids(n, t):
        return pa.array([next(next_id) for _ in range(n)], t)

    def names(n):
        return pa.array([f"n{int(v)}" for v in rng.integers(0, 99, n)])

    def amounts(n, t):
        return pa.array(rng.uniform(0, 100, n).astype("float32").astype("float64"), t)

    files = [
        {"id": ids(sizes[0], pa.int32()), "name": names(sizes[0]), "amount": amounts(sizes[0], pa.float32())},
        {
            "id": ids(sizes[1], pa.int64()),
            "name": names(sizes[1]),
            "amount": amounts(sizes[1], pa.float64()),
            "country": pa.array(rng.choice(["FR", "DE", None], sizes[1]).tolist(), pa.string()),
        },
        {
            "id": ids(sizes[2], pa.int64()),
            "country": pa.array(["IT"] * sizes[2]),
            "name": names(sizes[2]),
            "amount": amounts(sizes[2], pa.float64()),
            "score": pa.array(rng.integers(0, 100, sizes[2]), pa.int16()),
        },
        {
            "id": ids(sizes[3], pa.int64()),
            "name": names(sizes[3]),
            "amount": amounts(sizes[3], pa.float64()),
            "score": pa.array(rng.integers(-5000, 5000, sizes[3]), pa.int32()),
        },
    ]
    paths = [write(folder, f"export_{i}.parquet", cols) for i, cols in enumerate(files)]
    schema = pa.schema(
        [
            ("id", pa.int64()),
            ("name", pa.string()),
            ("amount", pa.float64()),
            ("country", pa.string()),
            ("score", pa.int32()),
        ]
    )
    rows = []
    for cols in files:
        n = len(next(iter(cols.values())))
        for i in range(n):
            rows.append({f.name: (cols[f.name][i].as_py() if f.name in cols else None) for f in schema})
    return paths, schema, pa.Table.from_pylist(rows, schema=schema)


def test_unified_schema(ev, tmp_path):
    paths, schema, _ = versions(tmp_path, 0)
    got = ev.unify_schemas(paths)
    assert isinstance(got, pa.Schema), (
        f"unify_schemas should return a pyarrow Schema, got {type(got).__name__}"
    )
    assert got.names == schema.names, f"columns in order of first appearance: {got.names} != {schema.names}"
    for field in schema:
        assert got.field(field.name).type == field.type, (
            f"column {field.name}: unified type {got.field(field.name).type}, expected {field.type}"
        )
        assert got.field(field.name).nullable, f"column {field.name} must be nullable"


@pytest.mark.parametrize("seed", [1, 2])
def test_read_unified(ev, tmp_path, seed):
    paths, schema, expected = versions(tmp_path, seed)
    got = ev.read_unified(paths)
    assert isinstance(got, pa.Table), f"read_unified should return a pyarrow Table, got {type(got).__name__}"
    assert got.schema.names == schema.names and got.schema.types == schema.types, f"schema: {got.schema}"
    assert got.num_rows == expected.num_rows, f"{got.num_rows} rows, expected {expected.num_rows}"
    for name in schema.names:
        assert got.column(name).to_pylist() == expected.column(name).to_pylist(), f"column {name} differs"


def test_a_single_file_is_its_own_schema(ev, tmp_path):
    path = write(tmp_path, "one.parquet", {"k": pa.array([1, 2], pa.int16()), "v": pa.array(["a", None])})
    got = ev.read_unified([path])
    assert got.schema.types == [pa.int16(), pa.string()], f"nothing to unify: types {got.schema.types}"
    assert got.to_pydict() == {"k": [1, 2], "v": ["a", None]}


@pytest.mark.parametrize(
    ("column", "old", "new"),
    [
        ("amount", pa.float64(), pa.float32()),
        ("id", pa.int64(), pa.int32()),
        ("id", pa.int64(), pa.string()),
        ("amount", pa.float64(), pa.int64()),
        ("id", pa.int32(), pa.float64()),
    ],
)
def test_narrowing_or_retyping_is_a_clear_error(ev, tmp_path, column, old, new):
    base = {"id": pa.array([1, 2], pa.int64()), "amount": pa.array([1.5, 2.5], pa.float64())}

    def values(dtype):
        if pa.types.is_string(dtype):
            return pa.array(["1", "2"])
        return pa.array([1.0, 2.0] if pa.types.is_floating(dtype) else [1, 2], dtype)

    older = dict(base, **{column: values(old)})
    newer = dict(base, **{column: values(new)})
    paths = [write(tmp_path, "v1.parquet", older), write(tmp_path, "v2.parquet", newer)]
    for func in (ev.unify_schemas, ev.read_unified):
        with pytest.raises(ev.SchemaEvolutionError) as info:
            func(paths)
        assert column in str(info.value), f"the error should name the column {column!r}: {info.value}"
    assert issubclass(ev.SchemaEvolutionError, ValueError), "SchemaEvolutionError should subclass ValueError"


def test_a_column_that_skips_files_is_compared_with_its_last_type(ev, tmp_path):
    """Among the files that HAVE the column: a gap does not reset its type."""
    v1 = write(
        tmp_path, "g1.parquet", {"id": pa.array([1], pa.int64()), "amount": pa.array([1.25], pa.float64())}
    )
    v2 = write(tmp_path, "g2.parquet", {"id": pa.array([2], pa.int64())})
    narrowed = write(
        tmp_path, "g3.parquet", {"id": pa.array([3], pa.int64()), "amount": pa.array([2.5], pa.float32())}
    )
    for func in (ev.unify_schemas, ev.read_unified):
        with pytest.raises(ev.SchemaEvolutionError) as info:
            func([v1, v2, narrowed])
        assert "amount" in str(info.value), f"the error should name the column 'amount': {info.value}"
    w1 = write(tmp_path, "w1.parquet", {"id": pa.array([1], pa.int64()), "qty": pa.array([7], pa.int16())})
    widened = write(
        tmp_path, "w3.parquet", {"id": pa.array([3], pa.int64()), "qty": pa.array([9], pa.int64())}
    )
    got = ev.read_unified([w1, v2, widened])
    assert got.schema.field("qty").type == pa.int64(), f"int16, (gap), int64 widens to int64: {got.schema}"
    assert got.column("qty").to_pylist() == [7, None, 9], f"qty: {got.column('qty').to_pylist()}"
