"""Hidden-test style checks for python_pandas/e01: typed parsing of key=value records."""

import random
import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from graders.kit.checks import assert_typed_equal
from graders.kit.strategies import kata_settings, numbers, texts, words


@pytest.fixture
def records(kata):
    return kata.module("records")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        ("-7", -7),
        ("+3", 3),
        ("007", 7),
        ("3.14", 3.14),
        ("-0.5", -0.5),
        ("1e3", 1000.0),
        ("2.5E-2", 0.025),
        (".5", 0.5),
        ("3.", 3.0),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("", None),
        ("   ", None),
        ("hello", "hello"),
        ("  padded  ", "padded"),
        ("nan", "nan"),
        ("inf", "inf"),
        ("1_000", "1_000"),
        ("1_000.5", "1_000.5"),
        ("1.2.3", "1.2.3"),
        ("-", "-"),
        ("e5", "e5"),
        ("[1, 2.5, x, true]", [1, 2.5, "x", True]),
        ("[]", []),
        ("[ -4 ,  ]", [-4, None]),
        ("[ ]", []),
        (" [\t] ", []),
        ("[a,]", ["a", None]),
        ("[1, 2", "[1, 2"),
        ("1]", "1]"),
        ("[", "["),
    ],
)
def test_parse_value(records, raw, expected):
    assert_typed_equal(records.parse_value(raw), expected, f"parse_value({raw!r})")


def test_parse_record_readme_example(records):
    got = records.parse_record("name=Ada; age=36;height=1.7;admin=true;langs=[python, sql];nickname=")
    expected = {
        "name": "Ada",
        "age": 36,
        "height": 1.7,
        "admin": True,
        "langs": ["python", "sql"],
        "nickname": None,
    }
    assert_typed_equal(got, expected, "parse_record(...)")


def test_empty_fields_are_skipped(records):
    assert_typed_equal(records.parse_record("a=1;;b=-2;"), {"a": 1, "b": -2})
    assert_typed_equal(records.parse_record(""), {})


@pytest.mark.parametrize(
    ("line", "named", "position"),
    [
        ("a=1;oops;b=2", "oops", 2),
        ("a=1;=5", "=5", 2),
        ("x=1;y=2;x=3", "x", 3),
        ("oops", "oops", 1),
        ("a=1;;;oops", "oops", 4),
        (";x=1;;x=2", "x", 4),
        ("a=1; ;=7;", "=7", 3),
    ],
)
def test_bad_input_raises_value_error_naming_the_field(records, line, named, position):
    with pytest.raises(ValueError) as info:
        records.parse_record(line)
    assert named in str(info.value), f"the error should name the bad field {named!r}: got {info.value}"
    assert re.search(rf"\bfield {position}\b", str(info.value)), (
        f"parse_record({line!r}): the error should give the position 'field {position}' "
        f"(counting the ';'-separated pieces from 1, empty ones included): got {info.value}"
    )


def _random_scalar(rng: random.Random):
    kind = rng.choice(["int", "float", "bool", "str", "none"])
    if kind == "int":
        return rng.randint(-(10**6), 10**6)
    if kind == "float":
        return round(rng.uniform(-1e4, 1e4), rng.randint(1, 6))
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "none":
        return None
    word = rng.choice(string.ascii_letters) + "".join(
        rng.choices(string.ascii_letters + "_ ", k=rng.randint(0, 8))
    )
    word = word.strip()
    return word if word.lower() not in ("true", "false") else word + "x"


def _random_value(rng: random.Random):
    if rng.random() < 0.2:  # lists of non-empty scalars: "[]" and "[ ]" both mean the empty list
        return [v for v in (_random_scalar(rng) for _ in range(rng.randint(0, 4))) if v is not None]
    return _random_scalar(rng)


def _format(value) -> str:
    """The reference writer: the inverse of what the kata asks for."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_format(v) for v in value) + "]"
    return repr(value) if isinstance(value, float) else str(value)


@pytest.mark.parametrize("seed", range(5))
def test_random_records_round_trip(records, seed):
    rng = random.Random(seed)
    for _ in range(60):
        expected = {f"k{i}": _random_value(rng) for i in range(rng.randint(1, 8))}
        line = ";".join(f"{key}={_format(value)}" for key, value in expected.items())
        assert_typed_equal(records.parse_record(line), expected, f"parse_record({line!r})")


# Text values that are text under every rule: a letter other than e/E rules out numbers, and none of the
# format's separators, no surrounding whitespace, not a bool word.
TEXT_VALUES = texts(1, 8, whitespace_edges=False, exclude=";=,[]").filter(
    lambda t: (
        t == t.strip()
        and t.lower() not in ("true", "false")
        and any(c.isalpha() and c not in "eE" for c in t)
    )
)
SCALARS = hs.one_of(
    hs.none(),
    hs.booleans(),
    numbers("int", min_value=-(10**30), max_value=10**30),
    numbers("float", min_value=-1e308, max_value=1e308),
    TEXT_VALUES,
)
VALUES = hs.one_of(SCALARS, hs.lists(SCALARS.filter(lambda v: v is not None), max_size=4))
PADS = hs.sampled_from(["", " ", "  ", "\t"])


@kata_settings(max_examples=80)
@given(
    record=hs.dictionaries(words(1, 6, exclude=";="), VALUES, max_size=6),
    pads=hs.lists(hs.tuples(PADS, PADS), min_size=6, max_size=6),
)
def test_round_trip_properties(records, record, pads):
    fields = [
        f"{left}{key}{right}={right}{_format(value)}{left}"
        for (key, value), (left, right) in zip(record.items(), pads, strict=False)
    ]
    line = ";".join(fields)
    assert_typed_equal(records.parse_record(line), record, f"parse_record({line!r})")


@kata_settings(max_examples=60)
@given(number=hs.integers(min_value=-(10**40), max_value=10**40), zeros=hs.integers(0, 3), plus=hs.booleans())
def test_whole_numbers_of_any_size(records, number, zeros, plus):
    digits = "0" * zeros + str(abs(number))
    text = ("-" if number < 0 else ("+" if plus else "")) + digits
    assert_typed_equal(records.parse_value(text), number, f"parse_value({text!r})")


@kata_settings(max_examples=60)
@given(text=texts(0, 12), left=PADS, right=PADS)
def test_surrounding_whitespace_never_matters(records, text, left, right):
    if text.strip() != text.strip(" \t\n\r"):
        return  # only ASCII whitespace at the ends is in play here
    expected = records.parse_value(text.strip(" \t\n\r"))
    assert_typed_equal(
        records.parse_value(f"{left}{text}{right}"), expected, f"parse_value({left + text + right!r})"
    )


@kata_settings(max_examples=40)
@given(
    before=hs.dictionaries(words(1, 4, exclude=";=", unicode=False), hs.integers(-9, 9), max_size=3),
    bad=hs.text(alphabet=string.ascii_letters + string.digits + "_-.", min_size=1, max_size=6),
)
def test_a_field_without_equals_is_named(records, before, bad):
    line = ";".join([*(f"{k}={v}" for k, v in before.items()), f" {bad} ", "z=1"])
    with pytest.raises(ValueError) as info:
        records.parse_record(line)
    assert bad in str(info.value), (
        f"parse_record({line!r}): the error should quote the field {bad!r}: {info.value}"
    )
