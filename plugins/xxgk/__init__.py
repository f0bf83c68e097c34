"""xxgk: 政府信息公开 annual-report warehouse, as stage packages in flow order.

A package imports only the packages above it in this list (``tests/unit/test_layers.py``
enforces it):

- ``core``: types, exceptions, quarantine reasons, limits, the data-dir layout, text
  normalisation, the raw tables' columns, memos, the DuckDB memory bound, the reviewers'
  decision log (``decisions``).
- ``dictionary``: the metric dictionary (``data/metrics.yaml``): formats, labels, rules,
  conformed measures, English names, administrative divisions.
- ``land``: inbox files and fetched URLs → the content-addressed raw store (no parsing).
- ``decode``: bytes → text lines, one module per container (HTML, PDF, DOCX, legacy Office).
- ``extract``: lines → the contract record (screen, format, tables, values, metadata,
  narrative), and extraction batches → Parquet.
- ``load``: Parquet → the DuckDB ``raw`` schema (the only writer).
- ``transform``: dbt (the runner and every generated seed).
- ``quality``: Great Expectations suites and validation.
- ``publish``: the reviewer site, the review loop (``review``: items, decisions, the local
  app), exports and the read-only views behind the CLI.
- ``orchestration``: the step functions the DAG calls, the local Airflow runner, the CLI,
  and ``names`` (DAG id, steps, pool, defaults) which the DAG file imports.
- ``synthetic``: the demo samples and the synthetic corpus (imported by nothing above).
"""
