"""The credit-report benchmark's database (issue #13): 1,000,000 subjects and 10,000,000
records of every default catalog item, with the publications, list entries, objections and
repairs that a credit report reads (not part of the test suite).

Everything goes through the product's own set-based paths, so the rows look like those a
real platform holds:
  - subjects: the demo city (``demo.city.build_city``, the loader of issue #2);
  - records: CSV files generated from ``ingest/demo.py``'s row makers, submitted and
    processed as batches (``batch_submit`` + ``batch_process``, the path of issue #3: schema
    check, subject matching, provenance, per-row outcomes), two worker processes at once
    while the next file is generated. Records fall on the organisations with a long tail
    (a few subjects with thousands of records, the median one with a handful); penalties
    come from several departments, some by summary procedure (简易程序), some serious;
  - publications: the publicity sweep's own computation (``disclosure.sweep._refresh``) over
    two halves of the records in two processes, then one ``publication_sweep``;
  - list entries: the 100,000 entries of ``bench/check_bench.py`` (same SQL) plus the
    external lists imported from the records (``lists.imports.entries_import``);
  - objections (a few hundred, at every step) and approved repairs (a hundred) through
    their services, one call each: few enough that a loop is fine;
  - ``VACUUM ANALYZE`` at the end.

Only main's migrations are applied (``migrate``); a later app's migrations go on top.

Idempotent: each phase skips what is already there (batches by file name, entries by their
decision numbers…), so a run that stopped can be started again. Prints progress and each
phase's time; writes them to ``bench/out/report_data.json``.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyong_bench XINYONG_VAR_DIR=var/bench \\
      nohup .venv/bin/python bench/report_data.py > var/report_data.log 2>&1 &
  --subjects / --records scale the city down (e.g. 2000 / 20000 for a trial database).
"""

import argparse
import csv
import datetime
import json
import os
import random
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = 2026
BATCH_ROWS = 500_000
FILE_PREFIX = "report-bench"
CHECK_ENTRIES = 100_000  # what bench/check_bench.py makes

# (item, provider, records at 10,000,000; skew): "tail" puts records on the organisations
# with a long tail (same order for every item, so a busy company is busy in every item),
# "flat" spreads them evenly, "each" gives every organisation one.
SPEC = [
    ("administrative_licence", "ZJ", 900_000, "tail"),
    ("administrative_licence", "SCJG", 1_190_000, "tail"),
    ("administrative_licence", "HB", 300_000, "tail"),
    ("administrative_licence", "YJ", 150_000, "tail"),
    ("administrative_licence", "RS", 150_000, "tail"),
    ("administrative_penalty", "SCJG", 600_000, "tail"),
    ("administrative_penalty", "SW", 250_000, "tail"),
    ("administrative_penalty", "HB", 200_000, "tail"),
    ("administrative_penalty", "YJ", 150_000, "tail"),
    ("administrative_penalty", "ZJ", 150_000, "tail"),
    ("administrative_penalty", "RS", 100_000, "tail"),
    ("administrative_inspection", "SCJG", 700_000, "tail"),
    ("administrative_inspection", "YJ", 200_000, "tail"),
    ("administrative_inspection", "HB", 200_000, "tail"),
    ("registration_basic", "SCJG", 850_000, "each"),
    ("administrative_enforcement", "SW", 250_000, "tail"),
    ("administrative_enforcement", "SCJG", 50_000, "tail"),
    ("administrative_enforcement", "HB", 50_000, "tail"),
    ("judicial_judgment", "FY", 600_000, "tail"),
    ("court_dishonest_debtor", "FY", 40_000, "flat"),
    ("administrative_confirmation", "MZ", 50_000, "flat"),
    ("administrative_confirmation", "SCJG", 100_000, "tail"),
    ("administrative_reward", "RS", 100_000, "tail"),
    ("administrative_reward", "XYB", 50_000, "tail"),
    ("abnormal_operations_entry", "SCJG", 200_000, "flat"),
    ("serious_dishonesty_entry", "SW", 10_000, "flat"),
    ("serious_dishonesty_entry", "SCJG", 10_000, "flat"),
    ("contract_performance", "ZJ", 300_000, "tail"),
    ("commitment_performance", "XYB", 500_000, "tail"),
    ("credit_evaluation_result", "SW", 500_000, "flat"),
    ("law_compliance", "GJJ", 100_000, "flat"),
    ("law_compliance", "SW", 50_000, "flat"),
    ("honor", "XYB", 150_000, "tail"),
    ("intellectual_property", "SCJG", 500_000, "tail"),
    ("voluntary_information", "XYB", 100_000, "tail"),
    ("professional_qualification", "RS", 150_000, "flat"),
    ("professional_qualification", "ZJ", 50_000, "flat"),
]
assert sum(s[2] for s in SPEC) == 10_000_000


