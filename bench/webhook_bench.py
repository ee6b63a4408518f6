"""Benchmark of issue #17 item 7 (webhooks; not part of the test suite): the fan-out of
100,000 changes to 100 subscribers each watching every changed subject (10,000,000
deliveries), then the sustained send rate to local receivers, on PostgreSQL.

Fan-out: the dispatcher's rounds (``dispatch_round``: the changes' messages, then one
INSERT … SELECT of the deliveries) timed end to end — changes/s and deliveries rows/s.
The feed entries are synthetic (~600 bytes, a publicity entry's size): building them from
real records is the feeds' cost, not the fan-out's. Sending: ``send_all`` (claim, sign,
POST from a thread pool with one pooled httpx client, record the outcome) for a window of
``--window`` seconds against ``--receivers`` asyncio receiver processes
(bench/webhook_receiver.py) — deliveries/s and the latency percentiles of that window.

Usage (own database, never xinyong_bench):
  createdb -h 127.0.0.1 -U postgres xy_webhook_bench
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xy_webhook_bench XINYONG_VAR_DIR=var/bench \\
      .venv/bin/python manage.py migrate
  DATABASE_URL=… XINYONG_VAR_DIR=var/bench .venv/bin/python bench/webhook_bench.py \\
      [--changes 100000] [--subscribers 100] [--subjects 1000] [--window 150] [--threads 16] \\
      [--senders 1]
Writes bench/out/webhook_bench.json."""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("XINYONG_WEBHOOK_ALLOW_HTTP", "1")
os.environ.setdefault("XINYONG_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.1/32")


def _setup(args):
    """Subjects, subscriptions (each watching every subject, publicity), the changes."""
    from django.db import connection, transaction
    from django.utils import timezone

    from xinyong.accounts.models import Department
    from xinyong.exchange.log import changes_append
    from xinyong.exchange.models import (
        WebhookDelivery,
        WebhookDispatch,
        WebhookKind,
        WebhookMessage,
        WebhookSubject,
        WebhookSubscription,
    )
    from xinyong.exchange.webhooks import signing
    from xinyong.subjects.models import Subject

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE exchange_webhookdelivery, exchange_webhookmessage, "
            "exchange_webhooksubject, exchange_webhookkind, exchange_webhooksubscription, "
            "exchange_change, exchange_webhookdispatch CASCADE"
        )
        cur.execute("UPDATE exchange_feedhead SET last_seq = 0")
    dept, _ = Department.objects.get_or_create(code="BENCH", defaults={"name": "基准测试部门"})
    have = Subject.objects.filter(uscc__startswith="91BENCH").count()
    Subject.objects.bulk_create(
        [
            Subject(kind="organization", name=f"基准主体{i}", uscc=f"91BENCH{i:011d}")
            for i in range(have, args.subjects)
        ],
        batch_size=5000,
    )
    ids = list(Subject.objects.filter(uscc__startswith="91BENCH").values_list("pk", flat=True))
    ids = ids[: args.subjects]
    now = timezone.now()
    sealed = signing.secret_seal(signing.secret_new())
    subs = WebhookSubscription.objects.bulk_create(
        [
            WebhookSubscription(
                department=dept,
                name=f"订阅{i}",
                url=f"http://127.0.0.1:{args.port + i % args.receivers}/hook/{i}",
                watch="codes",
                secret_encrypted=sealed,
                created_by="bench",
                created_at=now,
                updated_at=now,
            )
            for i in range(args.subscribers)
        ]
    )
    WebhookKind.objects.bulk_create([WebhookKind(subscription=s, feed="publicity") for s in subs])
    WebhookSubject.objects.bulk_create(
        [WebhookSubject(subscription=s, subject_id=i) for s in subs for i in ids], batch_size=10_000
    )
    t = time.perf_counter()
    step = 10_000
    for start in range(0, args.changes, step):
        with transaction.atomic():
            changes_append(
                "publicity",
                [
                    ("publish", start + k + 1, ids[(start + k) % len(ids)])
                    for k in range(min(step, args.changes - start))
                ],
                now,
            )
    appended = time.perf_counter() - t
    WebhookDispatch.objects.update_or_create(pk=1, defaults={"last_seq": 0})
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    assert not WebhookDelivery.objects.exists() and not WebhookMessage.objects.exists()
    return ids, round(appended, 1)


