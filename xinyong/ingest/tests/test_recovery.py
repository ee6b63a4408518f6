"""Batches whose worker died are queued again by the watch, at most a set number of times;
the operator and the providing department's clerk retry failed or stuck batches from the
batch page or with `xinyong batch retry`, idempotently."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from xinyong.ingest import services
from xinyong.ingest.models import Batch
from xinyong.ingest.recovery import batch_retry, batches_recover
from xinyong.ingest.tasks import enqueue_batch
from xinyong.ingest.tests.conftest import penalty
from xinyong.ingest.tests.test_upload import _login
from xinyong.records.models import Record

ITEM = "administrative_penalty"


def _dead(actors, *, attempts=1, rows=None) -> Batch:
    """A batch whose worker died mid-way: "processing", lease run out, nothing applied."""
    rows = rows or [penalty(1), penalty(2)]
    batch = services.batch_submit_rows(
        actor=actors["market_clerk"], item_code=ITEM, rows=rows, channel="api"
    )
    Batch.objects.filter(pk=batch.pk).update(
        status="processing",
        lease_owner="host:4242:" + "a" * 32,
        lease_expires=timezone.now() - datetime.timedelta(seconds=1),
        attempts=attempts,
        received_at=timezone.now() - datetime.timedelta(hours=1),
    )
    return Batch.objects.get(pk=batch.pk)


def test_watch_queues_a_dead_workers_batch_once_and_it_completes(actors, org_with_rep):
    alive = _dead(actors, rows=[penalty(9)])
    Batch.objects.filter(pk=alive.pk).update(
        lease_expires=timezone.now() + datetime.timedelta(seconds=30)
    )  # another batch whose worker renews its lease: left alone
    batch = _dead(actors)
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = batches_recover(actor=SYSTEM, enqueue=enqueue_batch)
    assert done.queued == [batch.pk] and done.failed == []
    batch.refresh_from_db()
    assert (batch.status, batch.created, batch.attempts) == ("done", 2, 2)
    assert Batch.objects.get(pk=alive.pk).status == "processing"
    assert AuditEvent.objects.get(action="batch.recover").detail["queued"] == [batch.pk]
    # A second watch finds nothing to do.
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert batches_recover(actor=SYSTEM, enqueue=enqueue_batch).queued == []
    assert Record.objects.count() == 2


def test_a_batch_that_keeps_killing_its_worker_fails_with_the_reason(actors, org_with_rep,
                                                                    settings, users):  # fmt: skip
    settings.XINYONG_BATCH_MAX_ATTEMPTS = 3
    batch = _dead(actors, attempts=3)
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = batches_recover(actor=SYSTEM, enqueue=enqueue_batch)
    assert done.failed == [batch.pk] and done.queued == []
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.errors[0]["rule"] == "batch.attempts"
    assert Record.objects.count() == 0
    # A worker still holding a job for it does not take it either.
    assert services.batch_process(batch_id=batch.pk).status == "failed"
    clerk = _login(users["market_clerk"])
    html = clerk.get(f"/backoffice/batches/{batch.pk}/").content.decode()
    assert "中断 3 次" in html and "重新处理本批次" in html
    clerk.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = clerk.get(f"/backoffice/batches/{batch.pk}/").content.decode()
    assert "Process this batch again" in html and "deleted 30 days after" in html


def test_retry_from_the_batch_page_by_operator_and_providing_clerk_only(users, actors,
                                                                       org_with_rep):  # fmt: skip
    batch = _dead(actors)
    Batch.objects.filter(pk=batch.pk).update(status="failed", lease_owner="", attempts=3)
    url = f"/backoffice/batches/{batch.pk}/retry/"
    # Not the tax clerk's (not even visible), nor a reviewer's or the auditor's to retry.
    assert _login(users["tax_clerk"]).post(url).status_code == 404
    assert _login(users["market_reviewer"]).post(url).status_code == 403
    assert _login(users["auditor"]).post(url).status_code == 403
    assert _login(users["market_clerk"]).get(url).status_code == 405
    page = _login(users["market_reviewer"]).get(f"/backoffice/batches/{batch.pk}/")
    assert "重新处理本批次" not in page.content.decode()
    assert Batch.objects.get(pk=batch.pk).status == "failed"
    clerk = _login(users["market_clerk"])
    assert "重新处理本批次" in clerk.get(f"/backoffice/batches/{batch.pk}/").content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        r = clerk.post(url)
    assert r.status_code == 302 and r.url == f"/backoffice/batches/{batch.pk}/"
    batch.refresh_from_db()
    assert (batch.status, batch.created, batch.attempts) == ("done", 2, 1)
    assert AuditEvent.objects.filter(action="batch.retry", actor_label="market_clerk").exists()
    # Done now: nothing to retry, and the page says why.
    r = clerk.post(url, follow=True)
    assert "无需重新处理" in r.content.decode()
    # The operator retries any department's batch; the same rows again change nothing.
    Batch.objects.filter(pk=batch.pk).update(status="failed")
    with TestCase.captureOnCommitCallbacks(execute=True):
        _login(users["operator"]).post(url)
    batch.refresh_from_db()
    assert (batch.status, batch.created, batch.unchanged) == ("done", 0, 2)
    assert Record.objects.count() == 2


def test_retry_refusals_write_nothing(actors, org_with_rep):
    batch = _dead(actors)
    Batch.objects.filter(pk=batch.pk).update(
        lease_expires=timezone.now() + datetime.timedelta(seconds=30)
    )
    with pytest.raises(Conflict) as e:  # its worker is alive
        batch_retry(actor=actors["operator"], batch_id=batch.pk, enqueue=enqueue_batch)
    assert e.value.error.rule == "batch.running"
    fresh = services.batch_submit_rows(actor=actors["market_clerk"], item_code=ITEM,
                                       rows=[penalty(3)], channel="api")  # fmt: skip
    with pytest.raises(Conflict) as e:  # just queued
        batch_retry(actor=actors["operator"], batch_id=fresh.pk, enqueue=enqueue_batch)
    assert e.value.error.rule == "batch.queued"
    Batch.objects.filter(pk=fresh.pk).update(status="rejected")
    with pytest.raises(ValidationFailed) as e:
        batch_retry(actor=actors["market_clerk"], batch_id=fresh.pk, enqueue=enqueue_batch)
    assert e.value.errors[0].rule == "batch.not_retryable"
    with pytest.raises(NotFound):
        batch_retry(actor=actors["tax_clerk"], batch_id=fresh.pk, enqueue=enqueue_batch)
    with pytest.raises(PermissionDenied):
        batch_retry(actor=actors["auditor"], batch_id=fresh.pk, enqueue=enqueue_batch)
    assert not AuditEvent.objects.filter(action="batch.retry").exists()


def test_batch_command_retries_and_recovers(actors, org_with_rep):
    batch = _dead(actors)
    out = io.StringIO()
    call_command("batch", "retry", str(batch.pk), stdout=out, verbosity=0)
    assert "已完成" in out.getvalue() and "新增 2" in out.getvalue()
    with pytest.raises(CommandError, match="无需重新处理"):
        call_command("batch", "retry", str(batch.pk), stdout=io.StringIO(), verbosity=0)
    with pytest.raises(CommandError, match="没有批次"):
        call_command("batch", "retry", "999999", stdout=io.StringIO(), verbosity=0)
    other = _dead(actors, rows=[penalty(5)])
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("batch", "recover", stdout=out)
    assert f"重新排队 1 个批次（{other.pk}）" in out.getvalue()
    assert Batch.objects.get(pk=other.pk).status == "done"


@pytest.mark.django_db
def test_the_watch_queues_itself_once_and_forgets_old_runs(settings):
    from django_tasks_db.models import DBTaskResult

    from xinyong.ingest import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old = tasks.batches_watch.enqueue()
    DBTaskResult.objects.filter(pk=old.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - datetime.timedelta(hours=2)
    )
    tasks.batches_watch.call()
    tasks.batches_watch.call()
    watches = DBTaskResult.objects.filter(task_path=tasks.batches_watch.module_path)
    assert list(watches.values_list("status", flat=True)) == ["READY"]
    waiting = watches.get().run_after - timezone.now()
    assert datetime.timedelta(0) < waiting <= datetime.timedelta(seconds=60)
