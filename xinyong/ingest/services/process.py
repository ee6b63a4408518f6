"""Processing a batch: rows read, checked and applied chunk by chunk in ONE transaction
with one audit event (progress goes to a file beside the payload, readable while the
transaction is open): a crash anywhere leaves the credit files as they were, and the batch
can be processed again from its stored payload."""

import contextlib
import functools
import itertools
import logging
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone, translation
from django.utils.translation import gettext

from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import ActorKind, Role
from xinyong.associations.limits import limits_for as association_limits
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog import selectors as catalog
from xinyong.catalog.rowschema import compiled, printable
from xinyong.core.bulkcopy import copy_text, insert_rows
from xinyong.core.errors import FieldError, NotFound
from xinyong.core.pipelining import ahead
from xinyong.core.sealed import SealedPath
from xinyong.ingest import chunks as chunking
from xinyong.ingest import legacy, parsers
from xinyong.ingest.apply import STAGE, apply_chunk, stage_close, stage_open
from xinyong.ingest.choices import BatchStatus, RowOutcome
from xinyong.ingest.lease import Heartbeat, LeaseLost, lease_duration, lease_held, new_owner
from xinyong.ingest.models import Batch, BatchRow
from xinyong.ingest.pipeline import STAGE_COLUMNS, RowPreparer
from xinyong.ingest.progress import progress_path, progress_write
from xinyong.ingest.signals import batch_applied

log = logging.getLogger(__name__)
ATTEMPTS_RULE = "batch.attempts"
OUTCOMES = tuple(RowOutcome.values)


def _claim(batch_id: int, owner: str) -> Batch | None:
    """Take a received or failed batch for processing, under a lease for ``owner`` — or one
    left "processing" by a worker whose lease ran out (it died; its transaction rolled back,
    so nothing of it was applied). None if another worker holds it, the batch is finished,
    its payload was deleted, or it used its ``XINYONG_BATCH_MAX_ATTEMPTS`` (a batch left
    "processing" is failed here then; the operator's retry gives it a fresh set).

    One conditional UPDATE on the state read (status, owner, attempts) takes it, so of two
    workers claiming at once exactly one succeeds."""
    now = timezone.now()
    seen = Batch.objects.filter(pk=batch_id).first()
    if seen is None or seen.payload_purged_at is not None:
        return None
    if seen.status not in (BatchStatus.RECEIVED, BatchStatus.FAILED, BatchStatus.PROCESSING):
        return None
    if seen.status == BatchStatus.PROCESSING and lease_held(seen, now):
        return None
    if seen.attempts >= settings.XINYONG_BATCH_MAX_ATTEMPTS:  # only a retry starts it again
        if seen.status == BatchStatus.PROCESSING:
            batch_give_up(seen)
        return None
    with transaction.atomic():
        taken = Batch.objects.filter(
            pk=batch_id, status=seen.status, lease_owner=seen.lease_owner, attempts=seen.attempts
        ).update(
            status=BatchStatus.PROCESSING,
            started_at=now,
            finished_at=None,
            processed=0,
            errors=[],
            lease_owner=owner,
            lease_expires=now + lease_duration(),
            attempts=F("attempts") + 1,
        )
        if not taken:
            return None
        BatchRow.objects.filter(batch_id=batch_id).delete()  # none, unless edited by hand
    return Batch.objects.select_related("provider").get(pk=batch_id)


def batch_give_up(batch: Batch) -> bool:
    """A batch whose worker died ``XINYONG_BATCH_MAX_ATTEMPTS`` times is failed with that
    reason instead of taken again (a payload that kills its worker, e.g. by memory, would
    otherwise do so forever); the operator may still retry it. False if its state changed
    meanwhile."""
    attempts = batch.attempts
    errors = [
        {
            "field": "",
            "rule": ATTEMPTS_RULE,
            "message": f"处理进程已中断 {attempts} 次（进程终止或与数据库失联），不再自动重试；"
            "未入库任何记录。请检查文件后由运营人员或报送部门重试",
        }
    ]
    with transaction.atomic():
        done = Batch.objects.filter(
            pk=batch.pk,
            status=BatchStatus.PROCESSING,
            lease_owner=batch.lease_owner,
            attempts=attempts,
        ).update(
            status=BatchStatus.FAILED,
            finished_at=timezone.now(),
            errors=errors,
            lease_owner="",
            lease_expires=None,
        )
        if done:
            chunking.unstage(batch.pk)
            audit_event_append(
                actor=_system(batch),
                action=AuditAction.BATCH_FAIL,
                object_type="batch",
                object_id=str(batch.pk),
                detail={"status": BatchStatus.FAILED, "errors": errors, "attempts": attempts},
            )
    return bool(done)


