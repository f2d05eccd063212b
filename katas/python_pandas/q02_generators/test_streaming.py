"""Hidden-test style checks for python_pandas/q02: lazy generators and a bounded-memory pipeline."""

import itertools
import random
import tracemalloc

import pytest

from graders.checks import CountingIterator, assert_typed_equal

LINES = 20_000


@pytest.fixture
def st(kata):
    return kata.module("streaming")


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    rng = random.Random(20)
    path = tmp_path_factory.mktemp("q02") / "transactions.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write("user,amount\n")
        for i in range(LINES):
            if i % 997 == 0:
                out.write("# checkpoint\n")
            if i % 1009 == 0:
                out.write("\n")
            out.write(f"u{rng.randint(0, 199):03d},{' ' if i % 7 == 0 else ''}{rng.uniform(0, 200):.2f}\n")
    return path


def eager_total(path, threshold):
    """The list-based version: every line and every record in memory at once."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    records = [
        (line.split(",", 1)[0].strip(), float(line.split(",", 1)[1]))
        for line in lines
        if line.strip() and not line.startswith("#") and line != "user,amount"
    ]
    kept = [r for r in records if r[1] >= threshold]
    totals = {}
    for user, amount in kept:
        totals[user] = totals.get(user, 0.0) + amount
    return totals


def test_parse_records_example(st):
    got = list(st.parse_records(["user,amount", "u1, 2.5", "", "# note", "u2,4", "   ", " u3 ,1e2 "]))
    assert_typed_equal(got, [("u1", 2.5), ("u2", 4.0), ("u3", 100.0)], "parse_records(example lines)")


def test_parse_records_is_lazy(st):
    source = CountingIterator(itertools.cycle(["user,amount", "a,1.5", "", "# c", "b,2"]))
    gen = st.parse_records(source)
    assert source.pulls == 0, f"parse_records() pulled {source.pulls} lines before anyone asked for a record"
    got = list(itertools.islice(gen, 3))
    assert_typed_equal(got, [("a", 1.5), ("b", 2.0), ("a", 1.5)], "the first 3 records of an endless stream")
    assert source.pulls == 7, (
        f"3 records need exactly 7 lines from that stream, parse_records pulled {source.pulls}"
    )


def test_large_only_is_lazy_and_inclusive(st):
    source = CountingIterator(itertools.cycle([("a", 5.0), ("b", 10.0), ("c", 10.01), ("d", 9.99)]))
    gen = st.large_only(source, 10.0)
    assert source.pulls == 0, f"large_only() pulled {source.pulls} records before anyone asked"
    got = list(itertools.islice(gen, 3))
    assert_typed_equal(
        got, [("b", 10.0), ("c", 10.01), ("b", 10.0)], "large_only(..., 10.0): amounts >= 10.0"
    )
    assert source.pulls == 6, f"3 kept records need 6 pulls here, large_only pulled {source.pulls}"


def test_read_lines_opens_lazily(st, tmp_path):
    gen = st.read_lines(tmp_path / "missing.txt")  # must not raise yet
    with pytest.raises(FileNotFoundError):
        next(gen)
    path = tmp_path / "small.txt"
    path.write_bytes(b"user,amount\r\nu1,2\n\nu2,3")
    assert_typed_equal(
        list(st.read_lines(path)), ["user,amount", "u1,2", "", "u2,3"], "read_lines(small file)"
    )


def test_total_by_user_small(st, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("user,amount\n# x\nb,5\na,20\n\nb,20.5\nc,19.99\na,1\n", encoding="utf-8")
    assert_typed_equal(
        st.total_by_user(path), {"b": 25.5, "a": 21.0, "c": 19.99}, "total_by_user(small file)"
    )
    assert_typed_equal(
        st.total_by_user(path, 20.0), {"a": 20.0, "b": 20.5}, "total_by_user(small file, 20.0)"
    )


@pytest.mark.parametrize("threshold", [0.0, 150.0])
def test_total_by_user_equals_eager(st, big_file, threshold):
    assert_typed_equal(
        st.total_by_user(big_file, threshold),
        eager_total(big_file, threshold),
        f"total_by_user(20,000 lines, {threshold})",
    )


def _peak(func, *args):
    tracemalloc.start()
    try:
        result = func(*args)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_streaming_peak_far_below_eager_peak(st, big_file):
    eager, eager_peak = _peak(eager_total, big_file, 50.0)
    streamed, stream_peak = _peak(st.total_by_user, big_file, 50.0)
    assert streamed == eager, "total_by_user differs from the eager result"
    assert stream_peak * 10 < eager_peak, (
        f"total_by_user peaked at {stream_peak / 1e6:.2f} MB, the eager list version at {eager_peak / 1e6:.2f} MB: "
        "a streaming pipeline should stay under a tenth of that (no readlines(), no lists of lines or records)"
    )
