"""Near miss: parse_row writes the converted values into the caller's row before picking the schema's fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class DataError(Exception):
    """Base class: `except DataError` handles every data problem this module reports."""


class MissingFieldError(DataError, KeyError):
    """A required field is absent. Also a KeyError, so code that catches KeyError keeps working."""

    def __init__(self, field: str):
        self.field = field
        super().__init__(f"missing field {field!r}")


class BadValueError(DataError, ValueError):
    """A field's value cannot be converted. Also a ValueError."""

    def __init__(self, field: str, value: Any):
        self.field = field
        self.value = value
        super().__init__(f"field {field!r}: cannot convert {value!r}")


def safe_divide(a, b):
    """a / b, or None when b is zero. Only the error we can answer is caught: a TypeError still escapes."""
    try:
        return a / b
    except ZeroDivisionError:
        return None


def parse_row(row: dict[str, Any], schema: dict[str, Callable[[Any], Any]]) -> dict[str, Any]:
    """Convert the schema's fields of `row`, in the schema's order."""
    for field, convert in schema.items():
        if field not in row:
            raise MissingFieldError(field)
        raw = row[field]
        try:
            row[field] = convert(raw)  # converts the caller's row in place
        except (ValueError, TypeError) as err:
            # `from err` keeps the converter's error as __cause__: the traceback shows both.
            raise BadValueError(field, raw) from err
    return {field: row[field] for field in schema}


if __name__ == "__main__":
    # Runs for `python safe_math.py`, not for `import safe_math`.
    print(f"safe_divide(10, 2) = {safe_divide(10, 2)}")
    print(f"safe_divide(5, 0) = {safe_divide(5, 0)}")
