"""Near misses as patches: the format round-trips, stale patches are caught, `dev near-miss` edits them,
verify runs them, and no student export ships them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from hypothesis import given
from hypothesis import strategies as st

from graders.catalog import katas_in_topic, select
from graders.dev.nearmiss import FilePatch, Patch, apply, convert, diff, lines_of, parse
from graders.tests.conftest import REPO, MiniRepo

LINES = st.lists(
    st.sampled_from(["a\n", "b\n", "c\n", "\n", "    x = 1\n", "def f():\n", "é\n"]), max_size=25
)

SOLUTION = '''\
"""Reference solution: add two numbers."""


def add(a, b):
    total = a + b
    return total
'''
OFF_BY_ONE = '''\
"""Near miss: adds one too many, as a loop that counts from 1 would."""


def add(a, b):
    total = a + b + 1
    return total
'''
ZERO = '''\
"""Near miss: forgets the second argument,
so add(2, 3) is 2."""


def add(a, b):
    total = a
    return total
'''
TESTS = """
    import pytest

    @pytest.fixture
    def demo(kata):
        return kata.module("demo")

    def test_adds(demo):
        assert demo.add(2, 3) == 5
    """


def _run(repo: MiniRepo, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graders", *args], cwd=repo.root, capture_output=True, text=True, timeout=120
    )


def _kata(repo: MiniRepo, near_misses: dict[str, str]):
    repo.add_kata(
        "python_pandas/e01_add", stub=SOLUTION, solution=SOLUTION, tests=TESTS, near_misses=near_misses
    )
    return select(repo.root, ["python_pandas/e01_add"])[0]


@given(
    old=LINES, new=LINES, old_tail=st.sampled_from(["", "end"]), new_tail=st.sampled_from(["", "end", "x"])
)
def test_a_rendered_patch_applied_to_the_old_text_gives_the_new_one(old, new, old_tail, new_tail):
    before, after = "".join(old) + old_tail, "".join(new) + new_tail
    text = Patch([], [FilePatch("f.py", diff(lines_of(before), lines_of(after)))]).render()
    (change,) = parse(text, "test").files
    result, rejected = apply(before, change)
    assert not rejected and result == after


def test_hunks_follow_the_reference_when_lines_move_and_are_refused_when_their_context_changes():
    before = "".join(f"line {i}\n" for i in range(30))
    after = before.replace("line 20\n", "line twenty\n")
    (hunk,) = diff(lines_of(before), lines_of(after))
    change = FilePatch("f.py", [hunk])
    moved = "new first line\nanother\n" + before
    assert apply(moved, change) == ("new first line\nanother\n" + after, [])
    edited = before.replace("line 19\n", "line nineteen\n")  # a context line of the hunk
    assert apply(edited, change)[1] == [hunk]


def test_the_note_is_the_header_and_the_runnable_file_is_the_full_copy_again(mini_repo):
    kata = _kata(mini_repo, {"off_by_one": OFF_BY_ONE, "zero": ZERO})
    assert convert(kata, echo=lambda _: None) == 2
    patch = (kata.solution_dir / "near_misses" / "zero.patch").read_text()
    assert patch.startswith(
        '"""Near miss: forgets the second argument,\nso add(2, 3) is 2."""\n\n--- a/demo.py\n'
    )
    assert "-    total = a + b\n+    total = a\n" in patch and "Reference solution" not in patch
    by_name = {m.name: m for m in kata.near_misses()}
    assert [m.is_patch for m in by_name.values()] == [True, True]
    assert by_name["zero"].files() == {"demo.py": ZERO} and by_name["off_by_one"].files() == {
        "demo.py": OFF_BY_ONE
    }
    assert by_name["zero"].note == "forgets the second argument, so add(2, 3) is 2."
    assert not (kata.solution_dir / "near_misses" / "zero").exists()
    assert convert(kata, echo=lambda _: None) == 0, "convert is idempotent"
    # Code written for folders (verify, diagnose) reads the same bytes from iterdir().
    (path,) = by_name["zero"].iterdir()
    assert path.name == "demo.py" and path.read_text() == ZERO and ".katas" in path.parts
    runnable = by_name["off_by_one"].write_runnable(mini_repo.root / "scratch")
    assert (runnable / "demo.py").read_text() == OFF_BY_ONE


def test_convert_keeps_a_current_diagnoses_record_current(mini_repo):
    from graders import diagnose

    kata = _kata(mini_repo, {"off_by_one": OFF_BY_ONE, "zero": ZERO})
    diagnose.write(kata, {"off_by_one": {"test_demo.py::test_adds": "AssertionError"}, "zero": {}})
    assert not diagnose.stale(kata)
    convert(kata, echo=lambda _: None)
    assert not diagnose.stale(kata), "the files are byte for byte the same: the record still holds"


def test_verify_runs_patches_like_folders(mini_repo):
    from graders.dev.verify import verify

    kata = _kata(mini_repo, {"off_by_one": OFF_BY_ONE, "zero": ZERO})
    convert(kata, echo=lambda _: None)
    (verdict,) = verify(mini_repo.root, [kata], jobs=2, echo=lambda _: None)
    assert verdict.near_misses == verdict.near_misses_run == 2


def test_new_edit_refresh_through_the_command_line(mini_repo):
    kata = _kata(mini_repo, {"off_by_one": OFF_BY_ONE})
    made = _run(mini_repo, "dev", "near-miss", "new", kata.rel, "negated")
    assert made.returncode == 0, made.stderr
    copy = mini_repo.root / ".katas" / "edit" / "negated" / "python_pandas" / "e01_add" / "demo.py"
    assert f"pytest katas/{kata.rel} --impl=.katas/edit/negated" in made.stdout
    text = copy.read_text()
    assert text.startswith('"""Near miss: TODO') and text.endswith("    return total\n")
    placeholder = "TODO: say what this mistake gets wrong (the learner reads it as a hint)."
    copy.write_text(text.replace(placeholder, "subtracts.").replace("a + b", "a - b"))
    refreshed = _run(mini_repo, "dev", "near-miss", "refresh", kata.rel, "negated")
    assert refreshed.returncode == 0 and "refreshed" in refreshed.stdout, refreshed.stdout + refreshed.stderr
    (negated,) = [m for m in kata.near_misses() if m.name == "negated"]
    assert negated.note == "subtracts." and negated.files() == {"demo.py": copy.read_text()}
    # The reference moves on under the patch: refresh re-bases it; a changed context makes it stale.
    reference = kata.solution_dir / "demo.py"
    reference.write_text(reference.read_text().replace('."""\n', '."""\n\nimport math\n'))
    assert _run(mini_repo, "dev", "near-miss", "refresh", kata.rel).returncode == 0
    assert negated.files()["demo.py"].count("import math") == 1
    reference.write_text(reference.read_text().replace("return total", "return int(total)"))
    stale = _run(mini_repo, "dev", "near-miss", "edit", kata.rel, "negated")
    assert "no longer applies: make it by hand" in stale.stdout and "-    total = a + b" in stale.stdout