def _chunks(path: Path, file_format: str, preparer: RowPreparer, vendor: str, adapter=None):
    """Parsed and prepared chunks of a batch: ``(rows read, Prepared)``, with their COPY
    text for PostgreSQL. CSV records in the current field set go through the columnar
    check first (:mod:`xinyong.catalog.columnar`)."""
    # A small first chunk: the database starts while the rest is still being prepared.
    rows = settings.XINYONG_BATCH_CHUNK_ROWS
    sizes = itertools.chain([max(rows // 10, 1)], itertools.repeat(rows))
    payload = parsers.open_payload(path, file_format, preparer.schema, adapter)
    preparer.reading = payload.reading  # the field-set question, answered once
    if payload.records is not None and not payload.reading.legacy:
        source = payload.records
        prepare = functools.partial(preparer.prepare_records, payload.codes)
    else:
        source = payload.rows
        prepare = preparer.prepare
    while chunk := list(itertools.islice(source, next(sizes))):
        prepared = prepare(chunk)
        if vendor == "postgresql":
            prepared.copy_text = copy_text(prepared.staged)
        yield len(chunk), prepared


@contextlib.contextmanager
def _prompt_thread_switches():
    """While the preparing thread computes, the thread whose database call has returned
    waits for the GIL; at Python's default switch interval (5 ms) that wait, a dozen times
    a chunk, kept the database idle. 1 ms measured ~5 % faster end to end."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, 0.001))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@translation.override(settings.LANGUAGE_CODE)
def batch_process(*, batch_id: int, progress=None, task_id: str | None = None) -> Batch:
    """Check, match and apply a batch (see the module docstring) under a lease renewed by a
    heartbeat (:mod:`xinyong.ingest.lease`). A payload that cannot be read as a whole
    rejects the batch with its reasons; an unexpected error marks it failed and re-raises;
    a lease lost to another worker rolls back and leaves the batch to it; in each case no
    record was written. Its stored row errors are in the platform's language whoever
    uploaded the file (and whichever thread checked the rows)."""
    chunking.config()  # wrong chunk settings: refused before the batch is taken
    owner = new_owner(task_id)
    batch = _claim(batch_id, owner)
    if batch is None:
        found = Batch.objects.filter(pk=batch_id).first()
        if found is None:
            raise NotFound(gettext("没有批次 %(batch_id)s") % {"batch_id": batch_id})
        return found
    item = catalog.version_definition(batch.item_version_id)
    schema = compiled(item)
    adapter = legacy.adapter_for(
        schema=schema, provider_name=batch.provider.name, provider_uscc=batch.provider.uscc
    )
    preparer = RowPreparer(
        schema=schema,
        authorities=batch.provider.authorities(),
        max_cell=settings.XINYONG_INGEST_MAX_CELL_CHARS,
        detail_rows=settings.XINYONG_INGEST_MAX_ERROR_ROWS,
        limits=association_limits(batch.provider),
    )
    path = SealedPath(Path(settings.XINYONG_BATCH_DIR) / batch.payload_path)
    apply = {
        "batch_id": batch.pk,
        "provider_id": batch.provider_id,
        "item": item,
        "item_version_id": batch.item_version_id,
        "channel": batch.channel,
        "now": timezone.now(),
    }
    heartbeat = Heartbeat(batch, owner)
    job = _chunk_job(batch, path.path, item, preparer)
    try:
        with (
            heartbeat,
            _prompt_thread_switches(),
            ThreadPoolExecutor(1, thread_name_prefix="ingest-prepare") as pool,
        ):
            job.chunks = chunking.plan(job, file_size=batch.file_size, total_hint=batch.total)
            if job.chunks:  # prepared side by side into staging; applied below, all at once
                chunking.stage(batch.pk, job, lost=heartbeat.lost.is_set)
                if heartbeat.lost.is_set():
                    raise LeaseLost(batch.pk)
                chunks = chunking.staged_parts(batch.pk, job, preparer)
            else:
                chunks = ahead(
                    _chunks(path, batch.file_format, preparer, connection.vendor, adapter), pool
                )
            with transaction.atomic(), connection.cursor() as cur:
                _apply_all(cur, batch, owner, item, preparer, chunks, heartbeat, progress, apply)
                if job.chunks:
                    chunking.unstage(batch.pk)  # applied: its staging goes with the same commit
    except parsers.Unreadable as e:
        _end_without_records(batch, owner, BatchStatus.REJECTED, [x.as_dict() for x in e.errors])
    except LeaseLost:
        log.warning("batch %s: lease lost to another worker, rolled back", batch.pk)
        return Batch.objects.get(pk=batch.pk)
    except Exception:
        # The exception's text may quote the database and the row's content: it goes to
        # the log only; the submitter sees what happened and whom to ask.
        log.exception("batch %s failed", batch.pk)
        _end_without_records(
            batch,
            owner,
            BatchStatus.FAILED,
            [
                {
                    "field": "",
                    "rule": "batch.crash",
                    "message": f"处理中断（内部错误），未入库任何记录：请联系平台运营人员，"
                    f"按批次编号 {batch.pk} 查看日志后重新处理",
                }
            ],
        )
        raise
    finally:
        path.close()
        progress_path(batch).unlink(missing_ok=True)
    done = Batch.objects.get(pk=batch.pk)
    if done.status == BatchStatus.DONE:
        transaction.on_commit(
            lambda: batch_applied.send(sender=Batch, batch_id=done.pk, item_code=done.item_code)
        )
    return done


def _chunk_job(batch: Batch, payload: Path, item, preparer: RowPreparer):
    """What the chunk workers of a large batch need (:mod:`xinyong.ingest.chunks`)."""
    return chunking.ChunkJob(
        payload=payload,
        file_format=batch.file_format,
        item=item,
        provider_name=batch.provider.name,
        provider_uscc=batch.provider.uscc,
        preparer_kw={
            "authorities": preparer.authorities,
            "max_cell": preparer.max_cell,
            "limits": preparer.limits,
        },
        chunk_rows=chunking.config()[0],
        part_rows=settings.XINYONG_BATCH_CHUNK_ROWS,
        fault=settings.XINYONG_CHUNK_TEST_FAULT,
    )


def _json_or_none(errors: list[dict] | None) -> str | None:
    return None if errors is None else orjson.dumps(errors).decode()


MAX_BATCH_ERRORS = 100  # reasons of a refused batch kept; the rest counted by rule


def _bounded(errors: list[dict]) -> list[dict]:
    """A batch's reasons as stored and shown: at most MAX_BATCH_ERRORS, then one line
    counting the rest by rule; no forbidden character in any message."""
    kept = [{**e, "message": printable(str(e.get("message", "")))} for e in errors]
    if len(kept) <= MAX_BATCH_ERRORS:
        return kept
    rest = Counter(e.get("rule", "") for e in kept[MAX_BATCH_ERRORS:])
    more = "；".join(f"{rule} × {n}" for rule, n in rest.most_common())
    summary = f"另有 {len(kept) - MAX_BATCH_ERRORS} 条未列出：{more}"
    return [*kept[:MAX_BATCH_ERRORS], {"field": "file", "rule": "errors.more", "message": summary}]


def _system(batch: Batch) -> Actor:
    return Actor(kind=ActorKind.SYSTEM, label=f"batch:{batch.pk}", role=Role.PLATFORM_OPERATOR)


def _end_without_records(batch: Batch, owner: str, status: str, errors: list[dict]) -> None:
    errors = _bounded(errors)
    with transaction.atomic():
        ended = Batch.objects.filter(pk=batch.pk, lease_owner=owner).update(
            status=status, finished_at=timezone.now(), errors=errors, lease_owner="",
            lease_expires=None, created=0, updated=0, unchanged=0, withdrawn=0, rejected=0,
        )  # fmt: skip
        if not ended:
            return  # another worker took the batch: it is its to end
        BatchRow.objects.filter(batch_id=batch.pk).delete()
        chunking.unstage(batch.pk)
        audit_event_append(
            actor=_system(batch),
            action=AuditAction.BATCH_FAIL,
            object_type="batch",
            object_id=str(batch.pk),
            detail={"status": status, "errors": errors[:20]},
        )


def _apply_all(cur, batch, owner, item, preparer, chunks, heartbeat, progress, apply) -> None:
    """Stage and apply every prepared chunk, then end the batch: records, outcomes,
    counts and its audit event, in the caller's transaction."""
    seen = created_subjects = 0
    counts = dict.fromkeys(OUTCOMES, 0)
    pause = settings.XINYONG_BATCH_TEST_PAUSE
    stage_open(cur, provider_id=batch.provider_id, item_code=item.code)
    for n, prepared in chunks:
        insert_rows(cur, STAGE, STAGE_COLUMNS, prepared.staged, text=prepared.copy_text)

        insert_rows(
            cur,
            "ingest_batchrow",
            ("batch_id", "row_no", "source_id", "outcome", "record_id", "errors"),
            [
                (batch.pk, row, sid, "rejected", None, _json_or_none(errs))
                for row, sid, errs in prepared.rejected
            ],
        )
        created, rejected, omitted = apply_chunk(cur, **apply, detail_rows=preparer.detail_rows)
        preparer.count_applied(rejected, omitted)
        created_subjects += created
        seen += n
        progress_write(batch, seen)
        if progress:
            progress(n)
        if heartbeat.lost.is_set():
            raise LeaseLost(batch.pk)
        if pause:
            time.sleep(pause)
    stage_close(cur)
    if seen == 0:
        raise parsers.Unreadable([FieldError("file", "file.no_rows", gettext("没有数据行"))])
    counts.update(
        BatchRow.objects.filter(batch_id=batch.pk)
        .values_list("outcome")
        .annotate(n=Count("row_no"))
    )
    finished = Batch.objects.filter(pk=batch.pk, lease_owner=owner).update(
        status=BatchStatus.DONE,
        lease_owner="",
        lease_expires=None,
        finished_at=timezone.now(),
        total=seen,
        processed=seen,
        subjects_created=created_subjects,
        stats=preparer.quality.as_dict(),
        **counts,
    )
    if not finished:
        raise LeaseLost(batch.pk)
    audit_event_append(
        actor=_system(batch),
        action=AuditAction.BATCH_APPLY,
        object_type="batch",
        object_id=str(batch.pk),
        detail={"item": item.code, "provider_id": batch.provider_id, "total": seen,
                "subjects_created": created_subjects, **counts},
    )  # fmt: skip
