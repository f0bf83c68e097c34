"""Load: extracted Parquet and the landing manifest → the DuckDB raw schema."""
