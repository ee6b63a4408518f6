"""A server killed in the middle of a credit check (issue #19 item 7): the check's answer is
lost with it, but nothing half-written is left — no log row of the check that did not
finish — and a new server answers the next check in full and logs it once. Runs the real
server (granian, as `scripts/demo` and production run it) against the test database, on
SQLite and on PostgreSQL (where the check log is partitioned by month)."""

import importlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from django.apps import apps
from django.conf import settings as django_settings

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.choices import ApiScope
from xinyong.core.tests.streaming import free_port
from xinyong.ingest.tests.test_worker_crash import Outside, _until
from xinyong.lists.tests.conftest import designate, penalty_record  # noqa: F401 - fixture

GRANIAN = Path(django_settings.BASE_DIR) / ".venv" / "bin" / "granian"
# A transactional test may follow another that emptied the database: the rules it needs.
SEEDS = (
    "xinyong.lists.migrations.0002_default_list_types",
    "xinyong.lists.migrations.0003_court_list",
    "xinyong.lists.migrations.0004_repair_after",
    "xinyong.sanctions.migrations.0002_default_measures",
)


def _server(env: dict, port: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - the project's own server, fixed arguments
        [GRANIAN, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1", "--blocking-threads", "2", "--log-level", "warning",
         "xinyong.wsgi:application"],
        cwd=django_settings.BASE_DIR, env=env, stdout=log.open("wb"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def _up(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _check(port: int, token: str, uscc: str, timeout: float = 30) -> dict:
    r = httpx.post(
        f"http://127.0.0.1:{port}/api/v1/checks",
        json={"matter": "government_procurement", "subject": uscc},
        headers={"Authorization": f"Bearer {token}"}, timeout=timeout,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    return r.json()


def _kill(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGKILL)  # the server and its worker, no chance to clean up
    server.wait(10)


@pytest.mark.django_db(transaction=True)  # the server sees only committed rows
def test_a_server_killed_mid_check_leaves_no_half_written_check(
    tmp_path,
    actors,
    departments,
    penalty_record,  # noqa: F811
):
    for module in SEEDS:
        importlib.import_module(module).seed(apps, None)
    entry = designate(actors, penalty_record)
    _client, token = accounts.api_client_issue(
        actor=SYSTEM, name="政府采购系统", department=departments["tax"], scopes=[ApiScope.CHECKS]
    )
    uscc = entry.subject.uscc
    outside = Outside(tmp_path)
    env = outside.env()
    port = free_port()
    server = _server({**env, "XINYONG_CHECK_TEST_PAUSE": "60"}, port, tmp_path / "first.log")
    try:
        _until(lambda: _up(port), "the first server to answer")
        failed = []

        def asked():
            try:
                _check(port, token, uscc, timeout=90)
            except httpx.HTTPError as e:  # the server died under it
                failed.append(e)

        client = threading.Thread(target=asked)
        client.start()
        time.sleep(1.5)  # the check has read everything and waits before its log row
        _kill(server)
        client.join(30)
        assert failed, "the caller must see the check fail, not a made-up answer"
    finally:
        if server.poll() is None:
            _kill(server)
    assert outside.one("SELECT count(*) FROM sanctions_creditcheck")[0] == 0
    # A new server (the check as always): the full answer, logged once.
    port = free_port()
    server = _server(env, port, tmp_path / "second.log")
    try:
        _until(lambda: _up(port), "the second server to answer")
        answer = _check(port, token, uscc)
    finally:
        _kill(server)
    assert answer["status"] == "hit" and answer["hits"][0]["entry_id"] == entry.pk
    row = outside.one(
        "SELECT id, status, hits, subject_id FROM sanctions_creditcheck WHERE id = %s",
        answer["check_id"],
    )
    assert row == (answer["check_id"], "hit", len(answer["hits"]), entry.subject_id)
    assert outside.one("SELECT count(*) FROM sanctions_creditcheck")[0] == 1
