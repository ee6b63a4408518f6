"""Writes of ingestion: receiving a batch (any channel) and processing it.

``batch_submit`` stores the payload as received and the batch row, in one transaction with
one audit event; nothing of the content is checked yet except what makes it a batch at all
(known item, provider allowed, size). ``batch_process`` reads, checks and applies the rows
chunk by chunk in ONE transaction with one audit event (progress goes to a file beside the
payload, readable while the transaction is open): a crash anywhere leaves the credit files
as they were, and the batch can be processed again from its stored payload."""

import contextlib
import functools
import hashlib
import itertools
import json
import logging
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone, translation
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import ActorKind, Role
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog import selectors as catalog
from xinyong.catalog.rowschema import OP, REASON, SOURCE_ID, compiled, printable
from xinyong.core.bulkcopy import copy_text, insert_rows
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from xinyong.core.pipelining import ahead
from xinyong.core.sealed import SealedPath, blocks_of, seal
from xinyong.ingest import legacy, parsers
from xinyong.ingest.apply import STAGE, apply_chunk, stage_close, stage_open
from xinyong.ingest.choices import BatchStatus, RowOutcome
from xinyong.ingest.lease import Heartbeat, LeaseLost, lease_duration, lease_held, new_owner
from xinyong.ingest.models import Batch, BatchRow
from xinyong.ingest.pipeline import STAGE_COLUMNS, RowPreparer, reason_errors
from xinyong.ingest.progress import progress_path, progress_write
from xinyong.ingest.signals import batch_applied
from xinyong.records.choices import Channel, RecordStatus
from xinyong.records.models import Record

log = logging.getLogger(__name__)
ATTEMPTS_RULE = "batch.attempts"
OUTCOMES = tuple(RowOutcome.values)


def _provider_for(actor: Actor, provider_code: str | None) -> Department:
    """The department a batch is submitted for: the actor's own; the platform operator (or
    the system, for bulk commands) may name another."""
    access.require(actor, Action.RECORD_SUBMIT,
                   message=gettext("只有部门经办人或平台运营人员可以报送信用信息"))  # fmt: skip
    if provider_code and actor.writes_all_departments:
        dept = Department.objects.filter(code=provider_code, is_active=True).first()
        if dept is None:
            raise ValidationFailed(
                [
                    FieldError(
                        "provider",
                        "provider.unknown",
                        gettext("没有部门 %(code)s") % {"code": provider_code},
                    )
                ]
            )
        return dept
    if actor.department_id is None:
        raise ValidationFailed(
            [
                FieldError(
                    "provider",
                    "required",
                    gettext("请指定报送部门（平台运营人员代部门报送时必填）"),
                )
            ]
        )
    return Department.objects.get(pk=actor.department_id)


def batch_submit(
    *,
    actor: Actor,
    item_code: str,
    channel: str,
    file_format: str,
    payload: bytes | Path,
    file_name: str = "",
    provider_code: str | None = None,
    total_hint: int = 0,
) -> Batch:
    """Receive a batch: the payload (bytes, or a file copied into place) is stored under
    ``var/batches`` sealed (encrypted: it may hold resident ID numbers,
    :mod:`xinyong.core.sealed`), its digest that of the payload as received; the batch waits
    for processing. Refused outright, writing nothing: an item outside the catalog, a
    department that does not provide the item, a payload too large for its channel."""
    version, item = catalog.item_current(item_code)
    provider = _provider_for(actor, provider_code)
    if not item.provided_by(provider.code):
        raise PermissionDenied(
            gettext("%(department)s不是目录项“%(item)s”的信息提供单位")
            % {"department": provider.name, "item": item.name}
        )
    if file_format not in parsers.FORMATS:
        raise ValidationFailed(
            [FieldError("file", "file.format", gettext("文件格式应为 CSV、XLSX 或 JSON"))]
        )
    directory = Path(settings.XINYONG_BATCH_DIR) / timezone.localdate().strftime("%Y%m")
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{uuid.uuid4().hex}.{file_format}.sealed"
    digest = hashlib.sha256()

    def hashed(blocks):
        for block in blocks:
            digest.update(block)
            yield block

    try:
        if isinstance(payload, Path):
            with payload.open("rb") as f:
                size = seal(target, hashed(iter(lambda: f.read(1 << 20), b"")))
        else:
            size = seal(target, hashed(blocks_of(payload)))
        with transaction.atomic():
            batch = Batch.objects.create(
                provider=provider,
                item_code=item.code,
                item_version=version,
                channel=channel,
                submitted_by=actor.label,
                file_name=file_name[:255],
                file_format=file_format,
                file_size=size,
                file_digest=digest.hexdigest(),
                payload_path=str(target.relative_to(settings.XINYONG_BATCH_DIR)),
                received_at=timezone.now(),
                total=total_hint,
            )
            audit_event_append(
                actor=actor,
                action=AuditAction.BATCH_SUBMIT,
                object_type="batch",
                object_id=str(batch.pk),
                detail={
                    "item": item.code,
                    "version": item.version,
                    "provider": provider.code,
                    "channel": channel,
                    "file_digest": batch.file_digest,
                    "file_size": batch.file_size,
                },
            )
    except Exception:
        target.unlink(missing_ok=True)
        raise
    return batch


