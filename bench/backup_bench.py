"""Benchmark of issue #19 item 7 (not part of the test suite): a base backup, its
verification and a point-in-time restore of a bench city, timed and measured.

Starts its own PostgreSQL primary archiving its WAL on this machine
(``xinyong/core/tests/streaming.py``, ``archive=True``, as the backup test does; the
shared server is never touched), builds a city in it with ``bench/stats_data.py`` (the demo
city's subjects and every table the dashboards count, scaled by ``--subjects`` and
``--scale``), then through the operator's command (``python -m xinyong.cli``, a process of
its own each, as an operator runs it):

1. ``backup base`` — pg_basebackup, tar, gzip level 1, WAL streamed, SHA-256 manifest;
2. ``backup verify`` — unpacked beside the backup and checked by pg_verifybackup; then
   the same pg_basebackup uncompressed and at gzip level 6, for the choice of level 1;
3. writes after the backup: ``--filler-rows`` rows into a table of their own (WAL to replay)
   and working-day overrides through ``xinyong workdays set`` (audit events); the moment T;
   a mistaken ``workdays unset`` after T; the WAL segment switched and archived;
4. ``backup restore`` to T into a new data directory (unpack, pg_verifybackup, recovery
   settings), then the server started on it: replay of the archive up to T, promotion;
5. ``backup check`` against the restored server (audit chain, checkpoints, head).

Prints a summary and writes ``bench/out/backup_bench.json``.

Usage:  .venv/bin/python bench/backup_bench.py [--subjects 200000] [--scale 0.2]
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MB = 1e6


def log(msg: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subjects", type=int, default=200_000)
    ap.add_argument("--scale", type=float, default=0.2)
    ap.add_argument("--filler-rows", type=int, default=5_000_000)
    args = ap.parse_args()

    from xinyong.core.tests import streaming

    pair = streaming.start(replica=False, redis=False, archive=True)
    try:
        run(args, pair, streaming)
    finally:
        pair.stop()


def run(args, pair, streaming) -> None:
    env = {**os.environ, **pair.env(), "DJANGO_SETTINGS_MODULE": "xinyong.settings",
           "XINYONG_PG_BIN": str(streaming.PG_BIN)}  # fmt: skip
    out: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.node()} {os.cpu_count()} CPU, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}",
        "subjects": args.subjects,
        "scale": args.scale,
        "steps": {},
    }

    def sql(query: str, port: int = pair.primary_port) -> str:
        return pair.psql(port, query)

    def xinyong(*cmd, over: dict | None = None) -> str:
        done = subprocess.run(  # noqa: S603 - this interpreter, the project's own command
            [sys.executable, "-m", "xinyong.cli", *cmd], env={**env, **(over or {})},
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"xinyong {' '.join(cmd)}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def step(name: str, fn, **extra) -> object:
        log(f"{name} …")
        t = time.perf_counter()
        result = fn()
        out["steps"][name] = {"seconds": round(time.perf_counter() - t, 1), **extra}
        log(f"{name}: {out['steps'][name]}")
        return result

    build = [sys.executable, str(ROOT / "bench/stats_data.py"), "--subjects",
             str(args.subjects), "--scale", str(args.scale), "--out",
             str(ROOT / "bench/out/backup_bench_data.json")]  # fmt: skip
    step("build the city (bench/stats_data.py)",
         lambda: subprocess.run(build, env=env, cwd=ROOT, check=True))  # noqa: S603  # fmt: skip
    out["database_mb"] = round(int(sql("SELECT pg_database_size('xinyong')")) / MB)
    out["cluster_mb"] = round(du(pair.root / "primary" / "base") / MB)
    out["rows"] = {t: int(sql(f"SELECT count(*) FROM {t}")) for t in
                   ("subjects_subject", "records_record", "sanctions_creditcheck",
                    "audit_auditevent")}  # fmt: skip

    store = pair.root / "backups"
    store.mkdir()
    step("base backup (pg_basebackup)", lambda: xinyong("backup", "base", "--to", str(store)))
    backup = next(store.iterdir())
    files = {p.name: round(p.stat().st_size / MB, 1) for p in backup.iterdir()}
    out["steps"]["base backup (pg_basebackup)"]["files_mb"] = files
    out["backup_mb"] = round(du(backup) / MB)
    step("verify (unpack + pg_verifybackup)", lambda: xinyong("backup", "verify", str(backup)))

    # The same pg_basebackup with other compressions, for the choice of gzip level 1.
    for compress in ("none", "client-gzip:6"):
        other = pair.root / f"other-{compress.replace(':', '-')}"
        step(f"pg_basebackup alone, --compress={compress}", lambda c=compress, o=other: (
            subprocess.run([streaming.PG_BIN / "pg_basebackup", "-D", o, "-Ft",  # noqa: S603
                            f"--compress={c}", "-X", "stream", "-c", "fast", "-h",
                            "127.0.0.1", "-p", str(pair.primary_port), "-U", "postgres"],
                           check=True)))  # fmt: skip
        out["steps"][f"pg_basebackup alone, --compress={compress}"]["mb"] = round(du(other) / MB)
        shutil.rmtree(other)

    lsn0 = sql("SELECT pg_current_wal_lsn()")
    step("writes after the backup (filler rows)", lambda: sql(
        "CREATE TABLE backup_bench_filler AS SELECT g, md5(g::text) AS h, now() AS at "
        f"FROM generate_series(1, {args.filler_rows}) g"))  # fmt: skip
    for n, day in enumerate(("2027-04-05", "2027-05-01", "2027-10-01")):
        xinyong("workdays", "set", day, "holiday", "--name", f"备份后{n}", "--basis", "国办发明电")
    head = sql("SELECT seq || '|' || hash FROM audit_auditchainhead WHERE id = 1")
    # T: the next whole second after the writes above, before the mistake below.
    at = int(time.time()) + 1
    time.sleep(at - time.time() + 0.3)
    target = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(at))
    xinyong("workdays", "unset", "2027-05-01")  # the mistake after T
    out["wal_after_backup_mb"] = round(
        int(float(sql(f"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '{lsn0}')"))) / MB
    )
    segment = sql("SELECT pg_walfile_name(pg_switch_wal())")
    deadline = time.monotonic() + 300
    while not (pair.archive / segment).exists():
        assert time.monotonic() < deadline, "WAL not archived"
        time.sleep(0.2)
    out["archive_mb"] = round(du(pair.archive) / MB)

    pgdata, port = pair.root / "restored", streaming.free_port()
    step("restore: prepare (unpack + pg_verifybackup + recovery settings)", lambda: xinyong(
        "backup", "restore", str(backup), "--target-time", target, "--pgdata", str(pgdata),
        "--wal-archive", str(pair.archive), "--port", str(port)))  # fmt: skip

    def recover():
        pair.start_cluster(pgdata, port, "restored.log")
        while sql("SELECT pg_is_in_recovery()", port) != "f":
            time.sleep(0.1)

    step("restore: replay the archive to T and promote", recover,
         wal_replayed_mb=out["wal_after_backup_mb"])  # fmt: skip
    out["restored_mb"] = round(du(pgdata) / MB)
    restored = {"DATABASE_URL": pair.url(port)}
    step("check the restored database (audit chain, head)", lambda: xinyong(
        "backup", "check", str(backup), "--target-time", target, over=restored))  # fmt: skip
    got = sql("SELECT seq || '|' || hash FROM audit_auditchainhead WHERE id = 1", port)
    days = sql("SELECT count(*) FROM core_workdayoverride WHERE day = '2027-05-01'", port)
    assert got == head and days == "1", (got, head, days)
    out["restored_head_equals_head_at_T"] = True
    out["load"] = os.getloadavg()
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    (ROOT / "bench" / "out" / "backup_bench.json").write_text(
        json.dumps(out, indent=2, ensure_ascii=False)
    )
    log(json.dumps(out, indent=2, ensure_ascii=False))
    shutil.rmtree(store, ignore_errors=True)


if __name__ == "__main__":
    main()