def test_converted_topics_hold_no_full_copies():
    for topic in ("python_pandas", "pytorch"):
        for kata in katas_in_topic(REPO, topic):
            folders = [m.name for m in kata.near_misses() if not m.is_patch]
            assert not folders, (
                f"{kata.rel}: `python -m graders dev near-miss convert {kata.rel}` ({folders})"
            )


def test_student_export_ships_no_near_miss(tmp_path):
    from graders.dev.classroom import export_template

    files = export_template(REPO, tmp_path / "student", ["python_pandas"])
    assert not any("near_misses" in f or f.endswith(".patch") for f in files)
    exported = "\n".join(
        p.read_text(errors="ignore") for p in (tmp_path / "student").rglob("*") if p.is_file()
    )
    for kata in katas_in_topic(REPO, "python_pandas"):
        public = "\n".join(p.read_text(errors="ignore") for p in kata.dir.rglob("*") if p.is_file())
        for miss in kata.near_misses():
            mistakes = [
                line[1:].strip()
                for line in textwrap.dedent(miss.source.read_text()).splitlines()
                if line.startswith("+") and not line.startswith("+++") and len(line.strip()) > 40
            ]
            leaked = [line for line in mistakes if line not in public and line in exported]
            assert not leaked, f"{miss.where} leaks into the student template: {leaked[:1]}"
