"""Hidden-test style checks for python_pandas/q01: dedupe, freeze, index_by and tags_by.

The expectations are checked rule by rule (first occurrence, order, structure) rather than rebuilt by a second
implementation, and Hypothesis sends the edges: ties, 1 next to True, None keys, unicode and whitespace.
"""

import copy
import random
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.checks import assert_typed_equal
from graders.kit.strategies import kata_settings, sql_rows, words

IMMUTABLE = (tuple, frozenset, str, int, float, bool, type(None))


@pytest.fixture
def cont(kata):
    return kata.module("containers")


# ------------------------------------------------------------------------------------------------ tags_by
# First in the file: cheap, and the `{}`-is-not-a-set mistake fails here with its own message.


def _assert_set(value, where):
    assert type(value) is set, f"{where} should be a set, got {type(value).__name__} {value!r}" + (
        ": {} is an empty dict; the empty set is set()" if value == {} else ""
    )


def test_tags_by_readme_example(cont):
    rows = [
        {"id": 1, "team": "ml", "tags": ["py", "sql"]},
        {"id": 2, "team": "bi", "tags": []},
        {"id": 3, "team": "ml", "tags": ["py"]},
    ]
    before = copy.deepcopy(rows)
    got = cont.tags_by(rows, "team")
    assert type(got) is dict and list(got) == ["ml", "bi"], f"tags_by(rows, 'team'): keys {list(got)}"
    _assert_set(got["bi"], "tags_by(...)['bi'] (a key whose records have no tag)")
    _assert_set(got["ml"], "tags_by(...)['ml']")
    assert got == {"ml": {"py", "sql"}, "bi": set()}, f"tags_by(rows, 'team') = {got}"
    assert rows == before, "tags_by changed its input"


def test_tags_by_only_empty_tags(cont):
    got = cont.tags_by([{"k": None, "tags": []}, {"k": 0, "tags": ()}, {"k": None, "tags": []}], "k")
    assert list(got) == [None, 0], f"keys in order of first appearance, None included: {list(got)}"
    for key, value in got.items():
        _assert_set(value, f"tags_by(...)[{key!r}]")
    assert_typed_equal(cont.tags_by([], "k"), {}, "tags_by([], 'k')")


def test_tags_by_honours_tags_field(cont):
    rows = [
        {"k": "a", "tags": ["wrong"], "labels": ("x", "x")},
        {"k": "b", "tags": [], "labels": ["y"]},
        {"k": "a", "tags": ["wrong"], "labels": []},
    ]
    got = cont.tags_by(rows, "k", tags_field="labels")
    assert got == {"a": {"x"}, "b": {"y"}}, f"tags_by(rows, 'k', tags_field='labels') read {got}"
    got = cont.tags_by(rows, "k", "tags")
    assert got == {"a": {"wrong"}, "b": set()}, f"tags_by(rows, 'k', 'tags') = {got}"


TAGGED = sql_rows({"team": "text", "level": "int"}, max_size=10, nulls=["team"], as_dicts=True).flatmap(
    lambda rows: st.tuples(
        st.just(rows), st.lists(st.lists(words(1, 3), max_size=3), min_size=len(rows), max_size=len(rows))
    )
)


@kata_settings(max_examples=40)
@given(TAGGED)
def test_tags_by_properties(cont, tagged):
    base, tag_lists = tagged
    rows = [{**row, "labels": tags} for row, tags in zip(base, tag_lists, strict=True)]
    before = copy.deepcopy(rows)
    got = cont.tags_by(rows, "team", tags_field="labels")
    assert rows == before, "tags_by changed its input"
    keys = [row["team"] for row in rows]
    assert list(got) == list(dict.fromkeys(keys)), (
        f"keys should come in order of first appearance: {list(got)}"
    )
    for key, tags in got.items():
        _assert_set(tags, f"tags_by(...)[{key!r}]")
        wanted = [tag for row in rows if row["team"] == key for tag in row["labels"]]
        assert tags == set(wanted), (
            f"key {key!r}: the tags of its records are {sorted(set(wanted))}, got {tags}"
        )


# ------------------------------------------------------------------------------------------------ dedupe


def test_dedupe_examples(cont):
    assert_typed_equal(cont.dedupe([3, 1, 3, 2, 1]), [3, 1, 2], "dedupe([3, 1, 3, 2, 1])")
    assert_typed_equal(
        cont.dedupe(["Ada", "bob", "ADA", "Bob"], key=str.lower), ["Ada", "bob"], "dedupe(key=str.lower)"
    )
    assert_typed_equal(cont.dedupe([]), [], "dedupe([])")
    assert_typed_equal(cont.dedupe(iter("mississippi")), list("misp"), "dedupe(an iterator)")
    assert_typed_equal(cont.dedupe([1, True, 1.0, 0, False]), [1, 0], "dedupe([1, True, 1.0, 0, False])")
    assert_typed_equal(cont.dedupe([True, 1]), [True], "dedupe([True, 1]): the first item is kept as it is")


