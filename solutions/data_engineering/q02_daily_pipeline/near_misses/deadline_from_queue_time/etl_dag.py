"""Near miss: measures the deadline from when the run was queued, so a run that starts late is never late.

Reference solution for data_engineering/q02: a daily extract → transform → load DAG (Airflow 3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
from airflow.sdk import DAG, DeadlineAlert, DeadlineReference, SyncCallback, TaskGroup, Variable, task


def notify_failure(context) -> None:
    """on_failure_callback: one line per task that failed for good (its retries spent)."""
    # A real pipeline posts to Slack or e-mail here (a notifier); the kata appends to a file the tests read.
    lake = Path(Variable.get("kata_lake_dir"))
    with open(lake / "alerts.log", "a", encoding="utf-8") as log:
        log.write(f"{context['ti'].task_id},{context['ds']}\n")


def deadline_missed(**kwargs) -> None:
    """The deadline alert's callback: the scheduler runs it when a run is still unfinished at its deadline.

    In production it lives in a module the executor can import (your package, the plugins folder): a
    function in a DAG file is registered under the module name the DAG processor gave the file.
    """
    print("sales_etl missed its deadline", kwargs)


default_args = {
    "retries": 2,  # a flaky source or a busy warehouse gets two more tries...
    "retry_delay": timedelta(minutes=5),  # ...five minutes apart
    "execution_timeout": timedelta(minutes=30),  # a hung try is killed (then retried)
    "on_failure_callback": notify_failure,  # called once per task that fails for good, not on each retry
}

with (
    DAG(
        dag_id="sales_etl",
        schedule="@daily",
        start_date=datetime(2025, 1, 1, tzinfo=UTC),
        catchup=False,
        default_args=default_args,  # applied to every task of the DAG
        # Airflow 2's SLAs (`sla=` on tasks, `sla_miss_callback`) are gone in Airflow 3; a deadline alert says
        # "this run must be finished 6 hours after its logical date", and calls back when it is not.
        deadline=DeadlineAlert(
            reference=DeadlineReference.DAGRUN_QUEUED_AT,
            interval=timedelta(hours=6),
            callback=SyncCallback(deadline_missed),
        ),
        tags=["katas", "etl"],
    ) as dag,
    TaskGroup(group_id="etl"),  # task ids become etl.extract, etl.transform, etl.load
):

    @task
    def extract(ds: str | None = None) -> list[dict]:
        # The run's logical date, never the clock: a re-run or a backfill of 2025-03-07 reads 2025-03-07.
        lake = Path(Variable.get("kata_lake_dir"))
        return pd.read_csv(lake / "raw" / f"sales_{ds}.csv").to_dict("records")

    @task
    def transform(rows: list[dict]) -> list[dict]:
        frame = pd.DataFrame(rows, columns=["store", "product", "qty", "price"])
        frame["revenue"] = frame["qty"] * frame["price"]
        out = frame.groupby("store", as_index=False)["revenue"].sum().sort_values("store")
        out["revenue"] = out["revenue"].round(2)
        return out.to_dict("records")

    @task
    def load(rows: list[dict], ds: str | None = None) -> str:
        lake = Path(Variable.get("kata_lake_dir"))
        partition = lake / "curated" / f"date={ds}"
        partition.mkdir(parents=True, exist_ok=True)
        target = partition / "store_revenue.csv"
        # Write to a temporary name, then rename: the partition is replaced whole (idempotent re-runs),
        # and a reader never sees a half-written file.
        tmp = partition / ".store_revenue.csv.tmp"
        pd.DataFrame(rows, columns=["store", "revenue"]).to_csv(tmp, index=False)
        tmp.replace(target)
        return str(target)

    load(transform(extract()))
