"""The backup drill's first half, run by ``test_backup_restore.py`` as ``python -m
xinyong.core.tests.backup_scenario`` in a process whose ``DATABASE_URL`` is the test's own
primary, which archives its WAL (``streaming.start(archive=True)``): migrate, write through
the product's services (working-day overrides, each one transaction with its audit event),
``xinyong backup base`` and ``verify``, write more, note the moment T, then a mistaken
deletion and an extra row after T, switch the WAL segment and wait until it is archived,
see ``restore`` refuse bad input without writing anything, and ``restore`` to T into a new
data directory. The last line printed is a JSON of what the test checks on the restored
server."""

import datetime
import io
import json
import os
import sys
import time
from pathlib import Path

import django


def expect(ok: bool, what: str, seen="") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}: {seen}", flush=True)
    if not ok:
        sys.exit(1)


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.core.management import CommandError, call_command
    from django.db import connection

    from xinyong.accounts.actors import SYSTEM
    from xinyong.audit.models import AuditChainHead
    from xinyong.core import services
    from xinyong.core.context import request_context

    store, archive = Path(os.environ["XY_BACKUP_STORE"]), Path(os.environ["XY_WAL_ARCHIVE"])
    pgdata, port = Path(os.environ["XY_RESTORE_PGDATA"]), int(os.environ["XY_RESTORE_PORT"])
    started = time.perf_counter()
    call_command("migrate", verbosity=0)

    def override(day: str, name: str) -> None:
        services.workday_override_save(
            actor=SYSTEM, day=datetime.date.fromisoformat(day), is_workday=False, name=name,
            basis="国办发明电〔2026〕1号",
        )  # fmt: skip

    def run(*args) -> str:
        out = io.StringIO()
        call_command(*args, stdout=out, stderr=out)
        return out.getvalue()

    with request_context(channel="cli"):
        for day in ("2027-01-01", "2027-02-10", "2027-02-11"):
            override(day, "备份前")
        run("audit", "checkpoint")  # signed, outside the database: kept with the backup
        before = AuditChainHead.objects.get(pk=1)
        report = run("backup", "base", "--to", str(store))
        backup = next(store.iterdir())
        expect("备份完成" in report, "base backup taken", backup.name)
        manifest = json.loads((backup / "xinyong-backup.json").read_text())
        recorded = {"seq": before.seq, "hash": before.hash}
        expect(manifest["audit_head"] == recorded, "our manifest holds the chain head", manifest)
        signed = manifest["audit_checkpoint"]
        expect(signed and signed["seq"] == before.seq, "and the newest signed checkpoint", signed)
        expect((backup / "audit-checkpoints.jsonl").exists(), "the checkpoint file is copied", "")
        names = sorted(p.name for p in backup.iterdir())
        expect({"base.tar.gz", "pg_wal.tar.gz", "backup_manifest"} <= set(names), "files", names)
        expect("备份完好" in run("backup", "verify", str(backup)), "pg_verifybackup", backup)

        for day in ("2027-04-05", "2027-05-01"):
            override(day, "备份后、T前")
        run("audit", "checkpoint")  # before T: a restore to T must match it
        head = AuditChainHead.objects.get(pk=1)
        # T: the next whole second, after every write above and before every write below.
        now = datetime.datetime.now(datetime.UTC)
        target = now.replace(microsecond=0) + datetime.timedelta(seconds=1)
        time.sleep((target - now).total_seconds() + 0.2)
        target_text = target.strftime("%Y-%m-%d %H:%M:%S+00")
        services.workday_override_delete(actor=SYSTEM, day=datetime.date(2027, 2, 10))  # mistake
        override("2027-10-01", "T后")
        run("audit", "checkpoint")  # after T: names an event a restore to T does not have

    with connection.cursor() as cur:
        cur.execute("SELECT pg_walfile_name(pg_switch_wal())")
        segment = cur.fetchone()[0]
        deadline = time.monotonic() + 30
        while not (archive / segment).exists():
            expect(time.monotonic() < deadline, "the switched segment is archived", segment)
            time.sleep(0.1)

    def refused(what: str, *args, rule: str) -> None:
        try:
            run("backup", "restore", *args)
        except CommandError as e:
            expect(rule in str(e) and not pgdata.exists(), f"refused: {what}", e)
            return
        expect(False, f"refused: {what}", "accepted")

    good = ["--pgdata", str(pgdata), "--wal-archive", str(archive)]
    refused("a missing backup", str(store / "nothing"), "--target-time", target_text, *good,
            rule="不存在")  # fmt: skip
    refused("a time without its zone", str(backup), "--target-time", "2027-01-01 10:00:00",
            *good, rule="没有时区")  # fmt: skip
    refused("a time not a time", str(backup), "--target-time", "yesterday", *good,
            rule="YYYY-MM-DD HH:MM:SS+00")  # fmt: skip
    refused("a time before the backup ended", str(backup), "--target-time",
            "2020-01-01 00:00:00+00", *good, rule="早于这份备份结束")  # fmt: skip
    refused("a missing archive", str(backup), "--target-time", target_text, "--pgdata",
            str(pgdata), "--wal-archive", str(store / "nothing"), rule="--wal-archive")  # fmt: skip

    t = time.perf_counter()
    report = run("backup", "restore", str(backup), "--target-time", target_text, *good,
                 "--port", str(port))  # fmt: skip
    expect(
        "已准备新数据目录" in report and (pgdata / "recovery.signal").exists(), "restore", report
    )
    auto = (pgdata / "postgresql.auto.conf").read_text()
    expect("recovery_target_action = 'promote'" in auto and target_text[:19] in auto, "conf", auto)
    print(
        json.dumps(
            {
                "backup": str(backup),
                "checkpoints": str(settings.XINYONG_AUDIT_CHECKPOINT_FILE),
                "target": target_text,
                "head_at_target": {"seq": head.seq, "hash": head.hash},
                "restore_prepare_s": round(time.perf_counter() - t, 2),
                "scenario_s": round(time.perf_counter() - started, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
