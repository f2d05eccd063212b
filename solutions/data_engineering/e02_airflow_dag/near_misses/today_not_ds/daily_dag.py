"""Near miss: reads the file of the day the task runs (the clock) instead of the run's logical date.

Reference solution for data_engineering/e02: a daily Airflow 3 DAG.

Airflow 3 moved the DAG authoring API to `airflow.sdk` and the classic operators to the "standard" provider;
`schedule_interval=` is gone (it raises TypeError): use `schedule=`.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import DAG, Variable, task

with DAG(
    dag_id="daily_report",
    schedule="@daily",  # Airflow 2's `schedule_interval="@daily"` raises TypeError in Airflow 3
    start_date=datetime(2025, 1, 1, tzinfo=UTC),
    catchup=False,  # do not backfill every day since start_date when the DAG is switched on
    tags=["katas"],
) as dag:
    start = EmptyOperator(task_id="start")

    @task
    def count_orders(ds: str | None = None) -> int:
        """Count the orders of the run's day. `ds` is the logical date as YYYY-MM-DD, injected by Airflow."""
        # Read the Variable when the task runs, not when the file is parsed (the scheduler parses often).
        data_dir = Path(Variable.get("kata_data_dir"))
        today = datetime.now(UTC).date().isoformat()
        with open(data_dir / f"orders_{today}.csv", newline="") as handle:
            return sum(1 for _ in csv.DictReader(handle))  # the header is not an order

    @task
    def write_report(n_orders: int, ds: str | None = None) -> None:
        data_dir = Path(Variable.get("kata_data_dir"))
        (data_dir / f"report_{ds}.txt").write_text(f"{ds}: {n_orders} orders")

    counted = count_orders()
    # Passing count_orders' result (an XCom) to write_report makes the edge count_orders >> write_report.
    start >> counted
    write_report(counted)
