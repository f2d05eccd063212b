"""Warm re-runs give exactly the verdicts of cold ones, on every topic, against stub, solution and a near miss."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from graders.catalog import TOPICS, all_katas
from graders.dev.verify import verify
from graders.diagnose import generate
from graders.tests.conftest import ADD_SOLUTION, ADD_STUB, ADD_TESTS, REPO

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
from graders.dev.verify import _near_miss_round
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


# A test that can tell a warm run from a cold one: the topic's package is already imported when it starts. First
# in its file, so that a near miss's fail-fast run meets it before any failure of its own.
TELLS_WARM_FROM_COLD = """
    import sys

    def test_nothing_was_imported_ahead():
        assert "colorsys" not in sys.modules, "colorsys was imported ahead"
    """
OFF_BY_ONE = """
    def add(a, b):
        \"\"\"Near miss: one too few.\"\"\"
        return a + b - 1
    """


@pytest.mark.timeout(300)
def test_verify_names_the_kata_and_the_tests_where_warm_and_cold_disagree(mini_repo):
    for name, first in (("e01_same", ""), ("e02_differs", TELLS_WARM_FROM_COLD)):
        mini_repo.add_kata(
            f"python_pandas/{name}",
            stub=ADD_STUB,
            solution=ADD_SOLUTION,
            tests=first + ADD_TESTS,
            near_misses={"off_by_one": OFF_BY_ONE, "off_by_two": OFF_BY_ONE.replace("- 1", "- 2")},
            topic_imports=["colorsys"],
        )
    katas = all_katas(mini_repo.root)
    generate(mini_repo.root, katas, echo=lambda _: None)  # the near misses' records: cold runs
    lines: list[str] = []
    same, differs = verify(mini_repo.root, katas, echo=lines.append)
    assert any("forked from a warm parent" in line for line in lines)
    assert same.problems == [], same.problems  # (its near misses fail alike: a note)
    test = "test_demo.py::test_nothing_was_imported_ahead"
    problems = "\n".join(differs.problems)
    for mode in ("solution", "stub"):
        assert (f"disagree against the {mode}: katas/python_pandas/e02_differs/{test} (passed cold, "
                "failed: AssertionError: colorsys was imported ahead warm)") in problems  # fmt: skip
    assert f"near miss off_by_one, forked from a warm parent: {test} fails as " in problems
    assert "but diagnoses.toml (a cold run, current) records passes" in problems


# A failure message that prints a dict built from a set of strings: its order is the hash order of the strings,
# one of 15 here, so it holds from run to run only when every run hashes strings alike.
HASH_ORDERED = """
    def test_adds(kata):
        names = {"ada", "bob", "cy", "dee", "eve", "fay"}
        seen = {name: (None if name < "c" else 1) for name in names}
        assert kata.module("demo").add(2, 3) == 5, f"seen {seen}"
    """


@pytest.mark.timeout(300)
def test_cold_and_warm_runs_and_the_records_hash_strings_alike(mini_repo):
    mini_repo.add_kata(
        "python_pandas/e01_sets",
        stub=ADD_STUB,
        solution=ADD_SOLUTION,
        tests=HASH_ORDERED,
        near_misses={"off_by_one": OFF_BY_ONE, "off_by_two": OFF_BY_ONE.replace("- 1", "- 2")},
    )
    katas = all_katas(mini_repo.root)
    generate(mini_repo.root, katas, echo=lambda _: None)
    for warm in (True, False):
        (verdict,) = verify(mini_repo.root, katas, echo=lambda _: None, warm=warm)
        assert not [p for p in verdict.problems if "diagnoses.toml" in p], verdict.problems
    code = "from graders.warm import pin_hash_seed; pin_hash_seed(); import sys; print(sys.flags.hash_randomization)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    for flags, randomised in (([], "0"), (["-R"], "1")):  # -R overrides the variable: started again once only
        started = subprocess.run([sys.executable, *flags, "-c", code], env=env, cwd=REPO, capture_output=True,
                                 text=True, timeout=60)  # fmt: skip
        assert started.stdout.strip() == randomised, started.stderr
