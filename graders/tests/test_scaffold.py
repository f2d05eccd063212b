"""`python -m graders dev new`: a new kata that `dev lint` accepts and `verify` rejects only because it is not
solved yet."""

from __future__ import annotations

import shutil

import pytest

from graders.catalog import select
from graders.dev import verify as verify_module
from graders.dev.lint import lint
from graders.tests.test_lint import copy_repo, graders

NEW = "python_pandas/q10_memory_redux"


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A copy of the repository where python_pandas's q10 is free for a new kata."""
    root = copy_repo(tmp_path_factory.mktemp("scaffold") / "repo")
    for base in ("katas", "solutions"):
        shutil.rmtree(root / base / "python_pandas" / "q10_memory")
    made = graders(root, "dev", "new", NEW)
    assert made.returncode == 0, made.stdout + made.stderr
    return root


def test_dev_new_writes_every_piece(repo):
    folder, solution = repo / "katas" / NEW, repo / "solutions" / NEW
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md", "kata.toml", "memory_redux.py", "test_memory_redux.py"
    ]  # fmt: skip
    assert sorted(p.name for p in (solution / "near_misses").iterdir()) == [
        "todo_first_mistake.patch", "todo_second_mistake.patch"
    ]  # fmt: skip
    assert (solution / "memory_redux.py").read_text() == (folder / "memory_redux.py").read_text()
    assert "[q10_memory_redux](q10_memory_redux/)" in (repo / "katas/python_pandas/README.md").read_text()
    assert f"katas/{NEW}/kata.toml" in (repo / "graders/manifest.json").read_text()
    again = graders(repo, "dev", "new", "python_pandas/q10_again")
    assert again.returncode == 2 and "q10 exists already" in again.stderr


def test_dev_lint_accepts_the_new_kata(repo):
    # The kata, its topic's table and the generated manifest and workflow (the other katas of the copy are
    # as the working tree has them).
    problems = lint(repo, select(repo, [NEW]))
    assert not [p for p in problems if NEW in p.where or p.where.startswith(("graders/", ".github/"))], (
        "\n".join(map(str, problems))
    )
    assert graders(repo, "dev", "lint", NEW).returncode == 0


@pytest.mark.timeout(600)
def test_verify_rejects_the_new_kata_only_because_it_is_unsolved(repo, monkeypatch):
    (verdict,) = verify_module.verify(repo, select(repo, [NEW]), jobs=2, echo=lambda _: None)
    assert verdict.tests == 1 and verdict.near_misses == verdict.near_misses_run == 2
    unsolved = ("no test passes against the solution", "solution failed: ")
    assert verdict.problems and all(p.startswith(unsolved) for p in verdict.problems), verdict.problems
    assert all(
        "NotImplementedError: solve: write it in" in p for p in verdict.problems if p.startswith(unsolved[1])
    )
