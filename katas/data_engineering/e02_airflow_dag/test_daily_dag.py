"""Hidden-test style checks for data_engineering/e02: a daily DAG in Airflow 3's API, parsed and really run."""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime

import pytest

DAG_FILE = "daily_dag.py"
DAG_ID = "daily_report"


@pytest.fixture
def dag(kata, airflow):
    return airflow.load(kata.path(DAG_FILE), DAG_ID, kata.display(DAG_FILE))


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    # Airflow reads Variables from AIRFLOW_VAR_<NAME> environment variables too.
    monkeypatch.setenv("AIRFLOW_VAR_KATA_DATA_DIR", str(tmp_path))
    return tmp_path


def write_orders(folder, day: str, n: int, seed: int) -> None:
    rng = random.Random(seed)
    with open(folder / f"orders_{day}.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["order_id", "customer", "amount"])
        for i in range(n):
            writer.writerow([i + 1, f"c{rng.randint(1, 50)}", f"{rng.uniform(1, 500):.2f}"])


def test_schedule_and_catchup(dag, kata):
    where = kata.display(DAG_FILE)
    assert dag.schedule == "@daily", f"{where}: schedule should be '@daily', got {dag.schedule!r}"
    assert dag.catchup is False, f"{where}: catchup should be False (no backfill of past days)"
    assert dag.start_date == datetime(2025, 1, 1, tzinfo=UTC), (
        f"{where}: start_date should be 2025-01-01 00:00 UTC, got {dag.start_date!r}"
    )


def test_tasks_and_edges(dag, kata):
    where = kata.display(DAG_FILE)
    assert set(dag.task_ids) == {"start", "count_orders", "write_report"}, (
        f"{where}: tasks should be start, count_orders, write_report; got {sorted(dag.task_ids)}"
    )
    edges = {(t.task_id, d) for t in dag.tasks for d in t.downstream_task_ids}
    assert edges == {("start", "count_orders"), ("count_orders", "write_report")}, (
        f"{where}: edges should be start >> count_orders >> write_report; got {sorted(edges)}"
    )
    assert dag.get_task("start").task_type == "EmptyOperator", f"{where}: start should be an EmptyOperator"


@pytest.mark.parametrize("seed", [0, 1])
def test_dag_test_writes_the_days_report(dag, airflow, data_dir, kata, seed):
    rng = random.Random(seed)
    days = {f"2025-03-{d:02d}": rng.randint(3, 40) for d in rng.sample(range(1, 29), 3)}
    for i, (day, n) in enumerate(days.items()):
        write_orders(data_dir, day, n, seed * 10 + i)
    run_day = sorted(days)[1]
    outcome = airflow.run(dag, datetime.fromisoformat(run_day).replace(tzinfo=UTC))
    assert outcome.state == "success", (
        f"{kata.display(DAG_FILE)}: dag.test() for {run_day}: {outcome.describe()}"
    )
    reports = sorted(p.name for p in data_dir.glob("report_*.txt"))
    assert reports == [f"report_{run_day}.txt"], (
        f"the run for {run_day} should write only report_{run_day}.txt; files written: {reports}"
    )
    text = (data_dir / f"report_{run_day}.txt").read_text().strip()
    assert text == f"{run_day}: {days[run_day]} orders", (
        f"report_{run_day}.txt should read '{run_day}: {days[run_day]} orders', got {text!r}"
    )


def test_missing_input_fails_the_run(dag, airflow, data_dir, kata):
    outcome = airflow.run(dag, datetime(2025, 4, 2, tzinfo=UTC))
    assert outcome.state == "failed", (
        f"{kata.display(DAG_FILE)}: with no orders_2025-04-02.csv the run must fail, got {outcome.describe()}"
    )
    assert outcome.task_states.get("count_orders") == "failed", (
        f"count_orders should fail: {outcome.describe()}"
    )
    assert not list(data_dir.glob("report_*.txt")), "no report may be written when the input is missing"
