"""Hidden-test style checks for python_pandas/e02: comprehensions and a lazy generator."""

import itertools
import random
import string
from collections.abc import Iterator

import pytest

from graders.checks import CountingIterator, assert_typed_equal


@pytest.fixture
def comp(kata):
    return kata.module("comprehensions")


@pytest.mark.parametrize("n", [0, 1, 5, 13, -3])
def test_squares(comp, n):
    assert_typed_equal(comp.squares(n), [i**2 for i in range(max(n, 0))], f"squares({n})")


def test_evens_values(comp):
    rng = random.Random(2)
    assert_typed_equal(list(comp.evens([3, -2, 0, 7])), [-2, 0], "list(evens([3, -2, 0, 7]))")
    for _ in range(50):
        numbers = [rng.randint(-100, 100) for _ in range(rng.randint(0, 30))]
        expected = [x for x in numbers if x % 2 == 0]
        assert_typed_equal(list(comp.evens(numbers)), expected, f"list(evens({numbers}))")


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


def test_flatten(comp):
    assert_typed_equal(comp.flatten([[1, 2], [], (3,), [[4], 5]]), [1, 2, 3, [4], 5], "flatten(example)")
    assert_typed_equal(comp.flatten([]), [], "flatten([])")
    rng = random.Random(3)
    for _ in range(50):
        nested = [[rng.randint(0, 9) for _ in range(rng.randint(0, 4))] for _ in range(rng.randint(0, 6))]
        expected = list(itertools.chain.from_iterable(nested))
        assert_typed_equal(comp.flatten(nested), expected, f"flatten({nested})")


def test_word_lengths_example(comp):
    got = comp.word_lengths("Data beats opinions, DATA wins -- don't guess!")
    expected = {"data": 4, "beats": 5, "opinions": 8, "wins": 4, "don't": 5, "guess": 5}
    assert_typed_equal(got, expected, "word_lengths(example)")
    assert_typed_equal(comp.word_lengths("  ... !!  "), {}, "word_lengths of punctuation only")


def _reference_word_lengths(text):
    out = {}
    for raw in text.split():
        word = raw.strip(string.punctuation).lower()
        if word and word not in out:
            out[word] = len(word)
    return out


def test_word_lengths_random(comp):
    rng = random.Random(4)
    vocab = ["Pandas", "numpy", "data", "Data", "it's", "(model)", "x", "--", "score:", '"quoted"', "e-mail"]
    for _ in range(60):
        words = rng.choices(vocab, k=rng.randint(0, 12))
        text = "".join(w + rng.choice([" ", "  ", "\t", "\n", ", "]) for w in words)
        assert_typed_equal(comp.word_lengths(text), _reference_word_lengths(text), f"word_lengths({text!r})")