def _synthetic_feed():
    """Feed entries of a publicity change's size, made from the change rows alone."""
    from xinyong.exchange.models import Change
    from xinyong.exchange.webhooks import dispatch

    fields = {
        "CF_WSH": "信市监罚〔2026〕1号",
        "CF_WFXW": "虚假宣传",
        "CF_SY": "在商品包装上作虚假宣传",
        "CF_YJ": "《中华人民共和国反不正当竞争法》第二十条",
        "CF_CFLB": "罚款",
        "CF_NR": "罚款人民币五万元",
        "CF_JDRQ": "2026-11-20",
        "CF_XZJG": "信安市市场监督管理局",
    }

    def feed_read(feed, *, after, limit, actor=None):
        rows = list(Change.objects.filter(feed=feed, seq__gt=after).order_by("seq")[:limit])
        entries = [
            {
                "seq": r.seq,
                "action": r.action,
                "at": r.at,
                "key": f"SCJG/administrative_penalty/{r.object_id}",
                "item": "administrative_penalty",
                "provider": "SCJG",
                "source_id": str(r.object_id),
                "fields": fields,
            }
            for r in rows
        ]
        return entries, (rows[-1].seq if rows else None)

    dispatch.feed_read = feed_read


def _fan_out(args) -> dict:
    from django.db import connection

    from xinyong.exchange.webhooks.dispatch import dispatch_round

    t, changes, queued, rounds = time.perf_counter(), 0, 0, []
    while True:
        r = time.perf_counter()
        n, q = dispatch_round(chunk=args.chunk)
        if n == 0:
            break
        changes, queued = changes + n, queued + q
        rounds.append(round(time.perf_counter() - r, 2))
    secs = time.perf_counter() - t
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_total_relation_size('exchange_webhookdelivery'), "
            "pg_total_relation_size('exchange_webhookmessage')"
        )
        dsize, msize = cur.fetchone()
    return {
        "changes": changes,
        "deliveries": queued,
        "seconds": round(secs, 1),
        "changes_per_s": round(changes / secs),
        "deliveries_per_s": round(queued / secs),
        "round_seconds_first_last": [rounds[0], rounds[-1]],
        "chunk": args.chunk,
        "delivery_table_mb": dsize // 2**20,
        "message_table_mb": msize // 2**20,
    }


def _sender(seconds: float, threads: int) -> None:
    """One sender process (forked): its own connection, ``send_all`` for the window."""
    from django.db import connections

    from xinyong.exchange.webhooks.send import send_all

    connections.close_all()
    send_all(deadline=time.monotonic() + seconds, threads=threads)


def _send(args) -> dict:
    import multiprocessing

    from django.db import connection, connections

    start = datetime.datetime.now(datetime.UTC)
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    procs = [
        ctx.Process(target=_sender, args=(args.window, args.threads)) for _ in range(args.senders)
    ]
    t = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    secs = time.perf_counter() - t
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER "
            "(WHERE last_error <> ''), percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY "
            "last_latency_ms) FROM exchange_webhookdelivery WHERE last_attempt_at >= %s",
            [start],
        )
        attempts, ok, failed, (p50, p99) = cur.fetchone()
        cur.execute("SELECT count(*) FROM exchange_webhookdelivery WHERE status = 'pending'")
        left = cur.fetchone()[0]
    return {
        "window_s": round(secs, 1),
        "attempts": attempts,
        "succeeded": ok,
        "failed": failed,
        "deliveries_per_s": round(attempts / secs),
        "latency_ms_p50": p50,
        "latency_ms_p99": p99,
        "senders": args.senders,
        "threads": args.threads,
        "receivers": args.receivers,
        "pending_after": left,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changes", type=int, default=100_000)
    ap.add_argument("--subscribers", type=int, default=100)
    ap.add_argument("--subjects", type=int, default=1000)
    ap.add_argument("--chunk", type=int, default=5000)
    ap.add_argument("--window", type=float, default=150)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--receivers", type=int, default=2)
    ap.add_argument("--senders", type=int, default=1)
    ap.add_argument("--port", type=int, default=18_600)
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.db import connection

    assert connection.vendor == "postgresql" and connection.settings_dict["NAME"] != "xinyong_bench"
    out: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.node()} {os.cpu_count()} cpu, Python {platform.python_version()}",
        "args": vars(args),
    }
    receivers = [
        subprocess.Popen(  # noqa: S603 - this interpreter and this repository's script
            [sys.executable, str(ROOT / "bench/webhook_receiver.py"), str(args.port + i)]
        )
        for i in range(args.receivers)
    ]
    try:
        _ids, out["append_seconds"] = _setup(args)
        _synthetic_feed()
        out["fan_out"] = _fan_out(args)
        print(json.dumps(out["fan_out"]), flush=True)
        out["send"] = _send(args)
        print(json.dumps(out["send"]), flush=True)
    finally:
        for p in receivers:
            p.terminate()
    dest = ROOT / "bench/out/webhook_bench.json"
    dest.parent.mkdir(exist_ok=True)
    dest.write_text(json.dumps(out, indent=1, ensure_ascii=False, default=str))
    print(json.dumps(out, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