def log(msg: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)


def _init() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()


def _warm(_: int) -> int:
    return os.getpid()


# -- database and subjects ------------------------------------------------------------------


def ensure_database() -> None:
    """Create the database if missing (never dropped: the run is resumable)."""
    import psycopg
    from django.db import connection

    name = connection.settings_dict["NAME"]
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
            )
            log(f"database {name} created")


def phase_subjects(n: int) -> dict:
    from xinyong.demo.city import build_city

    r = build_city(seed=SEED, total=n, chunk=100_000)
    return {"subjects_inserted": r.subjects_inserted, "related_inserted": r.related_inserted}


# -- records --------------------------------------------------------------------------------


def _names() -> dict[str, str]:
    from xinyong.demo.city import DEPARTMENTS

    return {code: name for code, name, _kind in DEPARTMENTS}


def _makers():
    """Row makers by item: ``ingest/demo.py``'s, with the deciding department's own name
    and code (several departments provide penalties, licences, coercion), and penalties by
    summary procedure or judged serious in part."""
    from xinyong.ingest import demo as rd

    names = _names()

    def authority(row: dict, provider: str, fields: tuple[str, ...], codes: tuple[str, ...]):
        for f in fields:
            row[f] = names[provider]
        for f in codes:
            row[f] = rd.department_uscc(provider)
        return row

    def penalty(n, o, rng, provider):
        row = rd.penalty(n, o, rng, provider)
        authority(row, provider, ("CF_CFJG", "CF_SJLY"), ("CF_CFJGDM", "CF_SJLYDM"))
        pick = rng.random()
        row["CF_CXLX"], row["CF_YZCD"] = "普通程序", ""
        if pick < 0.15:  # summary procedure: a warning or a small fine, decided on the spot
            fine = rng.choice(["", "0.02", "0.05", "0.3"])
            row.update(
                CF_CXLX="简易程序",
                CF_CFLB="警告" if not fine else "罚款",
                CF_NR="警告" if not fine else f"罚款人民币{fine}万元",
                CF_NR_FK=fine,
            )
        elif pick < 0.18:
            row["CF_YZCD"] = "严重"
        elif pick < 0.6:
            row["CF_CXLX"] = ""
        return row

    def licence(n, o, rng, provider):
        row = rd.licence(n, o, rng, provider)
        return authority(row, provider, ("XK_XKJG", "XK_LYDW"), ("XK_XKJGDM", "XK_LYDWDM"))

    def enforcement(n, o, rng, provider):
        row = rd.ORG_ITEMS["administrative_enforcement"](n, o, rng, provider)
        row["QZ_WSH"] = f"信{provider}强〔2026〕{n}号"
        return authority(row, provider, ("QZ_JG",), ())

    makers = dict(rd.ORG_ITEMS)
    makers.update(
        administrative_penalty=penalty,
        administrative_licence=licence,
        administrative_enforcement=enforcement,
    )
    return makers


def _jobs(total_records: int) -> list[dict]:
    """The batches to make, at most BATCH_ROWS rows each, interleaved by item so that the two
    workers apply different items at once; numbered rows (``start``) unique per item."""
    scale = total_records / 10_000_000
    per_item_start: dict[str, int] = {}
    jobs = []
    for item, provider, count, skew in SPEC:
        count = max(1, round(count * scale))
        for part, lo in enumerate(range(0, count, BATCH_ROWS)):
            rows = min(BATCH_ROWS, count - lo)
            start = per_item_start.get(item, 0)
            per_item_start[item] = start + rows
            jobs.append(
                {
                    "item": item,
                    "provider": provider,
                    "rows": rows,
                    "skew": skew,
                    "start": start,
                    "name": f"{FILE_PREFIX}:{item}:{provider}:{part}",
                }
            )
    # Big items first (their later parts interleave with the others).
    by_item: dict[str, list] = {}
    for j in jobs:
        by_item.setdefault(j["item"], []).append(j)
    order, queues = [], sorted(by_item.values(), key=lambda q: -sum(j["rows"] for j in q))
    while any(queues):
        for q in queues:
            if q:
                order.append(q.pop(0))
    return order


