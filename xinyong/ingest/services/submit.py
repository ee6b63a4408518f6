"""Receiving a batch, whatever the channel: the payload stored as received and the batch
row, in one transaction with one audit event; nothing of the content is checked yet except
what makes it a batch at all (known item, provider allowed, size)."""

import hashlib
import json
import uuid
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
