"""Every kata names the roadmap item its id stands for, and the committed index is the roadmap's."""

from __future__ import annotations

import pytest

from graders.catalog import all_katas
from graders.dev.roadmap import expected_item, load, names_its_item, parse
from graders.tests.conftest import REPO

ROADMAP = REPO.parent / "shared" / "roadmap.txt"


def test_every_source_names_the_item_its_id_stands_for():
    index = load()
    wrong = [
        f"{k.rel}: source should name {expected_item(index, k.topic, k.id)}"
        for k in all_katas(REPO)
        if not names_its_item(k.meta.get("source", ""), index, k.topic, k.id)
    ]
    assert not wrong, "\n".join(wrong)


def test_a_wrong_label_is_caught():
    index = load()
    right = f"Roadmap §6 Data Engineering, interview question 7 “{index['data_engineering']['questions'][6]}”"
    assert names_its_item(right, index, "data_engineering", "q07")
    swapped = (
        f"Roadmap §6 Data Engineering, interview question 7 “{index['data_engineering']['questions'][7]}”"
    )
    assert not names_its_item(swapped, index, "data_engineering", "q07")
    assert not names_its_item(right.replace("question 7", "question 8"), index, "data_engineering", "q07")


def test_the_committed_index_is_the_roadmaps():
    if not ROADMAP.is_file():
        pytest.skip("the roadmap text lies beside the repository only for maintainers and CI")
    assert parse(ROADMAP.read_text(encoding="utf-8")) == load(), "run `python -m graders.dev.roadmap`"
