"""Hidden-test style checks for python_pandas/e03: safe_divide, an exception hierarchy, a __main__ guard."""

import random
import subprocess
import sys

import pytest

from graders.checks import assert_typed_equal

LEARNER = "safe_math.py"


@pytest.fixture
def sm(kata):
    return kata.module("safe_math")


def _cls(kata, module, name):
    cls = getattr(module, name, None)
    assert isinstance(cls, type) and issubclass(cls, BaseException), (
        f"{kata.display(LEARNER)} should define the exception class {name}"
    )
    return cls


def test_safe_divide_values(sm):
    assert_typed_equal(sm.safe_divide(10, 2), 5.0, "safe_divide(10, 2)")
    assert sm.safe_divide(5, 0) is None, "safe_divide(5, 0) should be None"
    assert sm.safe_divide(1, 0.0) is None, "safe_divide(1, 0.0) should be None"
    rng = random.Random(5)
    for _ in range(100):
        a, b = rng.uniform(-1e3, 1e3), rng.choice([rng.uniform(-10, 10), rng.randint(-5, 5)])
        expected = None if b == 0 else a / b
        assert_typed_equal(sm.safe_divide(a, b), expected, f"safe_divide({a}, {b})")


@pytest.mark.parametrize(("a", "b"), [("10", 2), (1, "0"), (None, 0), ([1], 1)])
def test_safe_divide_lets_type_errors_through(sm, a, b):
    with pytest.raises(TypeError):
        sm.safe_divide(a, b)


def test_parse_row_converts_in_schema_order(sm):
    got = sm.parse_row({"name": "Ada", "age": "36", "team": "ml"}, {"age": int, "name": str})
    assert_typed_equal(got, {"age": 36, "name": "Ada"}, "parse_row(example)")
    rng = random.Random(6)
    for _ in range(30):
        fields = rng.sample(["a", "b", "c", "d", "e"], rng.randint(1, 5))
        schema = {f: rng.choice([int, float, str]) for f in fields}
        row = {f: str(rng.randint(-99, 99)) for f in "abcdefg"}
        expected = {f: conv(row[f]) for f, conv in schema.items()}
        assert_typed_equal(sm.parse_row(row, schema), expected, f"parse_row({row}, {schema})")


def test_missing_field_error(kata, sm):
    data_error, missing = _cls(kata, sm, "DataError"), _cls(kata, sm, "MissingFieldError")
    for base in (missing, data_error, KeyError):
        with pytest.raises(base) as info:
            sm.parse_row({"age": "3"}, {"age": int, "height": float})
    assert isinstance(info.value, missing), f"expected MissingFieldError, got {type(info.value).__name__}"
    assert info.value.field == "height", (
        f"MissingFieldError.field should be 'height', got {info.value.field!r}"
    )
    assert "height" in str(info.value), f"the message should name the field: {info.value}"


@pytest.mark.parametrize(("raw", "convert"), [("3.5", int), ("abc", float), (None, int), ([1], float)])
def test_bad_value_error(kata, sm, raw, convert):
    data_error, bad = _cls(kata, sm, "DataError"), _cls(kata, sm, "BadValueError")
    for base in (bad, data_error, ValueError):
        with pytest.raises(base) as info:
            sm.parse_row({"ok": "1", "x": raw}, {"ok": int, "x": convert})
    err = info.value
    assert isinstance(err, bad), f"expected BadValueError, got {type(err).__name__}: {err}"
    assert (err.field, err.value) == ("x", raw), (
        f"expected field='x', value={raw!r}; got {err.field!r}, {err.value!r}"
    )
    assert "x" in str(err), f"the message should name the field: {err}"
    assert isinstance(err.__cause__, ValueError | TypeError), (
        "raise BadValueError(...) from the converter's error, so that __cause__ keeps it"
    )


def test_hierarchy_is_distinct(kata, sm):
    data_error = _cls(kata, sm, "DataError")
    missing, bad = _cls(kata, sm, "MissingFieldError"), _cls(kata, sm, "BadValueError")
    assert not issubclass(data_error, KeyError | ValueError), (
        "DataError itself should derive from Exception only"
    )
    assert not issubclass(missing, ValueError) and not issubclass(bad, KeyError), (
        "MissingFieldError is a KeyError, BadValueError a ValueError, not both"
    )
    with pytest.raises(data_error):
        sm.parse_row({}, {"x": int})


def _run(code_or_path, *, script: bool):
    args = [sys.executable, str(code_or_path)] if script else [sys.executable, "-c", code_or_path]
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("the Python process did not finish within 30 s")


def test_running_the_file_prints_the_two_lines(kata):
    done = _run(kata.path(LEARNER), script=True)
    expected = ["safe_divide(10, 2) = 5.0", "safe_divide(5, 0) = None"]
    assert done.returncode == 0 and done.stdout.splitlines() == expected, (
        f"`python {kata.display(LEARNER)}` should print exactly {expected}; "
        f"exit code {done.returncode}, stdout {done.stdout!r}, stderr {done.stderr[-800:]!r}"
    )


IMPORT_CODE = """
import contextlib, importlib.util, io
buf = io.StringIO()
spec = importlib.util.spec_from_file_location("safe_math_under_test", {path!r})
module = importlib.util.module_from_spec(spec)
with contextlib.redirect_stdout(buf):
    spec.loader.exec_module(module)
print(repr(buf.getvalue()))
print(module.safe_divide(9, 3))
"""


def test_importing_the_file_prints_nothing(kata):
    done = _run(IMPORT_CODE.format(path=str(kata.path(LEARNER))), script=False)
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and len(lines) == 2, (
        f"importing {kata.display(LEARNER)} and calling safe_divide(9, 3) failed: "
        f"stdout {done.stdout!r}, stderr {done.stderr[-800:]!r}"
    )
    assert lines[0] == "''", (
        f"importing {kata.display(LEARNER)} printed {lines[0]}: guard the prints with __main__"
    )
    assert lines[1] == "3.0", f"safe_divide(9, 3) gave {lines[1]} after import"
