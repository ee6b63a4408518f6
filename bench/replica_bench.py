"""Benchmark of issue #19 item 2 (not part of the test suite): what choosing a replica
costs the credit check's hot path.

Starts its own PostgreSQL primary, a streaming replica of it and a Redis on this machine
(``xinyong/core/tests/streaming.py``, as the replica test does), migrates the primary and
builds the demo city's first steps, then runs the check (the service, in this process: no
HTTP, so that the difference is the check's own) for one subject, round-robin over three
settings:

- ``primary``: no replica configured (no scope, no mark read);
- ``replica``: the replica, its state kept ``REPLICA_STATUS_SECONDS`` (20 ms) per process —
  each check reads the subject's marks from Redis (one MGET);
- ``marks read, primary serves``: the choice made (marks read) but no replica qualifies
  (``REPLICA_MAX_LAG_SECONDS=-1``): the choice's cost with the reads where ``primary``
  reads them — on this one machine a replica also competes with the primary for the same
  two cores, which a replica on its own machine does not;
- ``replica, state every check``: the same, the replica's state read for every check
  (``REPLICA_STATUS_SECONDS=0``): what keeping it saves.

and the choice alone (marks and kept state, no query of the check) beside a bare round
trip to the Redis (PING). Prints a summary and
writes ``bench/out/replica_bench.json``.

Usage:  .venv/bin/python bench/replica_bench.py [--checks 3000]
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, n: int) -> dict:
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1e6)
    samples.sort()
    return {
        "n": n,
        "mean_us": round(statistics.fmean(samples), 1),
        "p50_us": round(samples[n // 2], 1),
        "p99_us": round(samples[int(n * 0.99)], 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checks", type=int, default=3000, help="checks per setting and round")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    from xinyong.core.tests import streaming

    pair = streaming.start()
    try:
        os.environ.update(pair.env())
        os.environ["DJANGO_SETTINGS_MODULE"] = "xinyong.settings"
        run(args, pair)
    finally:
        pair.stop()


def run(args, pair) -> None:
    import django

    django.setup()
    from django.core.cache import caches
    from django.core.management import call_command
    from django.test import override_settings

    from xinyong.accounts.actors import Actor
    from xinyong.core import replicas
    from xinyong.core.tests.replica_scenario import caught_up, city
    from xinyong.sanctions.services import credit_check

    call_command("migrate", verbosity=0)
    c = city()
    caught_up()
    actor = Actor.for_client(c["client"])
    code = c["a"].uscc

    def check():
        credit_check(actor=actor, matter="government_procurement", uscc=code)

    settings_of = {
        "primary": {"XINYONG_REPLICAS": ()},
        "replica": {},
        "marks read, primary serves": {"REPLICA_MAX_LAG_SECONDS": -1},
        "replica, state every check": {"REPLICA_STATUS_SECONDS": 0},
    }
    keys = frozenset((replicas.ALL, replicas.uscc_key(code)))
    results: dict[str, list] = {
        name: [] for name in [*settings_of, "choice alone", "redis round trip (PING)"]
    }
    redis = caches["default"]._cache.get_client(write=False)
    for _round in range(args.rounds):
        for name, over in settings_of.items():
            with override_settings(**over):
                replicas.forget()
                timed(check, 200)  # warm: prepared statements, connections
                results[name].append(timed(check, args.checks))
        replicas.forget()
        results["choice alone"].append(timed(lambda: replicas._choose(keys), args.checks))
        results["redis round trip (PING)"].append(timed(redis.ping, args.checks))
    # The choice must have taken the replica (else the figures compare nothing).
    assert replicas._choose(keys) == "replica_1"
    best = {name: min(rs, key=lambda r: r["mean_us"]) for name, rs in results.items()}
    out = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.node()} {os.cpu_count()} CPU, Python {platform.python_version()}",
        "load": os.getloadavg(),
        "checks": args.checks,
        "rounds": args.rounds,
        "best": best,
        "all": results,
    }
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    (ROOT / "bench" / "out" / "replica_bench.json").write_text(json.dumps(out, indent=2))
    for name, r in best.items():
        print(f"{name:<28} mean {r['mean_us']:>8.1f} µs  p50 {r['p50_us']:>8.1f}  "
              f"p99 {r['p99_us']:>8.1f}")  # fmt: skip
    print(f"load {out['load']}")


if __name__ == "__main__":
    main()
