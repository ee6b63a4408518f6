"""Batch work on an engine that scales out (issue #19 item 3): the data a batch job needs,
exported once to Parquet (``export.py``), and the job written once against one
engine-neutral layer — Ibis expressions (``evaluation.py``, ``statistics.py``,
``reconcile.py``, ``reports.py``) — run embedded on DuckDB for a city or on Apache Spark
for a province or the nation (``connect.py``). The results go back to the database in
bulk by the app that owns them (the evaluation's ``engine.run_execute`` writes a batch run
as its own, the stats app its rollup, the reports app the public reports' data)."""
