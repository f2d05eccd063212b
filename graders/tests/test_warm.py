"""Warm re-runs give exactly the verdicts of cold ones, on every topic, against stub, solution and a near miss."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from graders.catalog import TOPICS, all_katas
from graders.tests.conftest import ADD_SOLUTION, ADD_STUB, ADD_TESTS, REPO
from graders.verify import verify

# One kata per topic (a light one where the first trains a network; an Airflow one, whose import must wait).
SAMPLE = {topic: None for topic in TOPICS} | {
    "tensorflow": "q04_backprop_numpy",
    "data_engineering": "e02_airflow_dag",
}

COMPARE = """
import json, sys, tempfile
from pathlib import Path
from graders.catalog import katas_in_topic
from graders.runner import run_pytest
from graders.verify import _near_miss_round
from graders.warm import Warm

root = Path(sys.argv[1])
sample = json.loads(sys.argv[2])
katas = [next(k for k in katas_in_topic(root, t) if name is None or k.name == name) for t, name in sample.items()]
warm = Warm(root)
for kata in katas:
    warm.preload(kata.topic)
assert warm.usable, warm.note
with tempfile.TemporaryDirectory() as tmp:
    first_misses = {k: k.near_misses()[0] for k in katas}
    impls = {"stub": None, "solution": "solutions", "near miss": str(_near_miss_round(Path(tmp), 0, first_misses))}
    verdicts = {}
    for mode, impl in impls.items():
        for how in ("cold", "warm"):
            report = run_pytest(root, [k.dir for k in katas], impl=impl, warm=warm if how == "warm" else None)
            verdicts[f"{mode} {how}"] = {r.nodeid: r.outcome for r in report.results}
print(json.dumps(verdicts))
"""


@pytest.mark.timeout(900)
def test_warm_and_cold_verdicts_agree_on_every_topic():
    result = subprocess.run(
        [sys.executable, "-c", COMPARE, str(REPO), json.dumps(SAMPLE)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=880,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    verdicts = json.loads(result.stdout.strip().splitlines()[-1])
    for mode in ("stub", "solution", "near miss"):
        cold, warm = verdicts[f"{mode} cold"], verdicts[f"{mode} warm"]
        assert cold, f"no test ran against the {mode}"
        assert warm == cold, {
            k: (cold.get(k), warm.get(k)) for k in cold.keys() | warm.keys() if cold.get(k) != warm.get(k)
        }
    assert set(verdicts["solution warm"].values()) <= {"passed", "skipped"}
    assert {"failed", "error"} & set(verdicts["near miss warm"].values()), "the near misses fail"
    topics = {nodeid.split("/")[1] for nodeid in verdicts["solution warm"]}
    assert topics == set(TOPICS), "every topic ran"


# A test that can tell a warm run from a cold one: the topic's package is already imported when it starts.
TELLS_WARM_FROM_COLD = """
    import sys

    def test_nothing_was_imported_ahead():
        assert "colorsys" not in sys.modules
    """
OFF_BY_ONE = """
    def add(a, b):
        \"\"\"Near miss: one too few.\"\"\"
        return a + b - 1
    """


@pytest.mark.timeout(300)
def test_verify_names_the_kata_and_the_tests_where_warm_and_cold_disagree(mini_repo):
    for name, extra in (("e01_same", ""), ("e02_differs", TELLS_WARM_FROM_COLD)):
        mini_repo.add_kata(
            f"python_pandas/{name}",
            stub=ADD_STUB,
            solution=ADD_SOLUTION,
            tests=ADD_TESTS + extra,
            near_misses={"off_by_one": OFF_BY_ONE, "off_by_one_again": OFF_BY_ONE},
            topic_imports=["colorsys"],
        )
    lines: list[str] = []
    same, differs = verify(mini_repo.root, all_katas(mini_repo.root), echo=lines.append)
    assert any("forked from a warm parent" in line for line in lines)
    assert not [p for p in same.problems if "warm" in p], same.problems
    disagree = [p for p in differs.problems if p.startswith("warm and cold runs disagree")]
    test = "katas/python_pandas/e02_differs/test_demo.py::test_nothing_was_imported_ahead"
    for mode in ("solution", "stub"):  # the near misses' runs stop at their first failure, before this test
        assert f"disagree against the {mode}: {test} (passed cold, failed warm)" in "\n".join(disagree)
