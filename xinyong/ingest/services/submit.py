"""Receiving a batch, whatever the channel: the payload stored as received and the batch
row, in one transaction with one audit event; nothing of the content is checked yet except
what makes it a batch at all (known item, provider allowed, size)."""

import hashlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import orjson
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.associations.limits import limits_for as association_limits
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog import selectors as catalog
from xinyong.core.errors import FieldError, PermissionDenied, ValidationFailed
from xinyong.core.sealed import blocks_of, seal
from xinyong.ingest import parsers
from xinyong.ingest.models import Batch


def _provider_for(actor: Actor, provider_code: str | None) -> Department:
    """The department a batch is submitted for: the actor's own; the platform operator (or
    the system, for bulk commands) may name another."""
    access.require(actor, Action.RECORD_SUBMIT,
                   message=gettext("只有部门经办人或平台运营人员可以报送信用信息"))  # fmt: skip
    if provider_code and access.names_department(actor):
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


@dataclass(frozen=True)
class Prepared:
    """A submission checked and its payload stored sealed, not yet a batch: what
    :func:`batch_record` turns into one (or :func:`batch_discard` deletes)."""

    provider: Department
    item_code: str
    item_version: object  # the catalog item's version in force when it was checked
    version_no: int
    channel: str
    submitted_by: str
    file_name: str
    file_format: str
    file_size: int
    file_digest: str
    target: Path  # the sealed payload under XINYONG_BATCH_DIR
    total_hint: int


def batch_prepare(
    *,
    actor: Actor,
    item_code: str,
    channel: str,
    file_format: str,
    payload: bytes | Path,
    file_name: str = "",
    provider_code: str | None = None,
    total_hint: int = 0,
) -> Prepared:
    """Check a submission and store its payload sealed (encrypted: it may hold resident ID
    numbers, :mod:`xinyong.core.sealed`), writing nothing to the database — so that a
    caller submitting several files (an exchange package) does the slow file work first
    and records them all in one short transaction. Refused outright, storing nothing: an
    item outside the catalog, a department that does not provide the item, a format
    ingestion does not read."""
    version, item = catalog.item_current(item_code)
    provider = _provider_for(actor, provider_code)
    limits = association_limits(provider)
    if limits is not None:  # an industry association: its authorisations, not the catalog
        if refusal := limits.item_refusal(item.code, filing=actor.is_system):
            raise PermissionDenied(refusal)
    elif not item.provided_by(provider.code):
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
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return Prepared(
        provider=provider, item_code=item.code, item_version=version, version_no=item.version,
        channel=channel, submitted_by=actor.label, file_name=file_name[:255],
        file_format=file_format, file_size=size, file_digest=digest.hexdigest(),
        target=target, total_hint=total_hint,
    )  # fmt: skip


def batch_record(*, actor: Actor, prepared: Prepared) -> Batch:
    """The batch row of a prepared submission and its audit event, in one transaction (a
    savepoint inside the caller's, which then holds several batches all or none). The
    sealed payload stays the caller's to discard if the transaction is rolled back."""
    p = prepared
    with transaction.atomic():
        batch = Batch.objects.create(
            provider=p.provider,
            item_code=p.item_code,
            item_version=p.item_version,
            channel=p.channel,
            submitted_by=p.submitted_by,
            file_name=p.file_name,
            file_format=p.file_format,
            file_size=p.file_size,
            file_digest=p.file_digest,
            payload_path=str(p.target.relative_to(settings.XINYONG_BATCH_DIR)),
            received_at=timezone.now(),
            total=p.total_hint,
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.BATCH_SUBMIT,
            object_type="batch",
            object_id=str(batch.pk),
            detail={
                "item": p.item_code,
                "version": p.version_no,
                "provider": p.provider.code,
                "channel": p.channel,
                "file_digest": batch.file_digest,
                "file_size": batch.file_size,
            },
        )
    return batch


def batch_discard(prepared: Prepared) -> None:
    """Delete a prepared payload that will not become a batch (its submission refused, or
    the transaction recording it rolled back)."""
    prepared.target.unlink(missing_ok=True)


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
    """Receive a batch: the payload stored under ``var/batches`` sealed, its digest that of
    the payload as received; the batch waits for processing. Refused outright, writing
    nothing, as :func:`batch_prepare` says."""
    prepared = batch_prepare(
        actor=actor, item_code=item_code, channel=channel, file_format=file_format,
        payload=payload, file_name=file_name, provider_code=provider_code,
        total_hint=total_hint,
    )  # fmt: skip
    try:
        return batch_record(actor=actor, prepared=prepared)
    except BaseException:
        batch_discard(prepared)
        raise


MAX_KEY_CHARS = 256  # a field name of an API row; far above any catalog code or name


def batch_submit_rows(*, actor: Actor, item_code: str, rows: list[dict], **kw) -> Batch:
    """An API push: the rows are stored as canonical JSON."""
    limit = settings.XINYONG_API_BATCH_MAX_ROWS
    if not rows:
        raise ValidationFailed([FieldError("rows", "rows.min_items", gettext("rows 不能为空"))])
    if len(rows) > limit:
        raise ValidationFailed(
            [
                FieldError(
                    "rows",
                    "rows.max_items",
                    gettext("一个批次最多 %(limit)s 行，实际 %(rows)s 行")
                    % {"limit": limit, "rows": len(rows)},
                )
            ]
        )
    keys: set = set()
    for n, row in enumerate(rows, 1):
        if long := next((k for k in row if len(k) > MAX_KEY_CHARS), None):
            # A key is quoted in its row's errors and counted in the statistics.
            message = gettext("字段名“%(key)s…”超过 %(n)s 个字符：请使用目录项的字段") % {
                "key": long[:32], "n": MAX_KEY_CHARS,
            }  # fmt: skip
            raise ValidationFailed([FieldError(f"rows.{n}", "rows.key_length", message)])
        keys.update(row)
        if len(keys) > settings.XINYONG_INGEST_MAX_COLUMNS:
            # As a file's header is: each distinct key would be one counted error in the
            # batch's statistics (a million keys fit in the body).
            message = gettext(
                "各行共有超过 %(n)s 个不同的字段名，超过每个批次的列数上限：请只使用目录项的字段"
            ) % {"n": settings.XINYONG_INGEST_MAX_COLUMNS}
            raise ValidationFailed([FieldError("rows", "rows.columns", message)])
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
