"""Hidden-test style checks for python_pandas/q01: dedupe, freeze and index_by."""

import copy
import random
import time

import pytest

from graders.checks import assert_typed_equal

IMMUTABLE = (tuple, frozenset, str, int, float, bool, type(None))


@pytest.fixture
def cont(kata):
    return kata.module("containers")


def test_dedupe_examples(cont):
    assert_typed_equal(cont.dedupe([3, 1, 3, 2, 1]), [3, 1, 2], "dedupe([3, 1, 3, 2, 1])")
    assert_typed_equal(
        cont.dedupe(["Ada", "bob", "ADA", "Bob"], key=str.lower), ["Ada", "bob"], "dedupe(key=str.lower)"
    )
    assert_typed_equal(cont.dedupe([]), [], "dedupe([])")
    assert_typed_equal(cont.dedupe(iter("mississippi")), list("misp"), "dedupe(an iterator)")


def test_dedupe_random(cont):
    rng = random.Random(10)
    for _ in range(50):
        items = [
            rng.choice(["kiwi", "fig", "lime", "date", "plum", "pear", "sloe"]) + rng.choice(["", "s"])
            for _ in range(rng.randint(0, 25))
        ]
        before = list(items)
        expected = [x for i, x in enumerate(items) if x not in items[:i]]
        assert_typed_equal(cont.dedupe(items), expected, f"dedupe({items})")
        first_by_len = {}
        for x in items:
            first_by_len.setdefault(len(x), x)
        assert_typed_equal(
            cont.dedupe(items, key=len), list(first_by_len.values()), f"dedupe({items}, key=len)"
        )
        assert items == before, "dedupe changed its input"


def test_dedupe_is_linear(cont):
    items = list(range(30_000)) * 2
    start = time.perf_counter()
    got = cont.dedupe(items)
    elapsed = time.perf_counter() - start
    assert got == list(range(30_000)), "dedupe of 0..29999 twice should be 0..29999"
    assert elapsed < 2.0, f"dedupe of 60,000 items took {elapsed:.1f} s: remember what you saw in a set, not a list"


def _assert_immutable(value, where):
    assert isinstance(value, IMMUTABLE), f"{where}: {type(value).__name__} {value!r} is mutable"
    if isinstance(value, tuple | frozenset):
        for index, item in enumerate(value):
            _assert_immutable(item, f"{where}[{index}]")


def reference_freeze(value):
    if isinstance(value, dict):
        return frozenset((k, reference_freeze(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(reference_freeze(v) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(reference_freeze(v) for v in value)
    return value


def random_nested(rng, depth=0):
    kind = rng.choice(["scalar", "scalar", "list", "tuple", "set", "dict"] if depth < 3 else ["scalar"])
    if kind == "scalar":
        return rng.choice([rng.randint(-5, 5), rng.choice("abcde"), None, 2.5, True])
    if kind == "set":
        return {rng.randint(0, 20) for _ in range(rng.randint(0, 4))}
    items = [random_nested(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if kind == "list":
        return items
    if kind == "tuple":
        return tuple(items)
    return {f"k{rng.randint(0, 9)}": item for item in items}


def test_freeze_example(cont):
    got = cont.freeze({"b": [1, {2, 3}], "a": {"x": None}})
    expected = frozenset({("b", (1, frozenset({2, 3}))), ("a", frozenset({("x", None)}))})
    assert got == expected, f"freeze(example) = {got!r}, expected {expected!r}"
    assert cont.freeze("text") == "text" and cont.freeze(7) == 7 and cont.freeze(None) is None


def test_freeze_random_structures(cont):
    rng = random.Random(11)
    for _ in range(150):
        value = random_nested(rng)
        before = copy.deepcopy(value)
        frozen = cont.freeze(value)
        hash(frozen)  # must not raise
        _assert_immutable(frozen, f"freeze({value!r})")
        assert frozen == reference_freeze(value), f"freeze({value!r}) = {frozen!r}"
        assert value == before, f"freeze changed its input: {before!r} became {value!r}"


def test_freeze_equal_dicts_match_whatever_the_key_order(cont):
    rng = random.Random(12)
    for _ in range(40):
        pairs = [
            (f"f{i}", [rng.randint(0, 9), {"deep": rng.randint(0, 3)}]) for i in range(rng.randint(2, 6))
        ]
        shuffled = pairs[:]
        rng.shuffle(shuffled)
        a, b = cont.freeze(dict(pairs)), cont.freeze(dict(shuffled))
        assert a == b and hash(a) == hash(b), (
            f"equal dicts froze differently: {dict(pairs)} vs {dict(shuffled)}"
        )
        assert len({a, b}) == 1, "equal frozen dicts should collapse to one set item"
    assert cont.freeze([1, 2]) != cont.freeze([2, 1]), "lists keep their order: [1, 2] and [2, 1] must differ"


def random_records(rng, n):
    return [
        {"id": i, "team": rng.choice(["ml", "bi", "ops", "web"]), "level": rng.randint(1, 3)}
        for i in range(n)
    ]


def test_index_by_groups_in_order(cont):
    rows = [{"id": 2, "team": "ml"}, {"id": 5, "team": "bi"}, {"id": 7, "team": "ml"}]
    got = cont.index_by(rows, "team")
    assert got == {"ml": [rows[0], rows[2]], "bi": [rows[1]]} and list(got) == ["ml", "bi"], (
        f"index_by(rows, 'team') = {got}"
    )
    rng = random.Random(13)
    for _ in range(30):
        records = random_records(rng, rng.randint(0, 30))
        before = copy.deepcopy(records)
        expected = {}
        for r in records:
            expected.setdefault(r["level"], []).append(r)
        got = cont.index_by(records, "level")
        assert got == expected and list(got) == list(expected), (
            f"index_by(records, 'level') = {got}, expected {expected}"
        )
        assert records == before, "index_by changed its input"


def test_index_by_unique(cont):
    rng = random.Random(14)
    records = random_records(rng, 25)
    got = cont.index_by(records, "id", unique=True)
    assert got == {r["id"]: r for r in records} and list(got) == list(range(25)), (
        "index_by(records, 'id', unique=True)"
    )
    rows = [{"id": 2, "team": "ml"}, {"id": 5, "team": "bi"}, {"id": 7, "team": "ml"}]
    with pytest.raises(ValueError) as info:
        cont.index_by(rows, "team", unique=True)
    assert "ml" in str(info.value), f"the error should name the duplicate key 'ml': {info.value}"
    with pytest.raises(ValueError) as info:
        cont.index_by([*records, {"id": 17, "team": "new", "level": 1}], "id", unique=True)
    assert "17" in str(info.value), f"the error should name the duplicate key 17: {info.value}"
