"""Kata python_pandas/e01: parse `key=value;...` records into Python values. Edit this file."""

from __future__ import annotations

Value = int | float | bool | str | list | None

FILE = "katas/python_pandas/e01_basic_types/records.py"


def parse_value(text: str) -> Value:
    """Turn one raw value into None, bool, int, float, list or str (see the README for the rules)."""
    raise NotImplementedError(f"parse_value: write it in {FILE}")


def parse_record(line: str) -> dict[str, Value]:
    """Parse 'name=Ada;age=36;langs=[python, sql]' into {'name': 'Ada', 'age': 36, 'langs': ['python', 'sql']}."""
    raise NotImplementedError(f"parse_record: write it in {FILE}")