MAX_KEY_CHARS = 256  # a field name of an API row; far above any catalog code or name


def batch_submit_rows(*, actor: Actor, item_code: str, rows: list[dict], **kw) -> Batch:
    """An API push: the rows are stored as canonical JSON."""
    limit = settings.XINYONG_API_BATCH_MAX_ROWS
    if not rows:
        raise ValidationFailed([FieldError("rows", "rows.min_items", "rows 不能为空")])
    if len(rows) > limit:
        raise ValidationFailed(
            [FieldError("rows", "rows.max_items", f"一个批次最多 {limit} 行，实际 {len(rows)} 行")]
        )
    keys: set = set()
    for n, row in enumerate(rows, 1):
        if long := next((k for k in row if len(k) > MAX_KEY_CHARS), None):
            # A key is quoted in its row's errors and counted in the statistics.
            message = f"字段名“{long[:32]}…”超过 {MAX_KEY_CHARS} 个字符：请使用目录项的字段"
            raise ValidationFailed([FieldError(f"rows.{n}", "rows.key_length", message)])
        keys.update(row)
        if len(keys) > settings.XINYONG_INGEST_MAX_COLUMNS:
            # As a file's header is: each distinct key would be one counted error in the
            # batch's statistics (a million keys fit in the body).
            raise ValidationFailed([FieldError("rows", "rows.columns",
                f"各行共有超过 {settings.XINYONG_INGEST_MAX_COLUMNS} 个不同的字段名，"
                "超过每个批次的列数上限：请只使用目录项的字段")])  # fmt: skip
    try:
        payload = orjson.dumps(rows)
    except orjson.JSONEncodeError:
        # A lone surrogate (or an integer beyond 64 bits) orjson will not write: kept
        # escaped, for the row check to refuse that cell as a row error.
        payload = json.dumps(rows, ensure_ascii=True).encode()
    return batch_submit(
        actor=actor,
        item_code=item_code,
        file_format="json",
        payload=payload,
        total_hint=len(rows),
        **kw,
    )


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
    owner = new_owner(task_id)
    batch = _claim(batch_id, owner)
    if batch is None:
        found = Batch.objects.filter(pk=batch_id).first()
        if found is None:
            raise NotFound(f"没有批次 {batch_id}")
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
    counts = dict.fromkeys(OUTCOMES, 0)
    pause = settings.XINYONG_BATCH_TEST_PAUSE
    heartbeat = Heartbeat(batch, owner)
    try:
        seen = created_subjects = 0
        with (
            heartbeat,
            _prompt_thread_switches(),
            ThreadPoolExecutor(1, thread_name_prefix="ingest-prepare") as pool,
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            stage_open(cur, provider_id=batch.provider_id, item_code=item.code)
            chunks = _chunks(path, batch.file_format, preparer, connection.vendor, adapter)
            for n, prepared in ahead(chunks, pool):
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
                created, rejected, omitted = apply_chunk(
                    cur, **apply, detail_rows=preparer.detail_rows
                )
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
                raise parsers.Unreadable([FieldError("file", "file.no_rows", "没有数据行")])
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
        audit_event_append(
            actor=_system(batch),
            action=AuditAction.BATCH_FAIL,
            object_type="batch",
            object_id=str(batch.pk),
            detail={"status": status, "errors": errors[:20]},
        )


def record_withdraw(*, actor: Actor, record_id: int, reason: str) -> Batch:
    """A department withdraws one of its decisions from a back-office page (revoked or
    changed): a one-row withdrawal batch through the same pipeline as a feed's, processed at
    once, so the history, the provenance and the takedown are the same as for any other
    withdrawal. Only the providing department (or the operator on its behalf) may, and
    only with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            [
                FieldError(
                    "reason", "required", gettext("请填写撤销原因（如撤销或变更决定的文书号）")
                )
            ]
        )
    if errors := reason_errors(reason):
        raise ValidationFailed(errors)
    record = Record.objects.visible_to(actor).select_related("provider").filter(pk=record_id)
    record = record.first()
    if record is None:
        raise NotFound(gettext("没有信用记录 %(id)s") % {"id": record_id})
    refused = gettext("只有报送该记录的部门经办人（或平台运营人员）可以撤销它")
    access.require(actor, Action.RECORD_WITHDRAW, record, message=refused)
    if record.status != RecordStatus.ACTIVE:
        raise ValidationFailed(
            [
                FieldError(
                    "record",
                    "record.not_active",
                    gettext("该记录%(status)s，无需撤销") % {"status": record.get_status_display()},
                )
            ]
        )
    batch = batch_submit_rows(
        actor=actor,
        item_code=record.item_code,
        rows=[{SOURCE_ID: record.source_id, OP: "withdraw", REASON: reason}],
        channel=Channel.FORM,
        provider_code=record.provider.code,
    )
    return batch_process(batch_id=batch.pk)