def _write_csv(job: dict, orgs, people, makers, path: Path) -> None:
    from xinyong.ingest import demo as rd

    rng = random.Random(f"{SEED}:{job['name']}")
    pick = random.Random(f"{SEED}:pick:{job['name']}")
    n_orgs, names = len(orgs), _names()
    item, provider, skew = job["item"], job["provider"], job["skew"]

    def org_for(k: int):
        if skew == "each":
            return orgs[(job["start"] + k) % n_orgs]
        u = pick.random()
        pos = int(n_orgs * (u * u if skew == "tail" else u))
        # One fixed permutation for every item: the tail's busy companies are the same ones.
        return orgs[(pos * 7919) % n_orgs]

    with path.open("w", encoding="utf-8", newline="") as f:
        writer = None
        for k in range(job["rows"]):
            n = job["start"] + k + 1
            if item == "professional_qualification":
                p = people[int(pick.random() * len(people))]
                row = rd.qualification(n, p, rng)
                row["ZG_FZJG"] = names[provider]
            else:
                row = makers[item](n, org_for(k), rng, provider)
            if writer is None:
                writer = csv.DictWriter(f, fieldnames=list(row), extrasaction="raise")
                writer.writeheader()
            writer.writerow(row)


def _process(batch_id: int) -> dict:
    from xinyong.ingest import services

    t = time.perf_counter()
    batch = services.batch_process(batch_id=batch_id)
    return {
        "batch": batch_id,
        "item": batch.item_code,
        "status": batch.status,
        "rows": batch.total,
        "created": batch.created,
        "unchanged": batch.unchanged,
        "rejected": batch.rejected,
        "errors": batch.errors[:3] if batch.errors else None,
        "seconds": round(time.perf_counter() - t, 1),
    }


def phase_records(n_subjects: int, n_records: int, workers: int) -> dict:
    import multiprocessing

    from django.conf import settings
    from django.db import connection

    from xinyong.accounts.actors import SYSTEM
    from xinyong.ingest import services
    from xinyong.ingest.models import Batch
    from xinyong.subjects import demo

    jobs = _jobs(n_records)
    done = set(
        Batch.objects.filter(file_name__startswith=FILE_PREFIX, status="done").values_list(
            "file_name", flat=True
        )
    )
    todo = [j for j in jobs if j["name"] not in done]
    log(f"records: {len(jobs)} batches, {len(jobs) - len(todo)} already done")
    if not todo:
        return {"skipped": True}
    t = time.perf_counter()
    sizes = demo.split(n_subjects)
    orgs = [
        o
        for kind in ("organization", "individual_business")
        for o in demo.organizations(SEED, 0, sizes[kind], kind=kind)
    ]
    people = list(demo.persons(SEED, 0, sizes["person"]))
    log(
        f"  {len(orgs):,} organisations, {len(people):,} persons generated in "
        f"{time.perf_counter() - t:.0f} s"
    )
    makers = _makers()
    work = Path(settings.VAR_DIR) / "report_data"
    work.mkdir(parents=True, exist_ok=True)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM records_record")
        before = cur.fetchone()[0]
    results, gen_s, t0 = [], 0.0, time.perf_counter()
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init) as pool:
        list(pool.map(_warm, range(workers)))
        running = set()

        def collect(block: bool) -> None:
            nonlocal running
            if not running:
                return
            finished, running = wait(
                running, timeout=None if block else 0, return_when=FIRST_COMPLETED
            )
            for fut in finished:
                r = fut.result()
                results.append(r)
                rows = sum(x["rows"] for x in results)
                el = time.perf_counter() - t0
                log(
                    f"  done {r['item']} batch {r['batch']}: {r['status']} {r['rows']:,} rows "
                    f"(+{r['created']:,} created, {r['rejected']:,} rejected) in {r['seconds']} s; "
                    f"{rows:,} rows so far, {rows / el:,.0f} rows/s overall"
                )
                if r["status"] != "done" or r["rejected"]:
                    log(f"  !! {r['errors']}")

        for job in todo:
            g = time.perf_counter()
            path = work / f"{job['name'].replace(':', '_')}.csv"
            _write_csv(job, orgs, people, makers, path)
            batch = services.batch_submit(
                actor=SYSTEM,
                item_code=job["item"],
                channel="cli",
                file_format="csv",
                payload=path,
                file_name=job["name"],
                provider_code=job["provider"],
            )
            path.unlink()
            gen_s += time.perf_counter() - g
            log(f"  submitted {job['name']} ({job['rows']:,} rows) as batch {batch.pk}")
            running.add(pool.submit(_process, batch.pk))
            while len(running) >= workers + 1:
                collect(block=True)
        while running:
            collect(block=True)
    elapsed = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM records_record")
        after = cur.fetchone()[0]
    return {
        "batches": len(results),
        "rows": sum(r["rows"] for r in results),
        "records_created": after - before,
        "seconds": round(elapsed, 1),
        "rows_per_s": round(sum(r["rows"] for r in results) / elapsed),
        "generation_and_submit_s": round(gen_s, 1),
        "failed": [r for r in results if r["status"] != "done"],
    }


