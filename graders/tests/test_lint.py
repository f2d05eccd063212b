"""`python -m graders dev lint`: passes on the repository, fast, and each drift planted in a copy is reported
with its fix (and repaired by `--fix` where the problem says so).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from graders.catalog import all_katas, select
from graders.dev.lint import Problem, lint, repair
from graders.tests.conftest import REPO

NOT_COPIED = shutil.ignore_patterns(
    ".git", ".katas", "__pycache__", ".hypothesis", ".ruff_cache", ".benchmarks", "*.egg-info", ".venv"
)


def copy_repo(target: Path) -> Path:
    """The working tree as a fresh clone would have it (no caches, no git)."""
    shutil.copytree(REPO, target, ignore=NOT_COPIED)
    return target


def graders(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graders", *args], cwd=root, capture_output=True, text=True, timeout=300
    )


def test_dev_lint_passes_on_the_repository_in_seconds():
    start = time.perf_counter()
    problems = lint(REPO, all_katas(REPO))
    assert time.perf_counter() - start < 10, "dev lint must stay static and fast"
    assert not problems, "\n".join(map(str, problems))


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """A copy of the repository after every automatic fix: the baseline the planted drifts differ from."""
    root = copy_repo(tmp_path_factory.mktemp("lint") / "repo")
    for command in (
        ["dev", "near-miss", "convert"],
        ["dev", "lint", "--fix", "--source-from-readme"],
        ["manifest"],
        ["classroom"],
    ):
        done = graders(root, *command)
        assert done.returncode in (0, 1), done.stdout + done.stderr
    return root


@pytest.fixture
def plant(copy: Path):
    """`plant(rel, change)` rewrites a file of the copy (change: old text -> new text, None deletes it);
    every planted file is restored afterwards."""
    saved: dict[Path, bytes | None] = {}

    def change(rel: str, edit: Callable[[str], str | None]) -> Path:
        path = copy / rel
        saved.setdefault(path, path.read_bytes() if path.exists() else None)
        new = edit(path.read_text(encoding="utf-8") if path.exists() else "")
        if new is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new, encoding="utf-8")
        return path

    yield change
    for path, data in saved.items():
        if data is None:
            path.unlink(missing_ok=True)
            if path.parent.is_dir() and not any(path.parent.iterdir()):
                path.parent.rmdir()
        else:
            path.write_bytes(data)


@pytest.fixture(scope="module")
def baseline(copy: Path) -> set[Problem]:
    return set(lint(copy, all_katas(copy)))


def new_problems(copy: Path, baseline: set[Problem], kata: str) -> list[Problem]:
    return [p for p in lint(copy, select(copy, [kata])) if p not in baseline]


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"the planted drift needs {old!r}"
        return text.replace(old, new, 1)

    return edit


# (kata linted, file to change, change, where the problem is reported, words of its message, words of its fix)
DRIFTS = {
    "stale test copy in solutions": (
        "deployment/q09_jwt_auth",
        "solutions/deployment/q09_jwt_auth/test_jwt_auth.py",
        lambda _: "def test_old():\n    pass\n",
        "solutions/deployment/q09_jwt_auth/test_jwt_auth.py",
        "a copy of tests in solutions/",
        "delete it",
    ),
    "README title differs from kata.toml": (
        "pytorch/e01_tensor_ops",
        "katas/pytorch/e01_tensor_ops/README.md",
        replace("# e01 · Tensor operations without loops", "# e01 · Tensor ops"),
        "katas/pytorch/e01_tensor_ops/README.md",
        "title line is not `# e01 · Tensor operations without loops",
        "dev lint --fix",
    ),
    "metadata line differs from kata.toml": (
        "pytorch/e01_tensor_ops",
        "katas/pytorch/e01_tensor_ops/kata.toml",
        replace("minutes = 25", "minutes = 45"),
        "katas/pytorch/e01_tensor_ops/README.md",
        "metadata line differs from kata.toml",
        "dev lint --fix",
    ),
    "services is retired": (
        "pytorch/q05_devices",
        "katas/pytorch/q05_devices/kata.toml",
        replace("\nhints", '\nservices = ["gpu"]\nhints'),
        "katas/pytorch/q05_devices/kata.toml",
        "`services` is retired",
        "delete the line (`python -m graders dev lint --fix` does)",
    ),
    "undeclared provided files": (
        "deployment/e04_dockerfile",
        "katas/deployment/e04_dockerfile/kata.toml",
        replace('provided = ["app.py", "requirements.txt"]\n', ""),
        "katas/deployment/e04_dockerfile/app.py",
        "kata.toml does not declare it",
        "declare it in kata.toml's `provided` (`python -m graders dev lint --fix` does)",
    ),
    "a test importing the plugin": (
        "tensorflow/q10_export",
        "katas/tensorflow/q10_export/test_export.py",
        replace("import pytest\n", "import pytest\n\nfrom graders.plugin import kata_files\n"),
        "katas/tensorflow/q10_export/test_export.py",
        "imports graders.plugin",
        "`kata_shared` at module scope",
    ),
    "an unused stray file": (
        "python_pandas/e01_basic_types",
        "katas/python_pandas/e01_basic_types/notes.txt",
        lambda _: "scratch\n",
        "katas/python_pandas/e01_basic_types/notes.txt",
        "kata.toml does not declare it",
        "delete it",
    ),
    "unknown kata.toml key": (
        "python_pandas/e01_basic_types",
        "katas/python_pandas/e01_basic_types/kata.toml",
        replace("\nhints", '\ncolour = "blue"\nhints'),
        "katas/python_pandas/e01_basic_types/kata.toml",
        "unknown key `colour`",
        "kata.toml takes only: title, source",
    ),
    "README sections out of order": (
        "python_pandas/e02_comprehensions",
        "katas/python_pandas/e02_comprehensions/README.md",
        replace("## Your task", "## Task"),
        "katas/python_pandas/e02_comprehensions/README.md",
        "sections are The concept / Task",
        "`## The concept`, `## Your task`, (any others), `## Run the tests`",
    ),
    "stub without its FILE constant": (
        "python_pandas/e01_basic_types",
        "katas/python_pandas/e01_basic_types/records.py",
        replace('FILE = "katas/python_pandas/e01_basic_types/records.py"', 'FILE = "records.py"'),
        "katas/python_pandas/e01_basic_types/records.py",
        "no `FILE` constant with its path",
        'FILE = "katas/python_pandas/e01_basic_types/records.py"',
    ),
    "stale near-miss patch": (
        "python_pandas/e01_basic_types",
        "solutions/python_pandas/e01_basic_types/records.py",
        replace("    if INT.fullmatch(raw):", "    if INT.fullmatch(raw) is not None:"),
        "solutions/python_pandas/e01_basic_types/near_misses/digits_only_ints.patch",
        "does not apply (stale)",
        "dev near-miss edit python_pandas/e01_basic_types digits_only_ints",
    ),
    "near miss without its note": (
        "python_pandas/e01_basic_types",
        "solutions/python_pandas/e01_basic_types/near_misses/digits_only_ints.patch",
        replace('"""Near miss: str.isdigit()', '"""str.isdigit()'),
        "solutions/python_pandas/e01_basic_types/near_misses/digits_only_ints.patch",
        "has no `Near miss:` note",
        '"""Near miss: what it gets wrong."""',
    ),
    "near miss as a full copy": (
        "python_pandas/e01_basic_types",
        "solutions/python_pandas/e01_basic_types/near_misses/full_copy/records.py",
        lambda _: '"""Near miss: a full copy."""\n',
        "solutions/python_pandas/e01_basic_types/near_misses/full_copy",
        "a folder of full copies",
        "dev near-miss convert python_pandas/e01_basic_types",
    ),
    "topic missing from the CI matrix": (
        "python_pandas/e01_basic_types",
        ".github/workflows/ci.yml",
        replace(", kaggle]", "]"),
        ".github/workflows/ci.yml",
        "lists the topics",
        "topic: [every topic]",
    ),
    "topic missing from pyproject's extras": (
        "python_pandas/e01_basic_types",
        "pyproject.toml",
        replace("\nkaggle = [", "\nkaggle_competitions = ["),
        "pyproject.toml",
        "lists the topics",
        "one extra per topic",
    ),
    "topic table out of date": (
        "python_pandas/e01_basic_types",
        "katas/python_pandas/README.md",
        replace("| easy | 10 | 20 |", "| easy | 10 | 25 |"),
        "katas/python_pandas/README.md",
        "kata table differs",
        "dev lint --fix",
    ),
    "generated file stale": (
        "python_pandas/e01_basic_types",
        "katas/python_pandas/e01_basic_types/test_records.py",
        lambda text: text + "\n# an edit the manifest has not seen\n",
        "graders/manifest.json",
        "stale",
        "python -m graders manifest",
    ),
}


@pytest.mark.parametrize("drift", list(DRIFTS))
def test_each_drift_is_reported_with_its_fix(copy, baseline, plant, drift):
    kata, rel, edit, where, what, fix = DRIFTS[drift]
    plant(rel, edit)
    found = new_problems(copy, baseline, kata)
    assert any(p.where == where and what in p.what and fix in p.fix for p in found), "\n".join(
        map(str, found)
    )


def test_fix_repairs_what_it_says_it_repairs(copy, baseline, plant):
    readme = "katas/pytorch/e01_tensor_ops/README.md"
    original = {
        rel: (copy / rel).read_text() for rel in (readme, "katas/deployment/e04_dockerfile/kata.toml")
    }
    plant(readme, replace("# e01 · Tensor operations without loops", "# e01 · Tensor ops"))
    plant("katas/pytorch/q05_devices/kata.toml", replace("\nhints", '\nservices = ["gpu"]\nhints'))
    plant(
        "katas/deployment/e04_dockerfile/kata.toml",
        replace('provided = ["app.py", "requirements.txt"]\n', ""),
    )
    katas = select(copy, ["pytorch/e01_tensor_ops", "pytorch/q05_devices", "deployment/e04_dockerfile"])
    assert [p for p in lint(copy, katas) if p not in baseline and p.fixable]
    repair(copy, katas)
    assert not [p for p in lint(copy, select(copy, [k.rel for k in katas])) if p not in baseline]
    assert {rel: (copy / rel).read_text() for rel in original} == original


def test_the_command_line_reports_and_fixes(copy, plant):
    for rel in ("katas/pytorch/e02_feedforward/README.md", "katas/pytorch/README.md"):
        plant(rel, lambda text: text)  # saved now, restored afterwards: --fix rewrites them
    plant("katas/pytorch/e02_feedforward/kata.toml", replace("minutes = 20", "minutes = 30"))
    reported = graders(copy, "dev", "lint", "katas/pytorch/e02_feedforward")
    assert reported.returncode == 1 and "metadata line differs from kata.toml" in reported.stdout
    fixed = graders(copy, "dev", "lint", "--fix", "katas/pytorch/e02_feedforward")
    assert "fixed katas/pytorch/e02_feedforward/README.md" in fixed.stdout
    assert "about 30 minutes" in " ".join(
        (copy / "katas/pytorch/e02_feedforward/README.md").read_text().split()
    )
    assert graders(copy, "dev", "lint", "katas/pytorch/e02_feedforward").stdout.count("problem") <= 1
