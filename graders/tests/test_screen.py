"""The learner's screen: grouped failures, the first one explained, and `katas watch` in a real terminal."""

from __future__ import annotations

import os
import re
import sys
import textwrap
import time

import pexpect
import pytest

from graders.runner import TestResult as Result
from graders.screen import group, plain, render, words
from graders.tests.conftest import ADD_SOLUTION, ADD_STUB, ADD_TESTS, MiniRepo

TODO = "NotImplementedError: parse_value: write it in katas/python_pandas/e01_basic_types/records.py"
DETAILS = """katas/python_pandas/e01_basic_types/test_records.py:29: in test_parse_value
    assert_typed_equal(records.parse_value(raw), expected)
katas/python_pandas/e01_basic_types/records.py:23: in parse_value
    return float(raw)
E   AssertionError: parse_value('-7'): expected -7 (int), got -7.0 (float)"""


def _stub_results(count: int) -> list[Result]:
    return [
        Result(f"katas/t/k/test_r.py::test_parse_value[{i}]", "t/k", "failed", TODO) for i in range(count)
    ]


def test_a_stub_kata_fits_in_a_few_lines_and_names_what_to_write():
    lines = [
        plain(line) for line in render("python_pandas/e01_basic_types", _stub_results(37), ["records.py"])
    ]
    assert len(lines) <= 15
    assert "37 tests: parse_value is not written yet" in lines[1]
    assert "records.py" in lines[1] and "0/37" in lines[0]


def test_the_first_real_failure_is_shown_with_expected_and_got_and_the_learner_line():
    failing = [
        Result(f"k::test_parse_value[{v}]", "t/k", "failed", f"AssertionError: parse_value('{v}')", DETAILS)
        for v in ("-7", "+3", "-12")
    ]
    other = Result("k::test_round_trip[0]", "t/k", "failed", "AssertionError: round trip lost 'x'")
    lines = [
        plain(x)
        for x in render("k", [*failing, other, Result("k::test_ok", "t/k", "passed")], ["records.py"])
    ]
    text = "\n".join(lines)
    assert "1/5 tests pass" in lines[0]
    assert "failed: parse value [-7]" in text
    assert "expected -7 (int), got -7.0 (float)" in text
    assert "at katas/python_pandas/e01_basic_types/records.py line 23, in parse_value" in text
    assert "and 2 more test(s) failing the same way" in text
    assert "1 test: AssertionError: round trip lost 'x'" in text


def test_failures_group_by_the_shape_of_their_message():
    results = [
        Result("a::t1", "k", "failed", "AssertionError: expected 3, got 4"),
        Result("a::t2", "k", "failed", "AssertionError: expected 10, got -2"),
        Result("a::t3", "k", "failed", "KeyError: 'x'"),
        Result("a::t4", "k", "passed"),
    ]
    assert [len(g.results) for g in group(results)] == [2, 1]
    assert words("x.py::test_parse_value[a-b]") == "parse value [a-b]"


README = """# {id} · adding

Roadmap: graders tests. Difficulty easy, 10 points.

## Your task

Write `add(a, b)` in demo.py{hint}: it returns the sum of its two arguments.

```bash
pytest katas/python_pandas/{name}
```
"""
WRONG = "def add(a, b):\n    return a - b\n"
HALF_RIGHT = "def add(a, b):\n    return a + b if b != 3 else 0\n"


def _screen_after(buffer: str, marker: str) -> list[str]:
    """The lines of the last screen that shows `marker`: after the last clear before it."""
    text = buffer[: buffer.rindex(marker) + len(marker)]
    text = re.sub(r"\x1b\[2J|\x1b\[H", "\f", text)  # a clear screen / cursor home starts a new screen
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text.rsplit("\f", 1)[-1])
    return [line for line in screen.replace("\r", "").split("\n") if line.strip()]


@pytest.mark.timeout(180)
def test_watch_follows_the_learner_from_stub_to_next_kata(tmp_path):
    repo = MiniRepo(tmp_path / "repo")
    for name, hint in (("e01_add", ""), ("e02_add_more", " again")):
        kata = repo.add_kata(f"python_pandas/{name}", stub=ADD_STUB, solution=ADD_SOLUTION, tests=ADD_TESTS)
        (kata / "README.md").write_text(README.format(id=name[:3], name=name, hint=hint))
    learner = repo.root / "katas/python_pandas/e01_add/demo.py"
    env = {**os.environ, "KATAS_WATCH_ADVANCE_S": "1", "COLUMNS": "120", "LINES": "40", "TERM": "xterm"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "graders", "watch", "python_pandas", "--poll"],
        cwd=str(repo.root),
        env=env,
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=60,
    )
    try:
        child.expect("streak")
        screen = _screen_after(child.before + child.after, "streak")
        assert len(screen) <= 15, screen
        assert any("4 tests: add is not written yet" in line and "demo.py" in line for line in screen), screen

        time.sleep(1.5)  # a person saves a while after the screen appears, once the watcher is up
        learner.write_text(WRONG)
        child.expect("assert -1 == 5")
        child.expect("streak")

        time.sleep(1.5)
        learner.write_text(HALF_RIGHT)
        child.expect(r"3/4 tests pass")
        child.expect("streak")
        half = _screen_after(child.before + child.after, "streak")
        assert any("adds" in line for line in half) and any("assert 0 == 5" in line for line in half), half

        time.sleep(1.5)
        learner.write_text(textwrap.dedent(ADD_SOLUTION))
        child.expect(r"Solved! \+10 points")
        child.expect(r"Next: (\x1b\[[0-9;]*m)*python_pandas/e02_add_more")
        child.expect("Write `add\\(a, b\\)` in demo.py again")
        child.expect("watching python_pandas/e02_add_more")
        child.expect("streak 1")
        child.send("q")
        child.expect(pexpect.EOF, timeout=30)
    finally:
        child.close(force=True)
