#!/usr/bin/env bash
# Issue #2 benchmark: N subjects (default 1,000,000) on PostgreSQL and on SQLite, one run.
# Results: bench/out/subjects-*.json; record them in bench/RESULTS.md with date and machine.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
PG="${XINYONG_BENCH_PG:-postgres://postgres@127.0.0.1:5432/xinyong_bench}"
mkdir -p bench/out var/bench
DATABASE_URL="$PG" .venv/bin/python bench/subjects_bench.py --subjects "$N" \
  --out bench/out/subjects-postgresql.json
.venv/bin/python bench/subjects_bench.py --subjects "$N" --sqlite var/bench/bench.sqlite3 \
  --out bench/out/subjects-sqlite.json
