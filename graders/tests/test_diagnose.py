"""Known mistakes recognised from failures: the match rule, the stored signatures, and the learner's screen."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from graders.catalog import all_katas
from graders.diagnose import FILE, diagnose, stale
from graders.runner import TestResult as Result
from graders.screen import shape
from graders.tests.conftest import ADD_SOLUTION, ADD_STUB, ADD_TESTS, REPO, MiniRepo

SIGNATURE = """
inputs = "x"

[[mistake]]
name = "off_by_one"
hint = "This looks like a known mistake: the sum is one too small."
unique = true
[mistake.fails]
"test_demo.py::test_adds" = "failed:AssertionError: expected #, got #"

[[mistake]]
name = "twin_a"
hint = "twin"
unique = false
[mistake.fails]
"test_demo.py::test_other" = "failed:KeyError: …"
"""


def _failed(name: str, message: str) -> Result:
    return Result(
        f"katas/python_pandas/e01_demo/test_demo.py::{name}", "python_pandas/e01_demo", "failed", message
    )


def test_the_match_rule_is_exact(tmp_path):
    (tmp_path / FILE).write_text(SIGNATURE)
    same = [_failed("test_adds", "AssertionError: expected 5, got 4"), Result("a::test_ok", "k", "passed")]
    assert diagnose(tmp_path, same)["name"] == "off_by_one"
    extra = [*same, _failed("test_more", "AssertionError: expected 5, got 4")]
    assert diagnose(tmp_path, extra) is None, "nothing else may fail"
    other_shape = [_failed("test_adds", "TypeError: unsupported operand")]
    assert diagnose(tmp_path, other_shape) is None, "the message must have the same shape"
    ambiguous = [_failed("test_other", "KeyError: 'x'")]
    assert diagnose(tmp_path, ambiguous) is None, "a signature two near misses share gives no hint"
    assert diagnose(tmp_path, [Result("a::t", "k", "passed")]) is None
    # Both flagged unique (a hand edit, a bad merge): the rule still counts them.
    (tmp_path / FILE).write_text(SIGNATURE.replace("twin_a", "off_by_two").replace("unique = false", "unique = true")
                                 .replace('"test_demo.py::test_other" = "failed:KeyError: …"',
                                          '"test_demo.py::test_adds" = "failed:AssertionError: expected #, got #"'))  # fmt: skip
    assert diagnose(tmp_path, same) is None, "two near misses failing alike: no hint, whatever the flags say"


@pytest.mark.parametrize(
    ("here", "there"),
    [
        (  # an exception class of the learner's module: its name holds a digest of the file's path
            "kata_sklearn_q09_persistence_persist_5312e7fe01.ModelLoadError: features ['a'], got ['b']",
            "kata_sklearn_q09_persistence_persist_93e16546fc.ModelLoadError: features ['b'], got ['a']",
        ),
        (  # the learner's file in a checkout or a graded tree, and the same through --impl
            "hadolint finds problems in katas/deployment/e04_dockerfile/Dockerfile:",
            "hadolint finds problems in /tmp/katas-verify-x1/near_miss_0/deployment/e04_dockerfile/Dockerfile:",
        ),
        (
            "urlpatterns in katas/deployment/e03_django_view/project.py should route 'predict'",
            "urlpatterns in solutions/deployment/e03_django_view/project.py should route 'predict'",
        ),
        ("object at 0x7f3a2b1c0d90 is not picklable", "object at 0x55d0e1f2a3b4 is not picklable"),
    ],
)
def test_a_message_shape_holds_nothing_that_changes_between_runs_or_copies(here, there):
    assert shape(_failed("test_x", here)) == shape(_failed("test_x", there))


def test_a_message_shape_keeps_what_the_mistake_is_about():
    kinds = [
        "ModelLoadError: the model expects features",
        "IntegrityError: the file does not match",
        "AssertionError: expected 3, got 4",
        "AssertionError: read mykatas/a/b",  # not a kata's location
    ]
    assert len({shape(_failed("test_x", kind)) for kind in kinds}) == len(kinds)


OFF_BY_ONE = '''
    """Near miss: the sum is one too small."""

    def add(a, b):
        return a + b - 1
    '''
RAISES = '''
    """Near miss: adding raises for zero."""

    def add(a, b):
        if a == 0:
            raise ValueError("zero")
        return a + b
    '''


@pytest.mark.timeout(300)
def test_check_shows_the_hint_of_a_planted_near_miss_on_one_screen(tmp_path):
    repo = MiniRepo(tmp_path / "repo")
    repo.add_kata(
        "python_pandas/e01_demo",
        stub=ADD_STUB,
        solution=ADD_SOLUTION,
        tests=ADD_TESTS,
        near_misses={"off_by_one": OFF_BY_ONE, "zero_raises": RAISES},
    )
    run = [sys.executable, "-m", "graders"]
    subprocess.run([*run, "diagnoses"], cwd=repo.root, check=True, capture_output=True, timeout=200)
    learner = repo.root / "katas/python_pandas/e01_demo/demo.py"
    learner.write_text(textwrap.dedent(OFF_BY_ONE))
    shown = subprocess.run(
        [*run, "check", "e01_demo"], cwd=repo.root, capture_output=True, text=True, timeout=100
    )
    lines = shown.stdout.strip().splitlines()
    assert (
        len(lines) <= 15
        and "hint: This looks like a known mistake: the sum is one too small." in shown.stdout
    )
    learner.write_text(textwrap.dedent(RAISES))
    other = subprocess.run(
        [*run, "check", "e01_demo"], cwd=repo.root, capture_output=True, text=True, timeout=100
    )
    assert "adding raises for zero" in other.stdout
    for text in (ADD_SOLUTION, ADD_STUB):
        learner.write_text(textwrap.dedent(text))
        quiet = subprocess.run(
            [*run, "check", "e01_demo"], cwd=repo.root, capture_output=True, text=True, timeout=100
        )
        assert "hint:" not in quiet.stdout, "solutions and stubs get no diagnosis"


def test_every_recorded_diagnosis_is_current():
    katas = [k for k in all_katas(REPO) if (k.dir / FILE).is_file()]
    assert katas, "no kata records its near misses' failures yet"
    stale_katas = [k.rel for k in katas if stale(k)]
    assert not stale_katas, (
        f"run `python -m graders diagnoses {' '.join(stale_katas[:5])}` ({len(stale_katas)} stale)"
    )
