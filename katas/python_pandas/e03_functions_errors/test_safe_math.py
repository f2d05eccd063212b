"""Hidden-test style checks for python_pandas/e03: safe_divide, an exception hierarchy, a __main__ guard."""

import random
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.checks import assert_typed_equal
from graders.kit.strategies import kata_settings, numbers, texts, words

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


@kata_settings(max_examples=80)
@given(
    a=st.one_of(numbers("float", min_value=-1e300, max_value=1e300), st.integers(-(10**6), 10**6)),
    b=st.one_of(numbers("float", min_value=-1e6, max_value=1e6), st.integers(-3, 3)),
)
def test_safe_divide_properties(sm, a, b):
    got = sm.safe_divide(a, b)
    if b == 0:
        assert got is None, f"safe_divide({a!r}, {b!r}) divides by zero: expected None, got {got!r}"
    else:
        assert_typed_equal(got, a / b, f"safe_divide({a!r}, {b!r})")


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
        numbers = {f: rng.randint(-99, 99) for f in "abcdefg"}
        row = {f: str(n) for f, n in numbers.items()}
        before = dict(row)
        # what each converter makes of the number written as text, known before parse_row runs
        expected = {
            f: {int: numbers[f], float: float(numbers[f]), str: row[f]}[conv] for f, conv in schema.items()
        }
        got = sm.parse_row(row, schema)
        assert_typed_equal(got, expected, f"parse_row({row}, {schema})")
        assert row == before, f"parse_row changed the caller's row: {before} became {row}"
        assert got is not row, "parse_row should return a new dict, not the row itself"


@kata_settings(max_examples=40)
@given(
    row=st.dictionaries(words(1, 6), texts(0, 6), max_size=6),
    picks=st.lists(st.sampled_from(["len", "strip", "upper", "same"]), max_size=6),
)
def test_parse_row_properties(sm, row, picks):
    converters = {"len": len, "strip": str.strip, "upper": str.upper, "same": lambda v: v}
    fields = list(row)[: len(picks)][::-1]  # a subset of the row's fields, in another order
    schema = {field: converters[pick] for field, pick in zip(fields, picks, strict=False)}
    before = dict(row)
    got = sm.parse_row(row, schema)
    assert row == before, f"parse_row changed the caller's row: {before} became {row}"
    assert list(got) == list(schema), f"the result's keys should be the schema's, in its order: {list(got)}"
    for field, convert in schema.items():
        assert got[field] == convert(row[field]), (
            f"parse_row(...)[{field!r}] should be schema[{field!r}](row[{field!r}])"
        )


def _raised(call):
    """The exception a call raises (any kind), so that the test can say which base class is missing."""
    try:
        call()
    except Exception as err:  # noqa: BLE001 - the test inspects whatever was raised
        return err
    pytest.fail("expected an exception, nothing was raised")


def _assert_bases(err, bases, name):
    for base in bases:
        assert isinstance(err, base), (
            f"parse_row raised {type(err).__name__}: {err}; a {name} should also be a {base.__name__} "
            f"(its bases are {', '.join(b.__name__ for b in bases[1:])})"
        )


def test_missing_field_error(kata, sm):
    data_error, missing = _cls(kata, sm, "DataError"), _cls(kata, sm, "MissingFieldError")
    err = _raised(lambda: sm.parse_row({"age": "3"}, {"age": int, "height": float}))
    _assert_bases(err, (missing, data_error, KeyError), "MissingFieldError")
    assert err.field == "height", f"MissingFieldError.field should be 'height', got {err.field!r}"
    assert "height" in str(err), f"the message should name the field: {err}"


@pytest.mark.parametrize(("raw", "convert"), [("3.5", int), ("abc", float), (None, int), ([1], float)])
def test_bad_value_error(kata, sm, raw, convert):
    data_error, bad = _cls(kata, sm, "DataError"), _cls(kata, sm, "BadValueError")
    err = _raised(lambda: sm.parse_row({"ok": "1", "x": raw}, {"ok": int, "x": convert}))
    _assert_bases(err, (bad, data_error, ValueError), "BadValueError")
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
