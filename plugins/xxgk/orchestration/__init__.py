"""Orchestration: the DAG's step functions, the local Airflow runner and the CLI."""
