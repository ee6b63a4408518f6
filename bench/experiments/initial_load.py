"""Experiment (2026-11-24): how fast could an initial load into an EMPTY subjects table go
with the secondary indexes and the trigger dropped during COPY and rebuilt at the end, in one
transaction? Not product code; see bench/RESULTS.md.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyong_bench2 python bench/experiments/initial_load.py
"""

# ruff: noqa
import os, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
os.environ["DJANGO_SETTINGS_MODULE"] = "xinyong.settings"
import django

django.setup()
from concurrent.futures import ThreadPoolExecutor
from django.db import connection, transaction
from django.core.management import call_command
from subjects_bench import _recreate_postgres_db

_recreate_postgres_db(connection)
call_command("migrate", verbosity=0)
from xinyong.demo.city import _org_load, ensure_reference_data
from xinyong.subjects import demo, bulk
from xinyong.subjects.bulk import PersonLoad, subjects_bulk_prepare

depts, _ = ensure_reference_data()
sizes = demo.split(1_000_000)
chunks = []
for kind in ("organization", "individual_business"):
    for s in range(0, sizes[kind], 100000):
        chunks.append(
            {
                "organizations": [
                    _org_load(r, depts)
                    for r in demo.organizations(2026, s, min(s + 100000, sizes[kind]), kind=kind)
                ]
            }
        )
for s in range(0, sizes["person"], 100000):
    chunks.append(
        {
            "persons": [
                PersonLoad(p.resident_id, p.name)
                for p in demo.persons(2026, s, min(s + 100000, sizes["person"]))
            ]
        }
    )
t0 = time.perf_counter()
with transaction.atomic(), connection.cursor() as cur:
    cur.execute(
        "DROP INDEX subjects_name_bigrams; DROP INDEX subjects_name_exact; ALTER TABLE subjects_subject DROP CONSTRAINT subject_uscc_unique; DROP INDEX subject_person_identifier_unique; ALTER TABLE subjects_subject DISABLE TRIGGER subjects_subject_bigrams"
    )
    with ThreadPoolExecutor(1) as pool:
        fut = pool.submit(subjects_bulk_prepare, **chunks[0], vendor="postgresql")
        for i in range(len(chunks)):
            p = fut.result()
            if i + 1 < len(chunks):
                fut = pool.submit(subjects_bulk_prepare, **chunks[i + 1], vendor="postgresql")
            with cur.cursor.copy(
                f"COPY subjects_subject ({bulk._SUBJECT_COLUMNS}, name_bigrams) FROM STDIN"
            ) as copy:
                copy.write("".join(p.copy_lines))
    t1 = time.perf_counter()
    print("copy phase", t1 - t0)
    cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for sql in [
        "ALTER TABLE subjects_subject ADD CONSTRAINT subject_uscc_unique UNIQUE (uscc)",
        "CREATE UNIQUE INDEX subject_person_identifier_unique ON subjects_subject (id_type, id_hash) WHERE id_hash IS NOT NULL",
        "CREATE INDEX subjects_name_exact ON subjects_subject USING hash (name)",
        "CREATE INDEX subjects_name_bigrams ON subjects_subject USING gin (name_bigrams) WITH (fastupdate = on, gin_pending_list_limit = 16384)",
        "ALTER TABLE subjects_subject ENABLE TRIGGER subjects_subject_bigrams",
    ]:
        t = time.perf_counter()
        cur.execute(sql)
        print(f"{time.perf_counter() - t:6.1f}s {sql[:60]}")
total = time.perf_counter() - t0
print("total", total, "rate", 1_000_000 / total)
