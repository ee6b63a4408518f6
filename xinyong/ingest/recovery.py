"""Writes that keep batches moving after their worker died, and their payloads bounded in time.

- ``batches_recover``: the watch (a task re-queueing itself every
  ``XINYONG_BATCH_WATCH_SECONDS``, :mod:`xinyong.ingest.tasks`; also the daily upkeep and
  `xinyong batch recover`) finds batches "processing" whose lease ran out — their worker
  died, their transaction rolled back — and queues them again, or fails them once they used
  ``XINYONG_BATCH_MAX_ATTEMPTS``; the dead worker's task row is marked failed.
- ``batch_retry``: the operator (or the providing department's clerk) queues a failed or
  stuck batch again, with a fresh set of attempts.
- ``batch_payloads_purge``: stored payloads are deleted ``XINYONG_BATCH_PAYLOAD_DAYS`` after
  their batch ended; such a batch can no longer be processed again.

Re-processing is idempotent: records are keyed by provider, item and source id, so a batch
taken again stores each record once, however often its workers died."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from xinyong.core.sealed import seal
from xinyong.ingest.choices import BatchStatus
from xinyong.ingest.lease import lease_file, lease_held, owner_task_id
from xinyong.ingest.models import Batch

log = logging.getLogger(__name__)
RETRYABLE = (BatchStatus.RECEIVED, BatchStatus.PROCESSING, BatchStatus.FAILED)
# A batch still "received" after this long has lost its place in the queue (or the queue
# is long: queuing it once more is harmless, one worker takes it).
QUEUED_PATIENCE = datetime.timedelta(minutes=10)


def may_retry(actor: Actor, batch: Batch) -> bool:
    """Who may queue a batch again (:data:`Action.BATCH_RETRY`): the credit office any
    batch, the providing department's clerk its own. Reviewers and auditors do not
    submit, so they do not retry."""
    return access.allowed(actor, Action.BATCH_RETRY, batch)


def retry_refusal(batch: Batch, now: datetime.datetime | None = None) -> FieldError | None:
    """Why the batch cannot be queued again now, or None."""
    if batch.payload_purged_at is not None:
        return FieldError(
            "batch",
            "batch.payload_purged",
            gettext("原始文件已按保存期限删除，本批次不能再重新处理：请重新报送"),
        )
    if batch.status not in RETRYABLE:
        return FieldError(
            "batch",
            "batch.not_retryable",
            gettext("批次%(status)s，无需重新处理（已拒收的文件请修改后重新报送）")
            % {"status": batch.get_status_display()},
        )
    now = now or timezone.now()
    if batch.status == BatchStatus.PROCESSING and lease_held(batch, now):
        return FieldError("batch", "batch.running", gettext("批次正在由处理进程处理，无需重新处理"))
    if batch.status == BatchStatus.RECEIVED and batch.received_at > now - QUEUED_PATIENCE:
        return FieldError("batch", "batch.queued", gettext("批次已排队等待处理进程，请稍候"))
    return None


def batch_retry(
    *, actor: Actor, batch_id: int, enqueue: Callable[[int], None] | None = None
) -> Batch:
    """Make a failed or stuck batch ready again (a fresh set of attempts), queued through
    ``enqueue`` (the worker's queue: ``ingest.tasks.enqueue_batch``; None when the caller
    processes it itself). The queue is handed in, not imported: the tasks module runs
    this one. Refused, writing nothing: a batch not visible to the actor (404), not the
    actor's to retry (403), done or rejected, being processed right now, or whose payload
    was deleted."""
    batch = Batch.objects.visible_to(actor).select_related("provider").filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(gettext("没有批次 %(id)s，或无权查看") % {"id": batch_id})
    refused = gettext("只有平台运营人员或报送部门的经办人可以重新处理批次")
    access.require(actor, Action.BATCH_RETRY, batch, message=refused)
    if refusal := retry_refusal(batch):
        if refusal.rule in ("batch.running", "batch.queued"):
            raise Conflict(refusal.field, refusal.rule, refusal.message)
        raise ValidationFailed([refusal])
    with transaction.atomic():
        taken = Batch.objects.filter(
            pk=batch.pk,
            status=batch.status,
            lease_owner=batch.lease_owner,
            attempts=batch.attempts,
            payload_purged_at=None,
        ).update(
            status=BatchStatus.RECEIVED, lease_owner="", lease_expires=None, attempts=0, errors=[]
        )
        if not taken:
            raise Conflict(
                "batch", "batch.changed", gettext("批次状态刚刚发生变化，请刷新页面后再试")
            )
        audit_event_append(
            actor=actor,
            action=AuditAction.BATCH_RETRY,
            object_type="batch",
            object_id=str(batch.pk),
            detail={"status": batch.status, "attempts": batch.attempts},
        )
        if enqueue is not None:
            enqueue(batch.pk)
    batch.refresh_from_db()
    return batch


@dataclass
class Recovered:
    queued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def batches_recover(
    *, actor: Actor, enqueue: Callable[[int], None], now: datetime.datetime | None = None
) -> Recovered:
    """Batches whose worker died (lease ran out): queued again, or failed after their last
    attempt. Each batch changes by a conditional update on the state read, so two watches
    running at once recover it once; one audit event for what this run did."""
    from xinyong.ingest.services import batch_give_up

    now = now or timezone.now()
    done = Recovered()
    stale = Batch.objects.filter(
        Q(lease_expires__lte=now) | Q(lease_expires=None), status=BatchStatus.PROCESSING
    ).select_related("provider")
    for batch in stale:
        if lease_held(batch, now):  # SQLite: renewed in its lease file
            continue
        if batch.attempts >= settings.XINYONG_BATCH_MAX_ATTEMPTS:
            if batch_give_up(batch):
                done.failed.append(batch.pk)
                _task_lost(batch.lease_owner, now)
            continue
        with transaction.atomic():
            taken = Batch.objects.filter(
                pk=batch.pk,
                status=BatchStatus.PROCESSING,
                lease_owner=batch.lease_owner,
                attempts=batch.attempts,
            ).update(status=BatchStatus.RECEIVED, lease_owner="", lease_expires=None)
            if taken:
                enqueue(batch.pk)
        if taken:
            done.queued.append(batch.pk)
            lease_file(batch).unlink(missing_ok=True)
            _task_lost(batch.lease_owner, now)
    if done.queued:
        log.warning("batches queued again after their worker died: %s", done.queued)
        with transaction.atomic():
            audit_event_append(
                actor=actor,
                action=AuditAction.BATCH_RECOVER,
                object_type="batch",
                object_id=",".join(map(str, done.queued[:20])),
                detail={"queued": done.queued, "failed": done.failed},
            )
    return done


def _task_lost(owner: str, now: datetime.datetime) -> None:
    """The dead worker's task would show "running" for ever: mark it failed."""
    task_id = owner_task_id(owner)
    if len(task_id) < 32:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=now,
        exception_class_path="xinyong.ingest.lease.WorkerLost",
        traceback=f"处理进程 {owner} 失联（租约到期），批次已交由恢复步骤处理",
    )


