"""Reads off the primary with a real streaming replica (issue #19 item 2): this test starts
its own PostgreSQL primary and a replica of it (``pg_basebackup -R``), and a Redis, on
this machine (``streaming.py``), and runs ``replica_scenario.py`` in a process configured
by ``DATABASE_URL``, ``DATABASE_REPLICA_URLS`` and ``XINYONG_CACHE_URL`` as production is.

The scenario shows, statement by statement (the server's port): the portal's public pages
and the credit check read the replica, the check's log row goes to the primary; a
signed-in account, a write service and a transaction read the primary; with the replica's
replay paused, an objection's suspension is seen by the very next check of its subject
and on its page (read-your-writes, read from the primary), while another subject's check
and page stay on the replica and a search across subjects does not; a replica lagging
beyond ``REPLICA_MAX_LAG_SECONDS`` is skipped; replay resumed, the replica serves again.

Its databases are its own, not the run's (``no_database``: scripts/test runs it on its
SQLite run, the shorter one). Without PostgreSQL's programs or redis-server it fails,
never skips: CI runs on a machine that has them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xinyong.core.tests import streaming

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def pair(request):
    lacking = streaming.missing()
    if lacking:
        pytest.fail(f"missing for the replica test: {', '.join(lacking)} "
                    "(apt-get install postgresql-15 redis-server)")  # fmt: skip
    started = streaming.start()
    request.addfinalizer(started.stop)  # the clusters end whatever the test did
    return started


@pytest.mark.no_database
def test_reads_off_the_primary_with_a_streaming_replica(pair):
    env = {**os.environ, **pair.env(), "DJANGO_SETTINGS_MODULE": "xinyong.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "xinyong.core.tests.replica_scenario"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    print(done.stdout)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr[-5000:]}\n{pair.logs()}"
    lines = done.stdout.splitlines()
    assert not [line for line in lines if line.startswith("FAIL")]
    expected = (
        "the check looks the subject up on the replica",
        "the check's log row is written to the primary",
        "filing an objection reads the primary only",
        "the check of its subject sees the suspension at once",
        "another subject's check still reads the replica",
        "the replica is skipped",
        "caught up, the replica answers the subject's check again",
    )
    for what in expected:
        assert any(line.startswith("ok") and what in line for line in lines), what
    timing = json.loads(lines[-1])
    assert timing["total_s"] < 180, timing
