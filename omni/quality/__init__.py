"""Data quality: Great Expectations suites as code, one module per layer.

Each suite (`omni.quality.core.Suite`) guards one Dagster asset: a DuckDB query gives the
frame to validate (the rows this run loaded, or aggregates computed in DuckDB, never a whole
table), and its rules are Great Expectations expectations, each with a one-line reason and a
severity. `omni.quality.registry` lists the suite modules; `orchestration/defs/quality.py`
turns them into asset checks. Results go to `audit.quality_results` and to a Data Docs site
next to the warehouse file (`omni.quality.docs`).
"""