# -- publications ---------------------------------------------------------------------------


def _sweep_part(lo: int, hi: int, now_iso: str) -> int:
    """The sweep's own computation for the dual-publicity records with ids in [lo, hi)."""
    from django.db import transaction

    from xinyong.disclosure.rules import dual_publicity_items
    from xinyong.disclosure.sweep import SweepReport, _refresh
    from xinyong.records.models import Record

    items = dual_publicity_items()
    now = datetime.datetime.fromisoformat(now_iso)
    report, step, last = SweepReport(), 200_000, lo
    while last < hi:
        top = min(last + step, hi)
        ids = list(
            Record.objects.filter(
                item_code__in=list(items), pk__gte=last, pk__lt=top, publication__isnull=True
            ).values_list("pk", flat=True)
        )
        if ids:
            with transaction.atomic():
                _refresh(items, now, report, ids)
        last = top
    return report.refreshed


def phase_publications(workers: int) -> dict:
    import multiprocessing

    from django.db import connection
    from django.utils import timezone

    from xinyong.accounts.actors import SYSTEM
    from xinyong.disclosure.sweep import publication_sweep

    with connection.cursor() as cur:
        cur.execute("SELECT min(id), max(id) + 1 FROM records_record")
        lo, hi = cur.fetchone()
    out = {}
    if lo is None:
        return out
    now = timezone.now()
    t = time.perf_counter()
    bounds = [lo + (hi - lo) * i // workers for i in range(workers + 1)]
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init) as pool:
        refreshed = sum(pool.map(_sweep_part, bounds[:-1], bounds[1:], [now.isoformat()] * workers))
    out["computed"] = refreshed
    out["compute_s"] = round(time.perf_counter() - t, 1)
    log(f"  {refreshed:,} publications computed in {out['compute_s']} s")
    t = time.perf_counter()
    report = publication_sweep(actor=SYSTEM, now=now)
    out["sweep"] = vars(report)
    out["sweep_s"] = round(time.perf_counter() - t, 1)
    log(f"  sweep: {vars(report)} in {out['sweep_s']} s")
    return out


# -- lists ----------------------------------------------------------------------------------


def phase_lists(n_entries: int) -> dict:
    from django.db import connection

    from xinyong.accounts.actors import SYSTEM
    from xinyong.accounts.models import Department
    from xinyong.lists.imports import SOURCES, entries_import
    from xinyong.lists.models import ListEntry

    out = {}
    t = time.perf_counter()
    if not ListEntry.objects.filter(decision_no__startswith="BENCH-").exists():
        # The entries of bench/check_bench.py, by its own statement (so that it finds them).
        from check_bench import entries_insert

        dept = Department.objects.get(code="SCJG")
        with connection.cursor() as cur:
            out["check_bench_entries"] = entries_insert(cur, dept.pk, n_entries)
    out["check_bench_s"] = round(time.perf_counter() - t, 1)
    for item in SOURCES:
        t = time.perf_counter()
        report = entries_import(actor=SYSTEM, item_code=item)
        out[f"import_{item}"] = {**vars(report), "seconds": round(time.perf_counter() - t, 1)}
        log(f"  {item}: {out[f'import_{item}']}")
    return out


