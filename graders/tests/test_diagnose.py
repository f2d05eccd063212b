"""Known mistakes recognised from failures: the match rule, the stored signatures, and the learner's screen."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from graders.catalog import all_katas
from graders.dev.verify import _diagnoses_recognise_themselves, _near_miss_round, verify
from graders.diagnose import FILE, ambiguous, diagnose, generate, load, signature, stale
from graders.grading.grade import grade
from graders.grading.staging import TrustedTree
from graders.runner import TestResult as Result
from graders.runner import run_pytest
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
        (  # __main__ is pytest's in a cold run, the grader's in a forked (warm) one
            "Can't get attribute 'f' on <module 'pytest.__main__' from '/venv/lib/pytest/__main__.py'>",
            "Can't get attribute 'f' on <module '__main__' from '/work/graders/warm.py'>",
        ),
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


def test_every_recorded_near_miss_is_diagnosed_as_itself_or_not_at_all():
    """By the rule, on the stored signatures of all katas: itself, or nothing where two near misses share one."""
    problems = {k.rel: _diagnoses_recognise_themselves(k)[0] for k in all_katas(REPO)}
    assert not {rel: found for rel, found in problems.items() if found}


# Near misses across topics, graded as the learner's file, against the same near misses through --impl. Chosen
# for what differs between the two: the learner file's path in the message (deployment e04: `katas/…` graded,
# a temporary folder through the switch), the learner module's name (sklearn q09's exception classes), a shared
# signature (pytorch e01: expansion_formula and uses_cdist fail alike: no hint), plain assertions.
AS_LEARNER = {
    "python_pandas/e01_basic_types": ("digits_only_ints", "unstripped_list"),
    "deployment/e04_dockerfile": ("code_before_dependencies", "runs_as_root"),
    "sklearn/q09_persistence": ("features_before_hash", "hash_before_versions"),
    "pytorch/e01_tensor_ops": ("expansion_formula", "squared_distances"),
}


@pytest.mark.timeout(900)
def test_a_near_miss_graded_as_the_learners_file_is_diagnosed_as_through_the_switch(tmp_path):
    katas = {k.rel: k for k in all_katas(REPO) if k.rel in AS_LEARNER}
    trusted = TrustedTree.from_dir(REPO)  # the working tree's tests and records, as the switch run reads them
    for index in range(2):
        chosen = {
            katas[rel]: next(m for m in katas[rel].near_misses() if m.name == names[index])
            for rel, names in AS_LEARNER.items()
        }
        impl = _near_miss_round(tmp_path, index, chosen)
        switched = run_pytest(REPO, [k.dir for k in chosen], impl=str(impl)).by_kata()
        graded = grade(REPO, list(chosen), impl=str(impl), trusted=trusted, warm=False, echo=lambda _: None)
        for kata_grade in graded:
            kata, name = kata_grade.kata, chosen[kata_grade.kata].name
            assert signature(kata_grade.results) == signature(switched[kata.rel]), f"{kata.rel} {name}"
            mistakes = load(kata.dir)
            mine = next(m for m in mistakes if m["name"] == name)
            shared = any(name in names for names in ambiguous(mistakes))
            expected = "" if shared else mine["hint"]
            assert kata_grade.hint == expected, f"{kata.rel} {name}: graded as the learner's file"
            through_switch = diagnose(kata.dir, switched[kata.rel])
            assert (through_switch["hint"] if through_switch else "") == expected, f"{kata.rel} {name}"


TWICE_AS_MUCH = '''
    """Near miss: doubles the sum."""

    def add(a, b):
        return 2 * (a + b)
    '''


@pytest.mark.timeout(300)
def test_verify_fails_a_near_miss_that_no_longer_fails_as_recorded_and_names_twins(mini_repo):
    near_misses = {"off_by_one": OFF_BY_ONE, "zero_raises": RAISES, "doubles": TWICE_AS_MUCH}
    tests = ADD_TESTS + "\n    def test_adds_zero(demo):\n        assert demo.add(0, 4) == 4, 'adding zero'\n"
    mini_repo.add_kata("python_pandas/e01_demo", stub=ADD_STUB, solution=ADD_SOLUTION, tests=tests,
                       near_misses=near_misses)  # fmt: skip
    (kata,) = all_katas(mini_repo.root)
    generate(mini_repo.root, [kata], echo=lambda _: None)
    (verdict,) = verify(mini_repo.root, [kata], echo=lambda _: None, warm=False)
    assert verdict.problems == [] and verdict.notes == [
        "near misses doubles and off_by_one fail alike: their hints are never shown"
    ]
    # A record that says the near misses failed test_adds otherwise: as if its message changed between runs.
    record = kata.dir / FILE
    recorded = record.read_text()
    record.write_text(
        recorded.replace('test_adds" = "failed:AssertionError: assert # == #', 'test_adds" = "failed:x')
    )
    (verdict,) = verify(mini_repo.root, [kata], echo=lambda _: None, warm=False)
    drift = sorted(p.split(":")[0] for p in verdict.problems if "changes from run to run" in p)
    assert drift == ["near miss doubles, cold", "near miss off_by_one, cold"], (
        verdict.problems
    )  # not zero_raises
    # The tests changed since the record: one problem, the command that re-records.
    record.write_text(recorded)
    tests_file = kata.dir / "test_demo.py"
    tests_file.write_text(tests_file.read_text() + "\n# changed\n")
    (verdict,) = verify(mini_repo.root, [kata], echo=lambda _: None, warm=False)
    assert verdict.problems == [
        "diagnoses.toml is stale: run `python -m graders diagnoses python_pandas/e01_demo`"
    ]
    generate(mini_repo.root, [kata], echo=lambda _: None)
    # A record hand-edited to show an ambiguous hint.
    record.write_text(record.read_text().replace("unique = false", "unique = true"))
    (verdict,) = verify(mini_repo.root, [kata], echo=lambda _: None, warm=False)
    assert "diagnoses.toml: near miss doubles has the wrong `unique` flag" in verdict.problems