def batch_payloads_seal(*, actor: Actor) -> int:
    """Seal the payloads stored in clear before payloads were sealed (an upgraded platform):
    each is encrypted into ``<path>.sealed``, the batch pointed at it, the clear file
    deleted. Batches waiting or being processed are left for a later run. Returns how many."""
    root = Path(settings.XINYONG_BATCH_DIR)
    done = []
    clear = (
        Batch.objects.filter(payload_purged_at=None)
        .exclude(payload_path__endswith=".sealed")
        .exclude(status__in=[BatchStatus.RECEIVED, BatchStatus.PROCESSING])
    )
    for pk, payload in clear.values_list("pk", "payload_path")[:5000]:
        source, target = root / payload, root / f"{payload}.sealed"
        if not source.is_file():
            continue
        with source.open("rb") as f:
            seal(target, iter(lambda f=f: f.read(1 << 20), b""))
        moved = (
            Batch.objects.filter(pk=pk, payload_path=payload, payload_purged_at=None)
            .exclude(status__in=[BatchStatus.RECEIVED, BatchStatus.PROCESSING])
            .update(payload_path=f"{payload}.sealed")
        )
        (source if moved else target).unlink(missing_ok=True)
        if moved:
            done.append(pk)
    if done:
        with transaction.atomic():
            audit_event_append(
                actor=actor,
                action=AuditAction.BATCH_PAYLOAD_SEAL,
                object_type="batch",
                object_id=",".join(map(str, done[:20])),
                detail={"count": len(done), "batches": done[:1000]},
            )
    return len(done)


def batch_payloads_purge(*, actor: Actor, now: datetime.datetime | None = None) -> int:
    """Delete the stored payloads of batches that ended ``XINYONG_BATCH_PAYLOAD_DAYS`` ago
    (0 keeps them); the batch rows, outcomes and records stay. Returns how many. Payloads
    still in clear from before sealing are sealed first (:func:`batch_payloads_seal`)."""
    batch_payloads_seal(actor=actor)
    days = settings.XINYONG_BATCH_PAYLOAD_DAYS
    if days <= 0:
        return 0
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    due = (
        Batch.objects.filter(payload_purged_at=None)
        .exclude(status__in=[BatchStatus.RECEIVED, BatchStatus.PROCESSING])
        .annotate(ended=Coalesce("finished_at", "received_at"))
        .filter(ended__lt=cutoff)
    )
    batches = list(due.values_list("pk", "payload_path")[:5000])  # the next run does the rest
    if not batches:
        return 0
    with transaction.atomic():
        # The state is checked again in the UPDATE: a batch retried meanwhile keeps its file.
        candidates = [pk for pk, _ in batches]
        Batch.objects.filter(pk__in=candidates, payload_purged_at=None).exclude(
            status__in=[BatchStatus.RECEIVED, BatchStatus.PROCESSING]
        ).update(payload_purged_at=now)
        ids = list(
            Batch.objects.filter(pk__in=candidates, payload_purged_at=now).values_list(
                "pk", flat=True
            )
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.BATCH_PAYLOAD_PURGE,
            object_type="batch",
            object_id=",".join(map(str, ids[:20])),
            detail={"days": days, "count": len(ids), "batches": ids[:1000]},
        )
    root = Path(settings.XINYONG_BATCH_DIR)
    kept = set(ids)
    for pk, payload in batches:
        if pk in kept:
            for suffix in ("", ".progress", ".lease"):
                (root / f"{payload}{suffix}").unlink(missing_ok=True)
    return len(ids)
