"""Warm re-runs give exactly the verdicts of cold ones, on every topic, against stub, solution and a near miss."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from graders.catalog import TOPICS
from graders.tests.conftest import REPO

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
