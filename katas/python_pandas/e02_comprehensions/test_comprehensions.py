"""Hidden-test style checks for python_pandas/e02: comprehensions and a lazy generator.

Expected values are fixed cases or built together with the input (each vocabulary word knows its cleaned
form); Hypothesis checks the README's rules as properties on the edges (huge and negative numbers, nested
and empty lists, unicode text and whitespace).
"""

import itertools
import random
import string
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kit.checks import CountingIterator, assert_typed_equal
from graders.kit.strategies import ASCII_WHITESPACE, UNICODE_WHITESPACE, kata_settings, numbers, texts, words


@pytest.fixture
def comp(kata):
    return kata.module("comprehensions")


SQUARES = {
    0: [],
    1: [0],
    5: [0, 1, 4, 9, 16],
    -3: [],
    13: [0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121, 144],
}


@pytest.mark.parametrize("n", list(SQUARES))
def test_squares(comp, n):
    assert_typed_equal(comp.squares(n), SQUARES[n], f"squares({n})")


@kata_settings(max_examples=40)
@given(n=st.integers(-20, 400))
def test_squares_properties(comp, n):
    got = comp.squares(n)
    assert type(got) is list and len(got) == max(n, 0), f"squares({n}) should hold {max(n, 0)} numbers"
    if got:
        assert got[0] == 0, f"squares({n}) starts at 0**2"
    steps = [b - a for a, b in itertools.pairwise(got)]
    assert steps == list(range(1, 2 * len(steps), 2)), (
        f"squares({n}): consecutive squares differ by 1, 3, 5, ... (got the steps {steps[:8]}...)"
    )
    assert all(type(x) is int for x in got), f"squares({n}) should hold ints"


def _check_evens(got, numbers, where):
    """got is the subsequence of numbers made of its even items: all evens kept, in order, nothing else."""
    rest, it = [], iter(got)
    pending = next(it, None)
    for x in numbers:
        if pending is not None and x == pending and type(x) is type(pending):
            pending = next(it, None)
        else:
            rest.append(x)
    assert pending is None, f"{where}: {got} is not a subsequence of the input in order"
    assert all(x % 2 == 0 for x in got), f"{where}: {got} holds an odd number"
    assert all(x % 2 != 0 for x in rest), (
        f"{where}: the even numbers {[x for x in rest if x % 2 == 0]} are missing"
    )


def test_evens_values(comp):
    assert_typed_equal(list(comp.evens([3, -2, 0, 7])), [-2, 0], "list(evens([3, -2, 0, 7]))")
    assert_typed_equal(list(comp.evens([1, 3, -5])), [], "list(evens([1, 3, -5]))")
    rng = random.Random(2)
    for _ in range(50):
        numbers = [rng.randint(-100, 100) for _ in range(rng.randint(0, 30))]
        _check_evens(list(comp.evens(numbers)), numbers, f"list(evens({numbers}))")


@kata_settings(max_examples=60)
@given(values=st.lists(numbers("int"), max_size=20))
def test_evens_properties(comp, values):
    _check_evens(list(comp.evens(values)), values, f"list(evens({values}))")
    _check_evens(list(comp.evens(iter(values))), values, f"list(evens(iter({values})))")


def test_evens_is_lazy_on_an_endless_iterator(comp):
    source = CountingIterator(itertools.count(1))
    gen = comp.evens(source)
    assert isinstance(gen, Iterator), (
        f"evens() should return a generator (an iterator), got {type(gen).__name__}"
    )
    assert source.pulls == 0, f"calling evens() pulled {source.pulls} items before anyone asked for a value"
    assert next(gen) == 2
    assert source.pulls == 2, f"the first even number of 1, 2, ... needs 2 pulls, evens() made {source.pulls}"
    assert list(itertools.islice(gen, 4)) == [4, 6, 8, 10]
    assert source.pulls == 10, f"five even numbers need 10 pulls from count(1), evens() made {source.pulls}"


def _check_flat(got, nested, where):
    """Each inner sequence appears, whole and unchanged, at its place in the flat list."""
    assert type(got) is list, f"{where}: expected a list, got {type(got).__name__}"
    sizes = [len(inner) for inner in nested]
    assert len(got) == sum(sizes), f"{where}: {len(got)} items, expected {sum(sizes)} (one level removed)"
    offset = 0
    for k, inner in enumerate(nested):
        assert got[offset : offset + len(inner)] == list(inner), (
            f"{where}: inner item {k} ({inner!r}) should appear as {list(inner)!r} at position {offset}"
        )
        offset += len(inner)


