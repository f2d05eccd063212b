"""Near miss: fields are numbered from 0 in error messages, so "a=1;oops" reports field 1, not field 2."""

from __future__ import annotations

import re

Value = int | float | bool | str | list | None

# Whole numbers: an optional sign, then digits. `str.isdigit()` would reject "-3" and accept "²".
INT = re.compile(r"[+-]?\d+")
# Decimal literals only: "3.", ".5", "1e3", "-2.5E-2". `float()` alone would also accept "nan" and "inf",
# which we keep as text on purpose.
FLOAT = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?")
BOOLS = {"true": True, "false": False}


def parse_value(text: str) -> Value:
    """Turn one raw value into None, bool, int, float, list or str."""
    raw = text.strip()
    if raw == "":
        return None
    # bool before int: in Python `True == 1`, so the order of checks decides the type.
    if raw.lower() in BOOLS:
        return BOOLS[raw.lower()]
    if INT.fullmatch(raw):
        return int(raw)
    if FLOAT.fullmatch(raw):
        return float(raw)
    if raw.startswith("[") and raw.endswith("]"):
        inner = raw[1:-1].strip()
        return [parse_value(item) for item in inner.split(",")] if inner else []
    return raw


def parse_record(line: str) -> dict[str, Value]:
    """Parse 'name=Ada;age=36;langs=[python, sql]' into a dict of typed values."""
    record: dict[str, Value] = {}
    for number, field in enumerate(line.split(";"), start=0):
        if not field.strip():
            continue  # tolerate 'a=1;;b=2' and a trailing ';'
        key, sep, value = field.partition("=")
        key = key.strip()
        if not sep:
            raise ValueError(f"field {number} ({field.strip()!r}) has no '=': expected key=value")
        if not key:
            raise ValueError(f"field {number} ({field.strip()!r}) has an empty key")
        if key in record:
            raise ValueError(f"field {number}: duplicate key {key!r}")
        record[key] = parse_value(value)
    return record
