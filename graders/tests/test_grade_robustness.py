"""A learner's code may loop forever, kill the interpreter, flood stdout or be missing: each costs one kata."""

from __future__ import annotations

import json

import pytest

from graders import runner
from graders.catalog import all_katas
from graders.grading.grade import classroom_json, grade
from graders.tests.conftest import ADD_SOLUTION, ADD_TESTS, MiniRepo

LOOPS = """
    def add(a, b):
        while True:
            pass
    """
EXITS = """
    import os

    def add(a, b):
        os._exit(3)
    """
FLOODS = """
    import sys

    def add(a, b):
        for _ in range(200):
            sys.stdout.write("x" * 50_000 + "\\n")
        return a + b
    """
FAILS_THEN_EXITS = """
    import os

    def add(a, b):
        if a == 2:
            return 0  # the first test fails an assertion ...
        os._exit(3)  # ... and the next one kills the interpreter
    """
BLOCKS_ALARM = """
    import signal

    def add(a, b):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            pass
    """


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    mini_repo = MiniRepo(tmp_path_factory.mktemp("graded") / "repo")
    mini_repo.add_kata("python_pandas/e01_loops", stub=LOOPS, tests=ADD_TESTS, timeout=1)
    mini_repo.add_kata("python_pandas/e02_exits", stub=EXITS, tests=ADD_TESTS)
    mini_repo.add_kata("python_pandas/e03_floods", stub=FLOODS, tests=ADD_TESTS)
    missing = mini_repo.add_kata("python_pandas/e04_missing", stub=ADD_SOLUTION, tests=ADD_TESTS)
    (missing / "demo.py").unlink()
    mini_repo.add_kata("python_pandas/e05_blocks", stub=BLOCKS_ALARM, tests=ADD_TESTS, timeout=1)
    mini_repo.add_kata("python_pandas/q01_fine", stub=ADD_SOLUTION, tests=ADD_TESTS, points=20)
    mini_repo.add_kata("python_pandas/q02_fails_then_exits", stub=FAILS_THEN_EXITS, tests=ADD_TESTS)
    lines: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "GRACE_S", 1.0)
        grades = grade(mini_repo.root, all_katas(mini_repo.root), echo=lines.append)
    return {g.kata.name: g for g in grades}, lines


def test_infinite_loop_is_a_timeout_for_that_kata_only(graded):
    grades, _ = graded
    assert grades["e01_loops"].status == "timeout"
    assert grades["e01_loops"].score == 0
    assert "Timeout" in grades["e01_loops"].message()


def test_os_exit_is_an_error_and_the_run_goes_on(graded):
    grades, _ = graded
    exits = grades["e02_exits"]
    assert exits.status == "error"
    assert "os._exit" in exits.message()
    assert len(exits.results) == 4, "every test of the crashed kata is reported"
    assert grades["q01_fine"].status == "passed", "katas after the crash were still graded"


def test_a_crash_is_reported_before_an_earlier_assertion(graded):
    grades, _ = graded
    crashed = grades["q02_fails_then_exits"]
    assert crashed.status == "error"
    assert "os._exit" in crashed.message() and "assert" not in crashed.message().split("first problem")[1]


def test_megabytes_of_output_neither_break_nor_bloat_the_report(graded):
    grades, lines = graded
    assert grades["e03_floods"].status == "passed"
    report = json.dumps(classroom_json(list(grades.values())))
    assert len(report) < 20_000


def test_missing_learner_file_says_how_to_restore_it(graded):
    message = graded[0]["e04_missing"].message()
    assert graded[0]["e04_missing"].status == "error"
    assert "missing" in message and "git checkout" in message


def test_hang_that_blocks_the_timeout_signal_is_killed(graded):
    blocked = graded[0]["e05_blocks"]
    assert blocked.status == "timeout"
    assert "killed" in blocked.message()


def test_classroom_json_totals(graded):
    grades, lines = graded
    report = classroom_json(list(grades.values()))
    assert report["version"] == 1
    assert report["status"] == "fail"
    assert report["max_score"] == 6 * 10 + 20
    scores = {t["name"]: t["score"] for t in report["tests"]}
    assert scores["python_pandas/q01_fine"] == 20
    assert sum(scores.values()) == pytest.approx(30)  # q01 plus e03, which prints but is right
    assert lines[-1].startswith("grade: 30.00/80 points")
