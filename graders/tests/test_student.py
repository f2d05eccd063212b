"""The student's side: an exported template, every learner command in it, and solutions released on time."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graders.dev.classroom import export_template
from graders.tests.conftest import REPO

TOPICS = ["python_pandas", "sklearn"]
KATA = "python_pandas/e01_basic_types"
pytestmark = pytest.mark.timeout(600)


def _run(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_AUTHOR_NAME": "s", "GIT_AUTHOR_EMAIL": "s@s", "GIT_COMMITTER_NAME": "s",
           "GIT_COMMITTER_EMAIL": "s@s", "NO_COLOR": "1"}  # fmt: skip
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=check)


def _katas(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return _run(cwd, sys.executable, "-m", "graders", *args, check=False)


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """A bare "template remote", the exported template pushed to it, and a student's clone of it."""
    work = tmp_path_factory.mktemp("classroom")
    remote = work / "template.git"
    _run(work, "git", "init", "-q", "--bare", "-b", "main", str(remote))
    template = work / "template"
    export_template(REPO, template, TOPICS, template=str(remote), ref="main")
    _run(template, "git", "init", "-q", "-b", "main")
    _run(template, "git", "add", "-A")
    _run(template, "git", "commit", "-qm", "template")
    _run(template, "git", "push", "-q", str(remote), "main")
    student = work / "student"
    _run(work, "git", "clone", "-q", str(remote), str(student))
    return {"work": work, "remote": remote, "template": template, "student": student}


def test_the_readme_is_written_for_students(classroom):
    text = (classroom["template"] / "README.md").read_text()
    headings = [line.lower() for line in text.splitlines() if line.startswith("#")]
    assert not [
        h for h in headings if any(w in h for w in ("instructor", "maintainer", "contribut", "own tests"))
    ]
    for command in (
        "export-template",
        "publish-solutions",
        "graders verify",
        "graders classroom",
        "CONTRIBUTING",
    ):
        assert command not in text, f"{command!r} is not for students"
    for needed in ("katas next", "timed out", "Protected files", "points", "katas diff", "Actions"):
        assert needed in text
    for topic in TOPICS:
        assert f"katas/{topic}/README.md" in text
    assert "tensorflow" not in text
    for link in re.findall(r"\]\(([^)#]+)\)", text):
        assert "://" in link or (classroom["template"] / link).exists(), f"dead link {link}"


def test_the_dev_container_installs_the_template_topics(classroom):
    import json

    import yaml

    compose = yaml.safe_load((classroom["template"] / "docker/compose.yml").read_text())
    assert compose["services"]["katas"]["build"]["args"]["EXTRAS"] == "sklearn"
    config = json.loads((classroom["template"] / ".devcontainer/devcontainer.json").read_text())
    assert "katas doctor" in config["postCreateCommand"]
    for path in config["customizations"]["codespaces"]["openFiles"]:
        assert (classroom["template"] / path).is_file()


def test_every_learner_command_works_or_explains_itself(classroom):
    student = classroom["student"]
    commands = [
        ("list",),
        ("next",),
        ("check", KATA),
        ("hint", KATA),
        ("watch", KATA, "--max-runs", "1"),
        ("doctor",),
        ("reset", KATA, "--yes"),
    ]
    for args in commands:
        result = _katas(student, *args)
        output = result.stdout + result.stderr
        assert "Traceback" not in output, (args, output)
        assert result.returncode in (0, 1), (args, output)
    explained = _katas(student, "solutions-branch")
    assert (
        explained.returncode == 2 and "katas diff" in explained.stderr and "Traceback" not in explained.stderr
    )
    assert _run(student, "git", "branch", "--list", "solutions").stdout == "", "no empty solutions branch"


def test_diff_says_solutions_are_not_released_then_shows_them(classroom, tmp_path):
    student = classroom["student"]
    before = _katas(student, "diff", KATA, "--force")
    assert before.returncode == 2 and "Traceback" not in before.stderr
    assert "not released yet" in before.stderr and len(before.stderr.strip().splitlines()) == 1
    # The instructor publishes from a clone of the full repository.
    instructor = tmp_path / "instructor"
    _run(tmp_path, "git", "clone", "-q", "--no-local", str(REPO), str(instructor))
    published = _katas(instructor, "publish-solutions", "--to", str(classroom["remote"]), "--topics", *TOPICS)
    assert published.returncode == 0, published.stdout + published.stderr
    after = _katas(student, "diff", KATA, "--force")
    assert after.returncode == 0, after.stderr
    reference = (instructor / "solutions" / KATA / "records.py").read_text()
    distinctive = next(line for line in reference.splitlines() if "re.compile" in line)
    assert distinctive in after.stdout and "(reference)" in after.stdout
    # The template itself still has no solution text.
    branch = _run(classroom["template"], "git", "ls-remote", str(classroom["remote"])).stdout
    assert "refs/heads/solutions" in branch and "refs/heads/main" in branch
    assert distinctive not in (classroom["template"] / "katas" / KATA / "records.py").read_text()
