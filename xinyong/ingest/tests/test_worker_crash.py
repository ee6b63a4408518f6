"""A worker process killed mid-batch: its batch is taken again by the watch of another worker,
once, and completed with exactly its records. Real processes (`xinyong db_worker`) against
the test database: on SQLite the in-memory test database is copied to a file for them and
back afterwards."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from xinyong.ingest.models import Batch
from xinyong.ingest.services import batch_submit_rows
from xinyong.ingest.tasks import enqueue_batch
from xinyong.ingest.tests.conftest import penalty
from xinyong.records.models import Record

ROWS = 100
WORKER_ENV = {
    "XINYONG_BATCH_CHUNK_ROWS": "10",  # chunks of 1, 10, 10, … rows
    "XINYONG_BATCH_LEASE_SECONDS": "3",
    "XINYONG_BATCH_WATCH_SECONDS": "0.5",
    "XINYONG_BATCH_TEST_PAUSE": "0.1",
    "XINYONG_SQLITE_TEST_NAME": "",
}
SLOW = {"XINYONG_BATCH_TEST_PAUSE": "4"}  # the first worker: 4 s a chunk, beyond its lease


class Outside:
    """The test database as the worker processes see it."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.sqlite = connection.vendor == "sqlite"
        self.file = tmp_path / "xinyong.sqlite3"  # settings: VAR_DIR / "xinyong.sqlite3"

    def env(self) -> dict:
        env = {**os.environ, **WORKER_ENV, "XINYONG_VAR_DIR": str(self.tmp)}
        if self.sqlite:
            env.pop("DATABASE_URL", None)
            connection.ensure_connection()
            with contextlib.closing(sqlite3.connect(self.file)) as dest:
                connection.connection.backup(dest)
        else:
            s = connection.settings_dict
            auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
            env["DATABASE_URL"] = f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        return env

    def one(self, sql: str, *params):
        if self.sqlite:
            with contextlib.closing(sqlite3.connect(self.file, timeout=20)) as c:
                return c.execute(sql.replace("%s", "?"), params).fetchone()
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchone()

    def back(self) -> None:
        """The workers' database becomes the test's again (SQLite)."""
        if self.sqlite:
            with contextlib.closing(sqlite3.connect(self.file)) as src:
                src.backup(connection.connection)


def _worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "xinyong.cli", "db_worker", "--no-reload", "--no-startup-delay",
         "--interval", "0.1", "-v0"],
        cwd=django_settings.BASE_DIR, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def _until(check, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.05)
    sessions = ""
    if connection.vendor == "postgresql":  # who waits for what, to explain the timeout
        with connection.cursor() as cur:
            cur.execute(
                "SELECT pid, state, wait_event_type, wait_event, left(query, 120)"
                " FROM pg_stat_activity WHERE datname = current_database()"
            )
            sessions = "\n".join(map(str, cur.fetchall()))
    pytest.fail(f"waited {seconds} s for {what}\n{sessions}")


def _stop(workers: list[subprocess.Popen]) -> None:
    for w in workers:
        w.send_signal(signal.SIGTERM)
    for w in workers:
        try:
            w.wait(10)
        except subprocess.TimeoutExpired:
            w.kill()
            w.wait()


@pytest.mark.django_db(transaction=True)  # the workers see only committed rows
def test_batch_of_a_killed_worker_is_completed_once_by_another(settings, tmp_path, actors,
                                                              org_with_rep):  # fmt: skip
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.XINYONG_BATCH_WATCH_SECONDS = 0.5
    rows = [penalty(n) for n in range(1, ROWS + 1)]
    batch = batch_submit_rows(actor=actors["market_clerk"], item_code="administrative_penalty",
                              rows=rows, channel="api")  # fmt: skip
    enqueue_batch(batch.pk)  # the batch's job, and the watch
    outside = Outside(tmp_path)
    env = outside.env()
    progress = Path(settings.XINYONG_BATCH_DIR) / f"{batch.payload_path}.progress"
    status = "SELECT status FROM ingest_batch WHERE id = %s"
    watches = (
        "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult"
        " WHERE task_path = 'xinyong.ingest.tasks.batches_watch' AND status = 'SUCCESSFUL'"
    )
    first = _worker({**env, **SLOW}, tmp_path / "worker1.log")
    others = []
    try:
        _until(lambda: outside.one(status, batch.pk)[0] == "processing", "the first worker")
        # Two more workers: on PostgreSQL their watches run every 0.5 s while the first one
        # renews its lease, and leave its batch alone. (On SQLite they wait: the batch's
        # transaction holds the database's only write lock until it ends.)
        others = [_worker(env, tmp_path / f"worker{n}.log") for n in (2, 3)]
        if not outside.sqlite:
            _until(lambda: outside.one(watches)[0] >= 3, "the other workers' watches", 60)
        # Mid-batch: at least two chunks applied inside the batch's open transaction.
        _until(lambda: progress.exists() and int(progress.read_text() or 0) > 10, "progress", 60)
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed = time.monotonic()
        state, owner, attempts = outside.one(
            "SELECT status, lease_owner, attempts FROM ingest_batch WHERE id = %s", batch.pk
        )
        assert (state, attempts) == ("processing", 1), "killed mid-batch, not taken meanwhile"
        assert owner.split(":")[1] == str(first.pid)
        task_id = owner.rsplit(":", 1)[1]
        assert outside.one(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s",
            task_id if connection.vendor == "postgresql" else task_id.replace("-", ""),
        ) == ("RUNNING",)
        # The lease runs out; a watch queues the batch again; one worker takes it.
        _until(lambda: outside.one(status, batch.pk)[0] in ("done", "failed"),
               "the batch to be taken again and finished", seconds=60)  # fmt: skip
        recovered = time.monotonic() - killed
    finally:
        first.kill()
        first.wait()
        _stop(others)
    outside.back()

    done = Batch.objects.get(pk=batch.pk)
    assert (done.status, done.created, done.rejected, done.total) == ("done", ROWS, 0, ROWS)
    assert done.attempts == 2, "taken again exactly once"
    assert (done.lease_owner, done.lease_expires) == ("", None)
    records = Record.objects.filter(item_code="administrative_penalty")
    assert records.count() == ROWS
    assert records.values("source_id").distinct().count() == ROWS
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get(pk=task_id).status == "FAILED"  # not "running" for ever
    from xinyong.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="batch.recover", object_id=str(batch.pk)).exists()
    assert AuditEvent.objects.filter(action="batch.apply", object_id=str(batch.pk)).count() == 1
    # The lease running out (3 s), a watch (0.5 s), the batch again (~2 s).
    assert recovered < 30, f"recovered {recovered:.1f} s after the kill"
