"""Benchmark of issue #14 item 9 (not part of the test suite): the pages people open most,
served as deployed — granian WSGI, production settings, PostgreSQL with the 1,000,000
subjects and 10,000,000 records of ``bench/report_data.py`` — under 16 concurrent
connections, each page alone, then all of them mixed; and a trivial endpoint (``/healthz``:
one ``SELECT 1``) in the same run, for the throughput ratio.

Server time is the application's own (the ``Server-Timing: app;dur=`` header that
``XINYONG_SERVER_TIMING=1`` turns on), collected for every response by wrk's Lua hook;
wrk's latency (server time plus the wait for a free thread and the loopback) is beside it.

Pages and what each request asks (random picks from lists drawn once, seeded):
  - home: ``/``, and its lists and individual-business tabs;
  - search: a fragment of 2–6 characters of a real organisation's name (90 %) or a full
    USCC (10 %), on the all / organisation / individual-business tabs, page 1 or 2;
  - subject: the overview, licences, penalties or lists tab of a random organisation or
    individual business (80 %) or of one of the 200 with the most records (20 %);
  - publicity: the dual-publicity column, penalties or licences, unfiltered (pages 1–5),
    by a name fragment, or by department;
  - dashboard: the back office's 工作台 of a department clerk (SCJG) and of the credit
    office's operator (sessions made in the database, as a login makes them).

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyong_bench .venv/bin/python \\
      bench/load_bench.py [--seconds 30] [--connections 16] [--workers 2] [--threads 1]
Needs wrk (Debian package ``wrk``). Writes ``bench/out/load_bench.json``.
"""

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import serving  # noqa: E402 - bench/serving.py, beside this file

SEED = 14
TARGET_P99_MS = 200.0
LUA = """
local threads = {}
function setup(thread) threads[#threads + 1] = thread end
function init(args)
  paths = {}
  for line in io.lines(os.getenv("XY_PATHS")) do paths[#paths + 1] = line end
  hdrs = {}
  local cookie = os.getenv("XY_COOKIE") or ""
  if cookie ~= "" then hdrs["Cookie"] = cookie end
  timings = {}
  bad = 0
  math.randomseed(tonumber(os.getenv("XY_SEED")))
end
function request() return wrk.format("GET", paths[math.random(#paths)], hdrs) end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
  for k, v in pairs(headers) do
    if string.lower(k) == "server-timing" then
      local d = string.match(v, "dur=([%d.]+)")
      if d then timings[#timings + 1] = tonumber(d) end
    end
  end
end
function done(summary, latency, requests)
  local f = io.open(os.getenv("XY_OUT"), "w")
  for _, t in ipairs(threads) do
    f:write("bad ", t:get("bad"), "\\n")
    for _, v in ipairs(t:get("timings")) do f:write(v, "\\n") end
  end
  f:close()
end
"""


