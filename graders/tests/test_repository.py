"""The repository's own invariants: layout, metadata, and CI running exactly the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graders.catalog import TOPICS, all_katas, kata_of_path
from graders.dev.verify import check_static

REPO = Path(__file__).resolve().parents[2]
KATA_NAME = re.compile(r"^(e0[1-5]|q0[1-9]|q10)_[a-z0-9_]+$")


def readme_test_command() -> str:
    text = (REPO / "README.md").read_text()
    section = text.split("## Run the project's own tests", 1)[1]
    return re.search(r"```bash\n(.+?)\n```", section, re.S).group(1).strip()


def _ci_lines() -> list[str]:
    return [
        line for line in (REPO / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")
    ]


def test_ci_runs_exactly_the_readme_test_command():
    assert _ci_lines()[-1].strip() == readme_test_command()


def test_ci_sets_up_with_the_readme_command_and_tests_in_that_venv():
    """README's maintainers' set-up, from the lock, then the test command with the venv it made."""
    section = (REPO / "README.md").read_text().split("## Run the project's own tests", 1)[1]
    setup = re.search(r"`(python -m graders\.setup_env [^`]+)`", section).group(1)
    lines = _ci_lines()
    installs = [n for n, line in enumerate(lines) if "graders.setup_env" in line or " install" in line]
    assert lines[installs[0]].startswith(setup + " "), f"{lines[installs[0]]!r} is not README's {setup!r}"
    assert "source .venv/bin/activate" in lines, "the tests run with the set-up's venv"
    assert installs[0] < lines.index("source .venv/bin/activate") < len(lines) - 1


def test_readme_two_command_starts_use_the_lock():
    """Learners: set up with the lock's command, then run from the venv it made."""
    text = (REPO / "README.md").read_text()
    start = text.split("## Quick start (learners)", 1)[1].split("###", 1)[0]
    commands = [line for line in re.search(r"```bash\n(.+?)\n```", start, re.S).group(1).splitlines()]
    commands = [line for line in commands if line and not line.startswith("#")]
    assert commands[-2].startswith("python -m graders.setup_env ") and commands[-1].startswith(".venv/bin/")
    assert "pip install" not in start


def test_topic_folders_and_kata_names_follow_the_catalog():
    for folder in (REPO / "katas").iterdir():
        if folder.is_dir():
            assert folder.name in TOPICS, f"unknown topic folder katas/{folder.name}"
            for kata in folder.iterdir():
                if kata.is_dir() and not kata.name.startswith(("_", ".", "data")):
                    assert KATA_NAME.match(kata.name), (
                        f"katas/{folder.name}/{kata.name}: expected <id>_<slug>"
                    )


def test_solutions_mirror_katas():
    katas = {k.rel for k in all_katas(REPO)}
    for topic in (REPO / "solutions").iterdir():
        for kata in topic.iterdir():
            assert f"{topic.name}/{kata.name}" in katas, f"solutions/{topic.name}/{kata.name} has no kata"


@pytest.mark.parametrize("kata", all_katas(REPO), ids=lambda k: k.rel)
def test_kata_metadata_and_layout(kata):
    assert check_static(kata) == []


def test_kata_of_path_reads_topic_and_kata():
    assert kata_of_path(REPO / "katas" / "sql" / "e01_join" / "test_x.py") == ("sql", "e01_join")
    assert kata_of_path(REPO / "graders" / "tests" / "test_x.py") is None