# -- objections and repairs -----------------------------------------------------------------


REMEDY_TAG = "【基准数据】"


def _pdf(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n% bench material\n%%EOF\n", "application/pdf")


def phase_remedies(n_objections: int, n_repairs: int) -> dict:
    """Objections filed by the credit office against market-regulator penalties in public
    view (a third left marked 异议中, a third forwarded, a third decided: maintained, one in
    ten revoked), and approved repairs of serious penalties past their minimum period
    (a portal account per company, its binding approved, the application with commitment
    and proof, approved by the market regulator's reviewer) — all through the services,
    a few hundred rows, so one call each is fine. Skipped when the tagged rows exist."""
    from django.db import connection

    from xinyong.accounts.actors import SYSTEM, Actor
    from xinyong.accounts.choices import Role
    from xinyong.accounts.models import Department, User
    from xinyong.accounts.services import user_create
    from xinyong.remedies.models import Objection, RepairApplication, SubjectBinding
    from xinyong.remedies.services import bindings, objections, repairs

    out: dict = {}
    operator = Actor.for_user(User.objects.get(username="xyb_admin"))
    clerk = Actor.for_user(User.objects.get(username="scjg_clerk"))
    reviewer = Actor.for_user(User.objects.get(username="scjg_reviewer"))
    scjg = Department.objects.get(code="SCJG").pk
    public_penalties = (
        "FROM records_record r JOIN disclosure_publication p ON p.record_id = r.id "
        "WHERE r.item_code = 'administrative_penalty' AND r.provider_id = %s "
        "AND r.status = 'active' AND p.status = 'public' "
    )
    t = time.perf_counter()
    if not Objection.objects.filter(reasons__startswith=REMEDY_TAG).exists():
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT r.id {public_penalties} AND r.id %% 389 = 0 "
                "AND p.penalty_class <> 'serious' ORDER BY r.id LIMIT %s",
                [scjg, n_objections],
            )
            ids = [row[0] for row in cur.fetchall()]
        decided = {"maintained": 0, "revoked": 0}
        for k, rid in enumerate(ids):
            obj = objections.objection_file(
                actor=operator,
                record_id=rid,
                reasons=f"{REMEDY_TAG}当事人称处罚决定书所载违法事实与实际情况不符，已提交整改材料。",
            )
            if k % 3 == 0:
                continue  # received, not yet marked
            objections.objection_mark(actor=operator, objection_id=obj.pk)
            if k % 3 == 1:
                continue  # marked: shown as 异议中
            objections.objection_forward(actor=operator, objection_id=obj.pk)
            if k % 9 == 2:
                continue  # forwarded, awaiting the provider
            decision = "revoked" if k % 27 == 5 else "maintained"
            objections.objection_decide(
                actor=clerk,
                objection_id=obj.pk,
                decision=decision,
                reason="经复核，"
                + (
                    "原处罚信息有误，予以撤销"
                    if decision == "revoked"
                    else "原处罚信息准确，予以维持"
                ),
            )
            decided[decision] += 1
        out["objections"] = {"filed": len(ids), **decided}
    out["objections_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    if not RepairApplication.objects.filter(statement__startswith=REMEDY_TAG).exists():
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT DISTINCT ON (r.subject_id) r.id, r.subject_id, s.uscc {public_penalties}"
                "AND p.penalty_class = 'serious' AND p.min_until < current_date "
                "AND r.id %% 7 = 0 AND NOT EXISTS (SELECT 1 FROM remedies_objection o "
                "WHERE o.subject_id = r.subject_id) "
                "AND s.uscc IS NOT NULL ORDER BY r.subject_id, r.id LIMIT %s".replace(
                    "JOIN disclosure_publication",
                    "JOIN subjects_subject s ON s.id = r.subject_id JOIN disclosure_publication",
                ),
                [scjg, n_repairs],
            )
            targets = cur.fetchall()
        approved = 0
        for k, (rid, subject_id, uscc) in enumerate(targets):
            user = User.objects.filter(
                username=f"bench_portal_{subject_id}"
            ).first() or user_create(
                actor=SYSTEM,
                username=f"bench_portal_{subject_id}",
                password=f"Bench-{subject_id}-portal-2026",
                role=Role.PUBLIC,
                display_name=f"企业经办人{k}",
            )
            portal = Actor.for_user(user)
            if not SubjectBinding.objects.filter(user=user, subject_id=subject_id).exists():
                binding = bindings.binding_request(
                    actor=portal,
                    uscc=uscc,
                    applicant=f"经办人{k}",
                    phone="13800000000",
                    evidence=_pdf("授权委托书.pdf"),
                )
                bindings.binding_review(actor=operator, binding_id=binding.pk, approve=True)
            app = repairs.repair_apply(
                actor=portal,
                subject_id=subject_id,
                record_ids=[rid],
                statement=f"{REMEDY_TAG}已全额缴纳罚款并完成整改，参加信用修复培训。",
                materials={
                    "commitment": _pdf("信用修复承诺书.pdf"),
                    "performance": _pdf("罚款缴纳凭证.pdf"),
                },
            )
            repairs.repair_decide(
                actor=reviewer,
                application_id=app.pk,
                approve=True,
                reason="已履行法定义务、纠正失信行为，同意修复",
            )
            approved += 1
        out["repairs_approved"] = approved
    out["repairs_s"] = round(time.perf_counter() - t, 1)
    return out


