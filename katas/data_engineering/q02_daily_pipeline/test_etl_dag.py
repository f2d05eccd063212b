"""Hidden-test style checks for data_engineering/q02: DAG structure, then dag.test() runs that write partitions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

DAG_FILE = "etl_dag.py"
DAG_ID = "sales_etl"
TASKS = ["etl.extract", "etl.transform", "etl.load"]


@pytest.fixture
def dag(kata, airflow):
    return airflow.load(kata.path(DAG_FILE), DAG_ID, kata.display(DAG_FILE))


@pytest.fixture
def lake(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW_VAR_KATA_LAKE_DIR", str(tmp_path))
    (tmp_path / "raw").mkdir()
    return tmp_path


def write_raw(lake, day: str, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 60))
    raw = pd.DataFrame(
        {
            "store": rng.choice([f"S{i:02d}" for i in range(1, 8)], n),
            "product": rng.choice(["apple", "pear", "fig"], n),
            "qty": rng.integers(1, 12, n),
            "price": rng.uniform(0.5, 9.5, n).round(2),
        }
    )
    raw.to_csv(lake / "raw" / f"sales_{day}.csv", index=False)
    expected = raw.assign(revenue=raw["qty"] * raw["price"]).groupby("store", as_index=False)["revenue"].sum()
    expected["revenue"] = expected["revenue"].round(2)
    return expected.sort_values("store").reset_index(drop=True)


def partitions(lake) -> list[str]:
    return sorted(p.name for p in (lake / "curated").glob("date=*")) if (lake / "curated").exists() else []


def read_partition(lake, day: str) -> pd.DataFrame:
    path = lake / "curated" / f"date={day}" / "store_revenue.csv"
    assert path.is_file(), f"the run for {day} should write {path.relative_to(lake)}"
    return pd.read_csv(path)


def check_partition(lake, day: str, expected: pd.DataFrame) -> None:
    got = read_partition(lake, day)
    assert list(got.columns) == ["store", "revenue"], f"date={day}: columns {list(got.columns)}"
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, atol=0.011, obj=f"date={day} partition")


def run_day(airflow, dag, day: datetime):
    """dag.test() for one day. Airflow 3.3's dag.test() crashes on a DAG that has deadline alerts (it looks the
    alerts up by an id only the DAG processor assigns); the scheduler evaluates deadlines, dag.test() never does,
    so the runs go without them (test_deadline_alert_replaces_the_sla checks them)."""
    dag.deadline = None
    return airflow.run(dag, day)


def alert_lines(lake) -> list[str]:
    path = lake / "alerts.log"
    return path.read_text().splitlines() if path.exists() else []


def test_schedule_catchup_and_retries(dag, kata):
    where = kata.display(DAG_FILE)
    assert dag.schedule == "@daily", f"{where}: schedule should be '@daily', got {dag.schedule!r}"
    assert dag.catchup is False, f"{where}: catchup must be False"
    for task in dag.tasks:
        assert task.retries == 2, f"{where}: task {task.task_id} has retries={task.retries}, expected 2"
        assert task.retry_delay == timedelta(minutes=5), (
            f"{where}: task {task.task_id} has retry_delay={task.retry_delay}, expected 5 minutes"
        )


def test_timeouts_and_failure_callback(dag, kata):
    where = kata.display(DAG_FILE)
    for task in dag.tasks:
        assert task.execution_timeout == timedelta(minutes=30), (
            f"{where}: task {task.task_id} has execution_timeout={task.execution_timeout}, expected 30 minutes "
            "(in default_args: a hung try is killed)"
        )
        callbacks = task.on_failure_callback
        callbacks = callbacks if isinstance(callbacks, list) else [callbacks] if callbacks else []
        assert callbacks, f"{where}: task {task.task_id} has no on_failure_callback (set it in default_args)"


def test_deadline_alert_replaces_the_sla(dag, kata):
    from airflow.sdk import AsyncCallback, DeadlineAlert, DeadlineReference, SyncCallback

    where = kata.display(DAG_FILE)
    alerts = dag.deadline if isinstance(dag.deadline, list) else [dag.deadline] if dag.deadline else []
    assert len(alerts) == 1 and isinstance(alerts[0], DeadlineAlert), (
        f"{where}: the DAG should have one deadline alert (deadline=DeadlineAlert(...)): Airflow 3 removed SLAs, "
        f"got {dag.deadline!r}"
    )
    alert = alerts[0]
    assert alert.reference == DeadlineReference.DAGRUN_LOGICAL_DATE, (
        f"{where}: the deadline should count from the run's logical date "
        f"(DeadlineReference.DAGRUN_LOGICAL_DATE), got {alert.reference!r}"
    )
    assert alert.interval == timedelta(hours=6), (
        f"{where}: deadline interval {alert.interval}, expected 6 hours"
    )
    assert isinstance(alert.callback, (SyncCallback, AsyncCallback)), (
        f"{where}: the alert's callback should be a SyncCallback or an AsyncCallback, got {alert.callback!r}"
    )


def test_task_group_and_edges(dag, kata):
    where = kata.display(DAG_FILE)
    assert sorted(dag.task_ids) == sorted(TASKS), (
        f"{where}: tasks should be {TASKS}, got {sorted(dag.task_ids)}"
    )
    assert "etl" in dag.task_group_dict, f"{where}: the tasks should live in a TaskGroup with group_id 'etl'"
    edges = {(t.task_id, d) for t in dag.tasks for d in t.downstream_task_ids}
    assert edges == {(TASKS[0], TASKS[1]), (TASKS[1], TASKS[2])}, f"{where}: edges {sorted(edges)}"


def test_run_writes_that_days_partition(dag, airflow, lake, kata):
    days = ["2025-02-27", "2025-02-28", "2025-03-01"]
    expected = {day: write_raw(lake, day, seed) for seed, day in enumerate(days, start=11)}
    outcome = run_day(airflow, dag, datetime(2025, 2, 28, tzinfo=UTC))
    assert outcome.state == "success", (
        f"{kata.display(DAG_FILE)}: dag.test() for 2025-02-28: {outcome.describe()}"
    )
    assert partitions(lake) == ["date=2025-02-28"], (
        f"only that day's partition should exist: {partitions(lake)}"
    )
    check_partition(lake, "2025-02-28", expected["2025-02-28"])
    outcome = run_day(airflow, dag, datetime(2025, 3, 1, tzinfo=UTC))
    assert outcome.state == "success", f"dag.test() for 2025-03-01: {outcome.describe()}"
    assert partitions(lake) == ["date=2025-02-28", "date=2025-03-01"], f"partitions: {partitions(lake)}"
    check_partition(lake, "2025-03-01", expected["2025-03-01"])
    check_partition(lake, "2025-02-28", expected["2025-02-28"])
    assert alert_lines(lake) == [], f"successful runs must raise no failure alert: {alert_lines(lake)}"


def test_rerun_replaces_the_partition(dag, airflow, lake):
    day = "2025-06-15"
    write_raw(lake, day, 5)
    assert run_day(airflow, dag, datetime(2025, 6, 15, tzinfo=UTC)).state == "success"
    corrected = write_raw(lake, day, 6)  # the source was corrected: the re-run must replace, not append
    outcome = run_day(airflow, dag, datetime(2025, 6, 15, tzinfo=UTC))
    assert outcome.state == "success", f"re-run: {outcome.describe()}"
    check_partition(lake, day, corrected)
    files = sorted(p.name for p in (lake / "curated" / f"date={day}").iterdir())
    assert files == ["store_revenue.csv"], f"the partition should hold only store_revenue.csv, found {files}"


def test_missing_source_fails_without_writing(dag, airflow, lake):
    outcome = run_day(airflow, dag, datetime(2025, 7, 4, tzinfo=UTC))
    assert outcome.state == "failed", (
        f"with no raw/sales_2025-07-04.csv the run must fail: {outcome.describe()}"
    )
    assert outcome.task_states.get("etl.extract") == "failed", (
        f"etl.extract should fail: {outcome.describe()}"
    )
    assert partitions(lake) == [], (
        f"no partition may be written when the source is missing: {partitions(lake)}"
    )
    assert alert_lines(lake) == ["etl.extract,2025-07-04"], (
        "the failure callback should append exactly one line '<task_id>,<ds>' to <lake>/alerts.log for the "
        f"task that failed (not for the upstream_failed ones): {alert_lines(lake)}"
    )
