"""Exit 0 when the PostgreSQL server at the given URL answers, 1 otherwise (with why)."""

import sys

import psycopg

try:
    with psycopg.connect(sys.argv[1], connect_timeout=5) as conn:
        conn.execute("SELECT 1")
except psycopg.Error as e:
    print(f"PostgreSQL not reachable: {e}", file=sys.stderr)
    sys.exit(1)
