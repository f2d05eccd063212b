"""Hidden-test style checks for python_pandas/q02: lazy generators and a bounded-memory pipeline.

Expected totals come from the file writer (it knows every amount it wrote); Hypothesis builds lines from known
records plus noise (blank, comment and header lines, padded fields, unicode users, extreme amounts).
"""

import itertools
import json
import os
import random
import subprocess
import sys
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from graders.kit.checks import CountingIterator, assert_typed_equal
from graders.kit.strategies import kata_settings, numbers, words

LINES = 20_000


@pytest.fixture
def st(kata):
    return kata.module("streaming")


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    """The file, and the (user, amount) records it holds in file order, as the writer knows them."""
    rng = random.Random(20)
    path = tmp_path_factory.mktemp("q02") / "transactions.csv"
    written = []
    with open(path, "w", encoding="utf-8") as out:
        out.write("user,amount\n")
        for i in range(LINES):
            if i % 997 == 0:
                out.write("# checkpoint\n")
            if i % 1009 == 0:
                out.write("\n")
            user, amount = f"u{rng.randint(0, 199):03d}", f"{rng.uniform(0, 200):.2f}"
            out.write(f"{user},{' ' if i % 7 == 0 else ''}{amount}\n")
            written.append((user, float(amount)))
    return path, written


def expected_totals(written, threshold):
    """The README's sequential loop over the records the writer put in the file."""
    totals = {}
    for user, amount in written:
        if amount >= threshold:
            totals[user] = totals.get(user, 0.0) + amount
    return totals


def eager_load(path):
    """What an eager version holds at once: every line in a list, and every line split in two."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    fields = [line.split(",", 1) for line in lines]
    return len(fields)


def test_parse_records_example(st):
    got = list(st.parse_records(["user,amount", "u1, 2.5", "", "# note", "u2,4", "   ", " u3 ,1e2 "]))
    assert_typed_equal(got, [("u1", 2.5), ("u2", 4.0), ("u3", 100.0)], "parse_records(example lines)")


@pytest.mark.parametrize("line", ["u1,2,5", "u1,abc", "u1", "u1,"])
def test_parse_records_refuses_bad_lines(st, line):
    with pytest.raises(ValueError):
        list(st.parse_records(["user,amount", "u0,1", line]))


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


def test_read_lines_removes_only_the_line_ending(st, tmp_path):
    path = tmp_path / "edges.txt"
    path.write_bytes("  padded  \r\nendsX\n\tzo\u00eb,1\t\n\n".encode())
    assert_typed_equal(
        list(st.read_lines(path)),
        ["  padded  ", "endsX", "\tzo\u00eb,1\t", ""],
        "read_lines keeps spaces and tabs, and every other character, removing only '\\n' or '\\r\\n'",
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


def test_total_by_user_default_threshold_is_zero(st, tmp_path):
    path = tmp_path / "refunds.csv"
    path.write_text("user,amount\nd,0.5\ne,-3\nb,0\nd,0.25\ne,2\n", encoding="utf-8")
    assert_typed_equal(
        st.total_by_user(path),
        {"d": 0.75, "b": 0.0, "e": 2.0},
        "total_by_user(file with small, zero and negative amounts): the default threshold 0.0 keeps 0 and "
        "everything above it, and drops the refund -3",
    )
    assert_typed_equal(
        st.total_by_user(path, -5.0), {"d": 0.75, "e": -1.0, "b": 0.0}, "total_by_user(..., -5.0)"
    )


UTF8_RUN = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("streaming_under_test", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(json.dumps(module.total_by_user(sys.argv[2]), ensure_ascii=True))
"""


def test_file_is_read_as_utf8_whatever_the_locale(kata, st, tmp_path):
    path = tmp_path / "names.csv"
    path.write_text(
        "user,amount\nzo\u00eb,1.5\n\u0411\u043e\u0440\u0438\u0441,2\nzo\u00eb,1\n", encoding="utf-8"
    )
    expected = {"zo\u00eb": 2.5, "\u0411\u043e\u0440\u0438\u0441": 2.0}
    assert_typed_equal(st.total_by_user(path), expected, "total_by_user(file with non-ASCII users)")
    # The same in a Python whose locale encoding is ASCII (as on a machine set up with LC_ALL=C).
    env = {**os.environ, "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    done = subprocess.run(
        [sys.executable, "-c", UTF8_RUN, str(kata.path("streaming.py")), str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, (
        "total_by_user failed in a Python whose default encoding is ASCII: open the file with "
        f"encoding='utf-8' (the file is UTF-8 whatever the machine's locale):\n{done.stderr[-800:]}"
    )
    assert json.loads(done.stdout) == expected, f"with an ASCII locale, total_by_user gave {done.stdout}"


@pytest.mark.parametrize("threshold", [0.0, 50.0, 150.0])
def test_total_by_user_equals_the_written_records(st, big_file, threshold):
    path, written = big_file
    assert_typed_equal(
        st.total_by_user(path, threshold),
        expected_totals(written, threshold),
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
    path, written = big_file
    _, eager_peak = _peak(eager_load, path)
    streamed, stream_peak = _peak(st.total_by_user, path, 50.0)
    assert streamed == expected_totals(written, 50.0), "total_by_user differs from the records in the file"
    assert stream_peak * 10 < eager_peak, (
        f"total_by_user peaked at {stream_peak / 1e6:.2f} MB, the eager list version at {eager_peak / 1e6:.2f} MB: "
        "a streaming pipeline should stay under a tenth of that (no readlines(), no lists of lines or records)"
    )


USERS = words(1, 6, exclude=",#")
AMOUNTS = numbers("float", min_value=-1e300, max_value=1e300, edges=(0.0, -0.0, 100.0))
PAD = hs.sampled_from(["", " ", "  "])
NOISE = hs.sampled_from(["", "   ", "\t", "# a comment", "#", "#user,amount", "user,amount"])


@kata_settings(max_examples=60)
@given(
    records=hs.lists(hs.tuples(USERS, AMOUNTS, PAD, PAD, PAD), max_size=8),
    noise=hs.lists(hs.tuples(hs.integers(0, 8), NOISE), max_size=5),
)
def test_parse_records_properties(st, records, noise):
    lines = [f"{p1}{user}{p2},{p3}{amount!r}{p2}" for user, amount, p1, p2, p3 in records]
    for position, line in sorted(noise, reverse=True):
        lines.insert(min(position, len(lines)), line)
    got = list(st.parse_records(lines))
    expected = [(user, amount) for user, amount, *_ in records]
    assert_typed_equal(got, expected, f"parse_records({lines!r})")


@kata_settings(max_examples=60)
@given(
    amounts=hs.lists(numbers("float", min_value=-1e6, max_value=1e6, edges=(10.0, -0.0)), max_size=12),
    threshold=hs.sampled_from([10.0, 0.0, -0.0, 1e-300]),
)
def test_large_only_properties(st, amounts, threshold):
    records = [(f"u{k}", amount) for k, amount in enumerate(amounts)]
    kept = list(st.large_only(iter(records), threshold))
    assert all(amount >= threshold for _, amount in kept), f"large_only(..., {threshold}) kept {kept}"
    assert [r for r in records if r in kept] == kept, (
        f"large_only(..., {threshold}): {kept} is not in input order"
    )
    dropped = [r for r in records if r not in kept]
    assert all(amount < threshold for _, amount in dropped), (
        f"large_only(..., {threshold}) dropped {[r for r in dropped if r[1] >= threshold]}: amounts equal to or "
        "above the threshold are kept (>=)"
    )