def test_flatten(comp):
    assert_typed_equal(comp.flatten([[1, 2], [], (3,), [[4], 5]]), [1, 2, 3, [4], 5], "flatten(example)")
    assert_typed_equal(comp.flatten([]), [], "flatten([])")
    assert_typed_equal(comp.flatten([[], ()]), [], "flatten([[], ()])")
    assert_typed_equal(
        comp.flatten([[[1, [2]]], [(3, 4)]]), [[1, [2]], (3, 4)], "flatten keeps deeper levels"
    )
    rng = random.Random(3)
    for _ in range(50):
        nested = [[rng.randint(0, 9) for _ in range(rng.randint(0, 4))] for _ in range(rng.randint(0, 6))]
        _check_flat(comp.flatten(nested), nested, f"flatten({nested})")


INNER = st.lists(
    st.one_of(st.integers(-3, 3), words(1, 2), st.lists(st.integers(0, 3), max_size=2)), max_size=4
)


@kata_settings(max_examples=60)
@given(nested=st.lists(st.one_of(INNER, INNER.map(tuple)), max_size=6))
def test_flatten_properties(comp, nested):
    _check_flat(comp.flatten(nested), nested, f"flatten({nested!r})")


def test_word_lengths_example(comp):
    got = comp.word_lengths("Data beats opinions, DATA wins -- don't guess!")
    expected = {"data": 4, "beats": 5, "opinions": 8, "wins": 4, "don't": 5, "guess": 5}
    assert_typed_equal(got, expected, "word_lengths(example)")
    assert_typed_equal(comp.word_lengths("  ... !!  "), {}, "word_lengths of punctuation only")
    assert_typed_equal(comp.word_lengths(""), {}, "word_lengths('')")
    got = comp.word_lengths("Big\tdata\nBIG\u00a0deal\u3000data.")
    assert_typed_equal(
        got, {"big": 3, "data": 4, "deal": 4}, "word_lengths with tabs, newlines, no-break spaces"
    )


# Each vocabulary entry with its cleaned form (None: nothing is left after stripping the punctuation).
VOCAB = {
    "Pandas": "pandas", "numpy": "numpy", "data": "data", "Data": "data", "it's": "it's", "(model)": "model",
    "x": "x", "--": None, "score:": "score", '"quoted"': "quoted", "e-mail": "e-mail", "...": None,
    "MODEL!": "model", "[x]": "x", "Ünïcode,": "ünïcode", "ÉTÉ": "été", "'tis": "tis",
}  # fmt: skip


def test_word_lengths_random(comp):
    rng = random.Random(4)
    for _ in range(60):
        chosen = rng.choices(list(VOCAB), k=rng.randint(0, 12))
        text = "".join(w + rng.choice([" ", "  ", "\t", "\n", ", ", "\r\n"]) for w in chosen)
        expected = {}
        for word in chosen:
            if VOCAB[word] is not None:
                expected.setdefault(VOCAB[word], len(VOCAB[word]))
        assert_typed_equal(comp.word_lengths(text), expected, f"word_lengths({text!r})")


SPACES = st.sampled_from(ASCII_WHITESPACE + UNICODE_WHITESPACE)


@kata_settings(max_examples=80)
@given(text=texts(0, 30))
def test_word_lengths_properties(comp, text):
    got = comp.word_lengths(text)
    assert type(got) is dict, f"word_lengths should return a dict, got {type(got).__name__}"
    for word, length in got.items():
        where = f"word_lengths({text!r})[{word!r}]"
        assert word and length == len(word), f"{where}: the value should be the key's length {len(word)}"
        assert not any(c.isspace() for c in word), f"{where}: a key cannot hold whitespace"
        assert word[0] not in string.punctuation and word[-1] not in string.punctuation, (
            f"{where}: the punctuation at both ends should be stripped"
        )
        assert word == word.lower(), f"{where}: keys are lowercase"
    again = comp.word_lengths(" ".join(got))
    assert again == got and list(again) == list(got), (
        f"feeding the keys back, word_lengths({' '.join(got)!r}) should give the same dict: {again}"
    )


@kata_settings(max_examples=60)
@given(tokens=st.lists(words(1, 5), max_size=8), gaps=st.lists(SPACES, min_size=9, max_size=9))
def test_word_lengths_whitespace_and_wrapping_do_not_matter(comp, tokens, gaps):
    plain = comp.word_lengths(" ".join(tokens))
    spaced = "".join(gap + token for gap, token in zip(gaps, tokens, strict=False)) + gaps[-1]
    assert comp.word_lengths(spaced) == plain, (
        f"any whitespace separates words: word_lengths({spaced!r}) should equal word_lengths of the same "
        f"words joined by single spaces, {plain}"
    )
    wrapped = " ".join(f"({token}),!" for token in tokens)
    assert comp.word_lengths(wrapped) == plain, (
        f"punctuation around the words is stripped: word_lengths({wrapped!r}) should be {plain}"
    )
    shouted = " ".join(token.upper() if token.upper().lower() == token.lower() else token for token in tokens)
    assert comp.word_lengths(shouted) == plain, (
        f"case does not matter: word_lengths({shouted!r}) should be {plain}"
    )