def _django() -> None:
    os.environ.update(serving.production_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()


def _sample(sql: str, params=()) -> list:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [r[0] if len(r) == 1 else r for r in cur.fetchall()]


def targets() -> dict[str, list[str]]:
    """The paths each page's requests pick from (see the module's docstring)."""
    rng = random.Random(SEED)
    n = _sample("SELECT count(*) FROM subjects_subject")[0]
    assert n >= 1_000_000 or os.environ.get("XINYONG_LOAD_SMALL") == "1", (
        "build the 1M city first (bench/report_data.py), or set XINYONG_LOAD_SMALL=1 for a trial"
    )
    public = _sample(
        "SELECT id, name, uscc FROM subjects_subject TABLESAMPLE SYSTEM (1) REPEATABLE (14) "
        "WHERE kind IN ('organization', 'individual_business') AND uscc IS NOT NULL LIMIT 3000"
    )
    busy = _sample(
        "SELECT subject_id FROM records_record GROUP BY subject_id ORDER BY count(*) DESC LIMIT 200"
    )
    departments = _sample("SELECT code FROM accounts_department ORDER BY code")
    tabs = ["overview", "overview", "licences", "penalties", "lists"]

    def fragment(name: str) -> str:
        size = rng.randint(2, min(6, len(name)))
        start = rng.randint(0, len(name) - size)
        return name[start : start + size]

    subject, search, publicity = [], [], []
    for _ in range(3000):
        pk = rng.choice(busy) if rng.random() < 0.2 else rng.choice(public)[0]
        subject.append(f"/subjects/{pk}/?tab={rng.choice(tabs)}")
        _pk, name, uscc = rng.choice(public)
        query = {"q": uscc if rng.random() < 0.1 else fragment(name)}
        kind = rng.choice(["", "", "organization", "individual_business"])
        if kind:
            query["kind"] = kind
        if rng.random() < 0.2:
            query["page"] = 2
        search.append("/search/?" + urlencode(query))
        params: dict = {"kind": rng.choice(["penalty", "licence"])}
        pick = rng.random()
        if pick < 0.5:
            params["page"] = rng.randint(1, 5)
        elif pick < 0.8:
            params["q"] = fragment(rng.choice(public)[1])
        else:
            params["provider"] = rng.choice(departments)
        publicity.append("/publicity/?" + urlencode(params))
    return {
        "trivial": ["/healthz"],
        "home": ["/", "/", "/", "/?tab=lists", "/?tab=individual_business"],
        "search": search,
        "subject": subject,
        "publicity": publicity,
    }


def staff_cookie(username: str) -> str:
    """A back-office session for ``username``, stored as a login stores it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    from xinyong.accounts.middleware import LAST_SEEN

    user = get_user_model().objects.get(username=username)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[LAST_SEEN] = int(time.time()) + 3600  # not idle during the run
    session.set_expiry(0)
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def run(port: int, paths: list[str], cookie: str, seconds: int, connections: int) -> dict:
    """One page under load: throughput, server-time percentiles, wrk's latency."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths))
    out = f.name + ".out"
    env = {"XY_PATHS": f.name, "XY_COOKIE": cookie, "XY_OUT": out, "XY_SEED": str(SEED)}
    result = serving.wrk(port, LUA, env, seconds, connections)
    lines = Path(out).read_text().split("\n")
    os.unlink(f.name)
    os.unlink(out)
    bad = sum(int(x.split()[1]) for x in lines if x.startswith("bad "))
    times = sorted(float(x) for x in lines if x and not x.startswith("bad "))

    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(p / 100 * len(times)))], 1) if times else 0.0

    return {
        "requests": len(times),
        "rps": result["rps"],
        "non_200": bad,
        "server_ms": {
            "p50": pct(50),
            "p95": pct(95),
            "p99": pct(99),
            "max": pct(100),
            "mean": round(statistics.fmean(times), 1) if times else 0.0,
        },
        "wrk_latency": result["latency"],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--warm", type=int, default=5, help="seconds of warm-up per page")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1, help="granian blocking threads per worker")
    ap.add_argument("--port", type=int, default=8766)
    ap.add_argument("--pages", help="comma-separated subset of the pages (default: all)")
    ap.add_argument("--cache-url", default="redis://127.0.0.1:6379/15",
                    help="shared cache as deployed (emptied first), '' per process")  # fmt: skip
    args = ap.parse_args()
    _django()
    pages = targets()
    cookies = {page: "" for page in pages}
    for page, user in (("dashboard_clerk", "scjg_clerk"), ("dashboard_office", "xyb_admin")):
        pages[page], cookies[page] = ["/backoffice/"], staff_cookie(user)
    chosen = args.pages.split(",") if args.pages else list(pages)
    if "trivial" not in chosen:
        chosen.insert(0, "trivial")
    started = datetime.datetime.now(datetime.UTC)
    if args.cache_url:
        import redis

        redis.Redis.from_url(args.cache_url).flushdb()  # no part cached by an earlier run
    proc = serving.serve(args.workers, args.threads, args.port, XINYONG_SERVER_TIMING="1",
                         XINYONG_CACHE_URL=args.cache_url)  # fmt: skip
    results: dict = {}
    try:
        for page in chosen:
            run(args.port, pages[page], cookies[page], args.warm, args.connections)
            results[page] = run(args.port, pages[page], cookies[page], args.seconds,
                                args.connections)  # fmt: skip
            print(page, json.dumps(results[page], ensure_ascii=False), flush=True)
        if not args.pages:  # every public page at once, in the proportions of a portal
            mixed = (pages["home"] * 200 + pages["search"] + pages["subject"] * 2
                     + pages["publicity"])  # fmt: skip
            results["mixed_public"] = run(args.port, mixed, "", args.seconds, args.connections)
            print("mixed_public", json.dumps(results["mixed_public"]), flush=True)
    finally:
        serving.stop(proc)
    trivial = results["trivial"]["rps"]
    for r in results.values():
        r["ratio_to_trivial"] = round(r["rps"] / trivial, 3) if trivial else None
    summary = {
        "started": started.isoformat(timespec="seconds"),
        "machine": platform.node(),
        "cpus": os.cpu_count(),
        "load_before": os.getloadavg(),
        "subjects": _sample("SELECT count(*) FROM subjects_subject")[0],
        "seconds": args.seconds,
        "connections": args.connections,
        "workers": args.workers,
        "threads": args.threads,
        "cache": args.cache_url or "per process",
        "pages": results,
        "target_p99_ms": TARGET_P99_MS,
        "failing": [p for p, r in results.items() if r["server_ms"]["p99"] > TARGET_P99_MS],
    }
    (ROOT / "bench/out").mkdir(exist_ok=True)
    (ROOT / "bench/out/load_bench.json").write_text(json.dumps(summary, indent=2))
    print("\n| page | req/s | ratio to /healthz | server p50 / p99 / max ms | wrk p99 | non-200 |")
    print("|---|---|---|---|---|---|")
    for page, r in results.items():
        s = r["server_ms"]
        print(f"| {page} | {r['rps']:.1f} | {r['ratio_to_trivial']} | {s['p50']} / {s['p99']} "
              f"/ {s['max']} | {r['wrk_latency'].get('99', '?')} | {r['non_200']} |")  # fmt: skip


if __name__ == "__main__":
    main()
