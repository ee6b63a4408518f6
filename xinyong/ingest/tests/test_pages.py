"""The data-quality page per department and the background worker path."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import Client

from xinyong.ingest.models import Batch
from xinyong.ingest.services import batch_process, batch_submit_rows
from xinyong.ingest.tests.conftest import fetch, penalty, push

ITEM = "administrative_penalty"


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def market_batch(actors, org_with_rep):
    """Six rows: three good (one leaves 没收违法所得 out), a malformed USCC, a repeated source
    id, and a name with an organisation code that matches nobody."""
    day = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    rows = [
        penalty(1, CF_JDRQ=day, CF_NR_WFFF="0.5"),
        penalty(2, CF_JDRQ=day, CF_NR_WFFF="1"),
        penalty(3, CF_JDRQ=day),
        penalty(4, CF_JDRQ=day, XDR_SHXYM="91440300192203821X"),
        penalty(1, CF_JDRQ=day),
        penalty(6, CF_JDRQ=day, XDR_SHXYM=None, XDR_ZZJG="MA1X2Y3B-1", XDR_MC="不存在有限公司"),
    ]
    batch = batch_submit_rows(actor=actors["market_clerk"], item_code=ITEM, rows=rows,
                              channel="api")  # fmt: skip
    return batch_process(batch_id=batch.pk)


def test_quality_page_counts_validity_defects_duplicates_timeliness(users, market_batch):
    assert (market_batch.created, market_batch.rejected) == (3, 3)
    html = (
        _login(users["market_clerk"]).get("/backoffice/quality/", {"item": ITEM}).content.decode()
    )
    assert "数据质量：市市场监督管理局" in html
    row = html[html.index("行政处罚信息") :]
    cells = [c.split("<")[0] for c in row.split("<td>")[1:9]]
    # batches, rows, validity, completeness, rejected, code defects, in-batch dups, resubmitted
    assert cells[:3] == ["1", "6", "50.0%"]
    assert cells[4:8] == ["3", "2", "1", "0"]
    assert "决定后 7 日内报送</dt><dd>100.0%" in html
    assert "<code>uscc.check_character</code>" in html and "<code>subject.not_found</code>" in html
    # Each problem names its field (the code beside it, as the department's file has it).
    assert "<td>统一社会信用代码 <code>XDR_SHXYM</code></td><td><code>uscc.check_character" in html


def test_quality_page_is_scoped_to_the_department(users, market_batch):
    html = (
        _login(users["tax_clerk"])
        .get("/backoffice/quality/", {"provider": "SCJG"})
        .content.decode()
    )
    assert "数据质量：市税务局" in html and "行政处罚信息" not in html
    html = (
        _login(users["operator"]).get("/backoffice/quality/", {"provider": "SCJG"}).content.decode()
    )
    assert "数据质量：市市场监督管理局" in html and "行政处罚信息" in html


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_db_worker_processes_queued_batches(client, market_token, settings, org_with_rep):
    """The real queue: the batch waits in the database until `xinyong db_worker` runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.XINYONG_SYNC_MAX_ROWS = 1
    r = push(client, market_token, ITEM, [penalty(1), penalty(2)])
    assert r.status_code == 202
    batch_id = r.json()["id"]
    assert Batch.objects.get(pk=batch_id).status == "received"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    done = fetch(client, market_token, batch_id).json()
    assert (done["status"], done["created"]) == ("done", 2)


WORKER_CONTEXT = SimpleNamespace(task_result=SimpleNamespace(id="0" * 32))


def test_worker_retries_a_batch_aborted_by_a_deadlock(monkeypatch, actors, org_with_rep):
    """A concurrent batch made the database abort this one (nothing applied): the job
    processes it again; any other error is left to the operator."""
    from django.db import OperationalError

    from xinyong.ingest import services, tasks

    batch = batch_submit_rows(actor=actors["market_clerk"], item_code=ITEM, rows=[penalty(1)],
                              channel="api")  # fmt: skip
    real = services.batch_process
    calls = []

    def flaky(*, batch_id, **kw):
        calls.append(batch_id)
        if len(calls) == 1:
            cause = type("DeadlockDetected", (Exception,), {"sqlstate": "40P01"})()
            raise OperationalError("deadlock detected") from cause
        return real(batch_id=batch_id)

    monkeypatch.setattr(services, "batch_process", flaky)
    tasks.process_batch.call(WORKER_CONTEXT, batch.pk)
    assert len(calls) == 2 and Batch.objects.get(pk=batch.pk).status == "done"

    def broken(*, batch_id, **kw):
        raise OperationalError("disk full")

    monkeypatch.setattr(services, "batch_process", broken)
    with pytest.raises(OperationalError):
        tasks.process_batch.call(WORKER_CONTEXT, batch.pk)