def _check_dedupe(got, items, key, where):
    """Each kept item is the first of its key, the keys are distinct and complete, in input order."""
    mark = (lambda x: x) if key is None else key
    assert type(got) is list, f"{where}: expected a list, got {type(got).__name__}"
    first: dict = {}
    for position, item in enumerate(items):
        first.setdefault(mark(item), position)
    kept = [mark(x) for x in got]
    assert len(set(kept)) == len(kept), f"{where}: {got} still holds duplicates"
    assert set(kept) == set(first), f"{where}: {got} lost the items of {set(first) - set(kept)}"
    positions = [first[k] for k in kept]
    for item, position in zip(got, positions, strict=True):
        original = items[position]
        assert type(item) is type(original) and item == original, (
            f"{where}: kept {item!r} where the first occurrence is {original!r} (position {position})"
        )
    assert positions == sorted(positions), f"{where}: {got} is not in the order of first occurrence"


def test_dedupe_random(cont):
    rng = random.Random(10)
    for _ in range(50):
        items = [
            rng.choice(["kiwi", "fig", "lime", "date", "plum", "pear", "sloe"]) + rng.choice(["", "s"])
            for _ in range(rng.randint(0, 25))
        ]
        before = list(items)
        _check_dedupe(cont.dedupe(items), items, None, f"dedupe({items})")
        _check_dedupe(cont.dedupe(items, key=len), items, len, f"dedupe({items}, key=len)")
        assert items == before, "dedupe changed its input"


ITEMS = st.lists(st.one_of(st.integers(-2, 2), st.booleans(), words(1, 2)), max_size=20)


@kata_settings(max_examples=80)
@given(items=ITEMS)
def test_dedupe_properties(cont, items):
    before = list(items)
    got = cont.dedupe(items)
    assert items == before, "dedupe changed its input"
    _check_dedupe(got, items, None, f"dedupe({items!r})")
    assert cont.dedupe(got) == got, f"dedupe is idempotent: dedupe({got!r}) changed it"
    by_type = cont.dedupe(items, key=lambda x: type(x).__name__)
    _check_dedupe(by_type, items, lambda x: type(x).__name__, f"dedupe({items!r}, key=type name)")


@kata_settings(max_examples=60)
@given(items=st.lists(words(1, 3), max_size=15))
def test_dedupe_key_on_unicode_case(cont, items):
    got = cont.dedupe(items, key=str.casefold)
    _check_dedupe(got, items, str.casefold, f"dedupe({items!r}, key=str.casefold)")


def test_dedupe_is_linear(cont):
    items = list(range(30_000)) * 2
    start = time.perf_counter()
    got = cont.dedupe(items)
    elapsed = time.perf_counter() - start
    assert got == list(range(30_000)), "dedupe of 0..29999 twice should be 0..29999"
    assert elapsed < 2.0, (
        f"dedupe of 60,000 items took {elapsed:.1f} s: remember what you saw in a set, not a list"
    )


# ------------------------------------------------------------------------------------------------ freeze


def _assert_immutable(value, where):
    assert isinstance(value, IMMUTABLE), f"{where}: {type(value).__name__} {value!r} is mutable"
    if isinstance(value, tuple | frozenset):
        for index, item in enumerate(value):
            _assert_immutable(item, f"{where}[{index}]")


def _check_frozen(frozen, value, where):
    """The README's table, checked on the structure: what each kind of container must have become."""
    if isinstance(value, dict):
        assert type(frozen) is frozenset, (
            f"{where}: a dict should freeze to a frozenset of pairs, got {frozen!r}"
        )
        assert all(type(pair) is tuple and len(pair) == 2 for pair in frozen), (
            f"{where}: {frozen!r} holds non-pairs"
        )
        pairs = dict(frozen)
        assert len(frozen) == len(value) and set(pairs) == set(value), (
            f"{where}: the pairs {frozen!r} should have the keys {list(value)}"
        )
        for key, item in value.items():
            _check_frozen(pairs[key], item, f"{where}[{key!r}]")
    elif isinstance(value, list | tuple):
        assert type(frozen) is tuple and len(frozen) == len(value), (
            f"{where}: a {type(value).__name__} should freeze to a tuple of the same length, got {frozen!r}"
        )
        for index, (a, b) in enumerate(zip(frozen, value, strict=True)):
            _check_frozen(a, b, f"{where}[{index}]")
    elif isinstance(value, set | frozenset):
        assert type(frozen) is frozenset and frozen == frozenset(value), (
            f"{where}: a {type(value).__name__} should freeze to the frozenset of its items, got {frozen!r}"
        )
    else:
        assert frozen is value, f"{where}: {value!r} is not a container and should come back as itself"


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


def _shown(value) -> str:
    """A repr whose sets are sorted: a frozenset's own order changes from one interpreter to the next."""
    if isinstance(value, frozenset):
        return "frozenset({" + ", ".join(sorted(map(_shown, value))) + "})"
    if isinstance(value, tuple):
        return "(" + ", ".join(map(_shown, value)) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


