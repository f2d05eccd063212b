"""Kata data_engineering/q02: a daily extract → transform → load DAG. Edit this file (see README.md).

TODO: write the DAG `sales_etl` here (katas/data_engineering/q02_daily_pipeline/etl_dag.py):
a TaskGroup `etl` with extract >> transform >> load, retries, a timeout and a failure callback per task,
a deadline alert, catchup=False, the run's date.
"""