def phase_analyze() -> dict:
    from django.db import connection

    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)")
    return {"seconds": round(time.perf_counter() - t, 1)}


def counts() -> dict:
    from django.db import connection

    tables = [
        "subjects_subject",
        "subjects_relatedperson",
        "records_record",
        "records_recordversion",
        "ingest_batch",
        "ingest_batchrow",
        "disclosure_publication",
        "disclosure_publicationchange",
        "lists_listentry",
        "lists_listentryevent",
        "remedies_objection",
        "remedies_repairapplication",
        "remedies_subjectbinding",
        "audit_auditevent",
    ]
    out = {}
    with connection.cursor() as cur:
        for t in tables:
            cur.execute(f"SELECT to_regclass('{t}') IS NOT NULL")
            if cur.fetchone()[0]:
                cur.execute(f"SELECT count(*) FROM {t}")
                out[t] = cur.fetchone()[0]
        cur.execute("SELECT item_code, count(*) FROM records_record GROUP BY 1 ORDER BY 2 DESC")
        out["records_by_item"] = dict(cur.fetchall())
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        out["database_size"] = cur.fetchone()[0]
    return out


PHASES = ["subjects", "records", "publications", "lists", "remedies", "analyze"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subjects", type=int, default=1_000_000)
    ap.add_argument("--records", type=int, default=10_000_000)
    ap.add_argument("--entries", type=int, default=CHECK_ENTRIES)
    ap.add_argument("--objections", type=int, default=300)
    ap.add_argument("--repairs", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", help="comma-separated phases among " + ",".join(PHASES))
    ap.add_argument("--out", default=str(ROOT / "bench/out/report_data.json"))
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xinyong.demo.city import ensure_reference_data

    assert connection.vendor == "postgresql", "this benchmark targets PostgreSQL"
    phases = args.only.split(",") if args.only else PHASES
    timings: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "phases": {}}
    t_all = time.perf_counter()
    ensure_database()
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    ensure_reference_data()
    timings["phases"]["migrate"] = {"seconds": round(time.perf_counter() - t, 1)}
    log(f"migrated in {timings['phases']['migrate']['seconds']} s")
    run = {
        "subjects": lambda: phase_subjects(args.subjects),
        "records": lambda: phase_records(args.subjects, args.records, args.workers),
        "publications": lambda: phase_publications(args.workers),
        "lists": lambda: phase_lists(args.entries),
        "remedies": lambda: phase_remedies(args.objections, args.repairs),
        "analyze": phase_analyze,
    }
    for name in PHASES:
        if name not in phases:
            continue
        log(f"phase {name}")
        t = time.perf_counter()
        result = run[name]() or {}
        result["phase_s"] = round(time.perf_counter() - t, 1)
        timings["phases"][name] = result
        log(f"phase {name} done in {result['phase_s']} s: {json.dumps(result, ensure_ascii=False)}")
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(timings, ensure_ascii=False, indent=2, default=str))
    timings["total_s"] = round(time.perf_counter() - t_all, 1)
    timings["counts"] = counts()
    log(json.dumps(timings, ensure_ascii=False, indent=2, default=str))
    Path(args.out).write_text(json.dumps(timings, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    main()
