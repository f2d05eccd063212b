"""The repository's own invariants: layout, metadata, and CI running exactly the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graders.catalog import TOPICS, all_katas, kata_of_path
from graders.verify import check_static

REPO = Path(__file__).resolve().parents[2]
KATA_NAME = re.compile(r"^(e0[1-5]|q0[1-9]|q10)_[a-z0-9_]+$")


def readme_test_command() -> str:
    text = (REPO / "README.md").read_text()
    section = text.split("## Run the project's own tests", 1)[1]
    return re.search(r"```bash\n(.+?)\n```", section, re.S).group(1).strip()


def test_ci_runs_exactly_the_readme_test_command():
    lines = [
        line for line in (REPO / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")
    ]
    assert lines[-1].strip() == readme_test_command()


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
