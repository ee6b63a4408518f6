"""Backups and point-in-time recovery, really done (issue #19 item 7): this test starts its
own PostgreSQL primary archiving its WAL (``streaming.start(archive=True)``), runs
``backup_scenario.py`` against it (data through the services, ``xinyong backup base`` and
``verify``, more data, the moment T, a mistaken deletion and an extra row after T, the
refusals of ``restore``, ``restore`` to T), then starts the restored data directory on a
free port and checks it: the rows written before T are there, those after T are not, the
mistakenly deleted row is back, the audit chain verifies (``xinyong audit verify`` against
the checkpoints kept with the backup; ``xinyong backup check`` against the live checkpoint
file cut at T, and without the cut it names the events after T as gone) and its head is the
head at T.

Its databases are its own, not the run's (``no_database``: scripts/test runs it on its
SQLite run). Without PostgreSQL's programs it fails, never skips: CI runs on a machine that
has them. The pure rules of ``xinyong.core.backups`` are tested in ``test_backups.py``."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xinyong.core.tests import streaming

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def primary(request):
    lacking = streaming.missing(redis=False)
    if lacking:
        pytest.fail(f"missing for the backup test: {', '.join(lacking)} "
                    "(apt-get install postgresql-15)")  # fmt: skip
    started = streaming.start(replica=False, redis=False, archive=True)
    request.addfinalizer(started.stop)  # the clusters end whatever the test did
    return started


def _xinyong(env: dict, *args) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - this interpreter, the project's own command
        [sys.executable, "-m", "xinyong.cli", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.no_database
def test_point_in_time_restore_of_a_base_backup(primary):
    t0 = time.perf_counter()
    store, pgdata, port = primary.root / "backups", primary.root / "restored", streaming.free_port()
    store.mkdir()
    env = {
        **os.environ,
        **primary.env(),
        "DJANGO_SETTINGS_MODULE": "xinyong.settings",
        "XINYONG_PG_BIN": str(streaming.PG_BIN),
        "XY_BACKUP_STORE": str(store),
        "XY_WAL_ARCHIVE": str(primary.archive),
        "XY_RESTORE_PGDATA": str(pgdata),
        "XY_RESTORE_PORT": str(port),
    }
    env.pop("XINYONG_CACHE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "xinyong.core.tests.backup_scenario"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    print(done.stdout)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr[-5000:]}\n{primary.logs()}"
    seen = json.loads(done.stdout.splitlines()[-1])

    t = time.perf_counter()
    primary.start_cluster(pgdata, port, "restored.log")
    deadline = time.monotonic() + 60
    while primary.psql(port, "SELECT pg_is_in_recovery()") != "f":  # replaying, then promoted
        assert time.monotonic() < deadline, primary.logs()
        time.sleep(0.1)
    recovery_s = time.perf_counter() - t
    log = (primary.root / "restored.log").read_text()
    assert "recovery stopping before commit" in log, log[-3000:]

    days = primary.psql(port, "SELECT day, name FROM core_workdayoverride ORDER BY day")
    assert days.splitlines() == [
        "2027-01-01|备份前",
        "2027-02-10|备份前",  # deleted after T by mistake: back
        "2027-02-11|备份前",
        "2027-04-05|备份后、T前",
        "2027-05-01|备份后、T前",
    ], days  # and 2027-10-01, written after T, is not there
    head = primary.psql(port, "SELECT seq, hash FROM audit_auditchainhead WHERE id = 1")
    want = seen["head_at_target"]
    assert head == f"{want['seq']}|{want['hash']}", (head, want)
    assert primary.psql(port, "SELECT max(seq) FROM audit_auditevent") == str(want["seq"])

    restored = {**env, "DATABASE_URL": primary.url(port)}
    copy = str(Path(seen["backup"]) / "audit-checkpoints.jsonl")  # as the backup ended
    verified = _xinyong(restored, "audit", "verify", "--checkpoints", copy)
    assert verified.returncode == 0 and "审计链完整" in verified.stdout, verified
    # Against the live checkpoint file: the two signed before T match, the one after T is
    # left out by --target-time; without it, that one shows the events after T are gone.
    live = ("--checkpoints", seen["checkpoints"])
    checked = _xinyong(restored, "backup", "check", seen["backup"], "--target-time",
                       seen["target"], *live)  # fmt: skip
    assert checked.returncode == 0, checked
    summary = json.loads(checked.stdout.splitlines()[0])
    assert summary["head"] == want and summary["checkpoints"] == 2, checked.stdout
    cut = _xinyong(restored, "backup", "check", seen["backup"], *live)
    assert cut.returncode != 0 and "checkpoint_truncated" in cut.stderr, cut
    # The primary itself is untouched: the rows after T are there.
    assert primary.psql(primary.primary_port, "SELECT count(*) FROM core_workdayoverride") == "5"
    print(f"restore prepared in {seen['restore_prepare_s']} s, recovered in {recovery_s:.1f} s, "
          f"test {time.perf_counter() - t0:.1f} s")  # fmt: skip
    assert time.perf_counter() - t0 < 120