def test_freeze_example(cont):
    got = cont.freeze({"b": [1, {2, 3}], "a": {"x": None}})
    expected = frozenset({("b", (1, frozenset({2, 3}))), ("a", frozenset({("x", None)}))})
    assert got == expected, f"freeze(example) = {_shown(got)}, expected {_shown(expected)}"
    assert cont.freeze("text") == "text" and cont.freeze(7) == 7 and cont.freeze(None) is None
    for empty, kind in (({}, frozenset), ([], tuple), ((), tuple), (set(), frozenset)):
        got = cont.freeze(empty)
        assert type(got) is kind and len(got) == 0, (
            f"freeze({empty!r}) = {got!r}, expected an empty {kind.__name__}"
        )


def test_freeze_random_structures(cont):
    rng = random.Random(11)
    for _ in range(150):
        value = random_nested(rng)
        before = copy.deepcopy(value)
        frozen = cont.freeze(value)
        hash(frozen)  # must not raise
        _assert_immutable(frozen, f"freeze({value!r})")
        _check_frozen(frozen, value, f"freeze({value!r})")
        assert value == before, f"freeze changed its input: {before!r} became {value!r}"


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), words(1, 3), st.just(2.5))
HASHABLE = st.recursive(
    SCALARS, lambda inner: st.tuples(inner, inner) | st.frozensets(inner, max_size=3), max_leaves=4
)
NESTED = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.sets(HASHABLE, max_size=3)
        | st.dictionaries(words(1, 3), inner, max_size=4)
    ),
    max_leaves=12,
)


def _reordered(value):
    """The same value with every dict's keys in reverse insertion order."""
    if isinstance(value, dict):
        return {key: _reordered(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [_reordered(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_reordered(item) for item in value)
    return value


@kata_settings(max_examples=80)
@given(value=NESTED)
def test_freeze_properties(cont, value):
    before = copy.deepcopy(value)
    frozen = cont.freeze(value)
    assert value == before, f"freeze changed its input: {before!r} became {value!r}"
    hash(frozen)
    _assert_immutable(frozen, f"freeze({value!r})")
    _check_frozen(frozen, value, f"freeze({value!r})")
    again = cont.freeze(_reordered(value))
    assert again == frozen and hash(again) == hash(frozen), (
        f"equal values must freeze equal whatever their dicts' key order: {frozen!r} vs {again!r}"
    )
    assert cont.freeze(frozen) == frozen, f"freezing a frozen value should change nothing: {frozen!r}"


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


# ---------------------------------------------------------------------------------------------- index_by


def random_records(rng, n):
    return [
        {"id": i, "team": rng.choice(["ml", "bi", "ops", "web"]), "level": rng.randint(1, 3)}
        for i in range(n)
    ]


def _check_index(got, records, field, where):
    """Keys in order of first appearance; each key's list is its records, in input order."""
    keys = list(dict.fromkeys(r[field] for r in records))
    assert type(got) is dict and list(got) == keys, (
        f"{where}: keys should be {keys} (order of first appearance), got {list(got)}"
    )
    for key in keys:
        wanted = [r for r in records if r[field] == key]
        assert got[key] == wanted, (
            f"{where}[{key!r}]: expected its {len(wanted)} records in input order, got {got[key]}"
        )


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
        _check_index(cont.index_by(records, "level"), records, "level", "index_by(records, 'level')")
        assert records == before, "index_by changed its input"


@kata_settings(max_examples=40)
@given(records=sql_rows({"id": "int", "team": "text", "level": "int"}, unique=["id"], as_dicts=True))
def test_index_by_properties(cont, records):
    before = copy.deepcopy(records)
    _check_index(cont.index_by(records, "team"), records, "team", "index_by(records, 'team')")
    unique = cont.index_by(records, "id", unique=True)
    assert records == before, "index_by changed its input"
    assert list(unique) == [r["id"] for r in records], f"unique=True: keys {list(unique)}"
    assert all(unique[r["id"]] == r for r in records), "unique=True maps each key to its one record"
    teams = [r["team"] for r in records]
    repeated = {t for k, t in enumerate(teams) if t in teams[:k]}
    if repeated:
        with pytest.raises(ValueError) as info:
            cont.index_by(records, "team", unique=True)
        message = str(info.value)
        assert any(repr(t) in message or str(t) in message for t in repeated), (
            f"the error should name the duplicate key ({' or '.join(map(repr, repeated))}): {message}"
        )


def test_index_by_unique(cont):
    rng = random.Random(14)
    records = random_records(rng, 25)
    got = cont.index_by(records, "id", unique=True)
    assert list(got) == list(range(25)) and all(got[k] == records[k] for k in range(25)), (
        "index_by(records, 'id', unique=True) should map each id to its record"
    )
    rows = [{"id": 2, "team": "ml"}, {"id": 5, "team": "bi"}, {"id": 7, "team": "ml"}]
    with pytest.raises(ValueError) as info:
        cont.index_by(rows, "team", unique=True)
    assert "ml" in str(info.value), f"the error should name the duplicate key 'ml': {info.value}"
    with pytest.raises(ValueError) as info:
        cont.index_by([*records, {"id": 17, "team": "new", "level": 1}], "id", unique=True)
    assert "17" in str(info.value), f"the error should name the duplicate key 17: {info.value}"
