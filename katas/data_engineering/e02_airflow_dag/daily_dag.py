"""Kata data_engineering/e02: a daily Airflow 3 DAG. Edit this file (see README.md).

TODO: write the DAG `daily_report` here (katas/data_engineering/e02_airflow_dag/daily_dag.py):
start >> count_orders >> write_report, scheduled daily, with today's Airflow 3 API.
"""
