"""Near miss: checks each column against the previous file only: after a file without it, any type is taken.

Reference solution for data_engineering/q04: read Parquet files of evolving schemas into one table."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq


class SchemaEvolutionError(ValueError):
    """A newer file changes a column in a way that could lose data (narrowing, another kind of type)."""


def _rank(dtype: pa.DataType) -> tuple[str, int] | None:
    """(kind, width) for the widenable types: signed ints and floats; None for the others."""
    if pa.types.is_signed_integer(dtype):
        return ("int", dtype.bit_width)
    if pa.types.is_floating(dtype):
        return ("float", dtype.bit_width)
    return None


def _evolve(column: str, old: pa.DataType, new: pa.DataType, where: str) -> pa.DataType:
    """The column's type after a newer file: the same, or a safe widening of it; anything else is an error."""
    if old == new:
        return new
    old_rank, new_rank = _rank(old), _rank(new)
    if old_rank and new_rank and old_rank[0] == new_rank[0] and new_rank[1] > old_rank[1]:
        return new  # int32 -> int64, float32 -> float64: every old value fits
    raise SchemaEvolutionError(
        f"column {column!r} changes from {old} to {new} in {where}: only adding nullable columns and widening "
        "ints (int8 < int16 < int32 < int64) or floats (float32 < float64) is allowed"
    )


def unify_schemas(paths: list[str]) -> pa.Schema:
    """The schema of all files, oldest first: columns in order of first appearance, all nullable."""
    types: dict[str, pa.DataType] = {}
    previous = None
    for path in paths:
        schema = pq.read_schema(path)  # the footer only: no data is read
        for field in schema:
            if previous is not None and field.name in previous.names:
                types[field.name] = _evolve(field.name, previous.field(field.name).type, field.type, path)
            else:
                types[field.name] = field.type  # an added column: older files get nulls
        previous = schema
    return pa.schema([pa.field(name, dtype, nullable=True) for name, dtype in types.items()])


def read_unified(paths: list[str]) -> pa.Table:
    """All rows of all files (file order, then row order) under the unified schema; missing columns are null."""
    schema = unify_schemas(paths)
    tables = []
    for path in paths:
        table = pq.read_table(path)
        columns = [
            table.column(field.name).cast(field.type)
            if field.name in table.column_names
            else pa.nulls(table.num_rows, field.type)
            for field in schema
        ]
        tables.append(pa.Table.from_arrays(columns, schema=schema))
    return pa.concat_tables(tables)
