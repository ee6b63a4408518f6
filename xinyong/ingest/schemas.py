"""API input and output schemas of ingestion."""

import datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from xinyong.catalog import selectors as catalog
from xinyong.core.labels import batch_label
from xinyong.ingest.pipeline import DUPLICATE_RULE
from xinyong.ingest.progress import progress_read


def omitted_errors(b) -> list[tuple[str, str, int]]:
    from xinyong.ingest.selectors import omitted_errors as counted

    return counted(b)


class BatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    item: str = Field(max_length=64, description="目录项编码，如 administrative_penalty")
    rows: list[dict[str, Any]] = Field(
        description="数据行：键为字段编码（如 CF_WSH）或中文字段名；可含 source_id、op"
    )
    provider: str | None = Field(
        default=None, max_length=32, description="报送部门编码（仅平台运营人员代报时填写）"
    )


class RowErrorOut(Schema):
    field: str
    rule: str
    message: str


class OmittedOut(Schema):
    """Errors of rejected rows stored without details, counted by field and rule."""

    field: str
    rule: str
    count: int


class BatchRowOut(Schema):
    row: int = Field(
        description="行号：数据行序号，从 1 起；文件的表头不计为一行（即表格第 行号+1 行）"
    )
    source_id: str
    outcome: str
    record_id: int | None
    errors: list[RowErrorOut] = []


class SuppliedOut(Schema):
    """A field the platform filled in for rows sent in the older field set."""

    code: str
    name: str
    rows: int


class BatchOut(Schema):
    id: int
    item: str
    item_version: int
    provider: str
    channel: str
    status: str
    status_label: str
    file_name: str
    received_at: datetime.datetime
    finished_at: datetime.datetime | None
    total: int
    processed: int
    created: int
    updated: int
    unchanged: int
    withdrawn: int
    rejected: int
    duplicates_in_batch: int  # rows rejected for repeating a source id of the same batch
    subjects_created: int
    legacy_rows: int = 0  # rows read in the older (2016) dual-publicity field set
    legacy_supplied: list[SuppliedOut] = []
    errors: list[RowErrorOut]
    # Rejected rows beyond XINYONG_INGEST_MAX_ERROR_ROWS keep their outcome, not their
    # error details: how many, and their errors counted by field and rule.
    rows_without_details: int = 0
    errors_omitted: list[OmittedOut] = []
    attempts: int = 0  # times a worker took the batch since it was received or retried
    payload_purged_at: datetime.datetime | None = None  # payload deleted: cannot run again

    @classmethod
    def of(cls, b) -> "BatchOut":
        return cls(
            id=b.pk,
            item=b.item_code,
            item_version=b.item_version.version,
            provider=b.provider.code,
            channel=b.channel,
            status=b.status,
            status_label=str(b.get_status_display()),
            file_name=b.file_name,
            received_at=b.received_at,
            finished_at=b.finished_at,
            total=b.total,
            processed=progress_read(b),
            created=b.created,
            updated=b.updated,
            unchanged=b.unchanged,
            withdrawn=b.withdrawn,
            rejected=b.rejected,
            duplicates_in_batch=(b.stats or {})
            .get("errors", {})
            .get(f"source_id|{DUPLICATE_RULE}", 0),
            subjects_created=b.subjects_created,
            **_legacy(b),
            errors=b.errors or [],
            rows_without_details=((b.stats or {}).get("omitted") or {}).get("rows", 0),
            errors_omitted=[OmittedOut(field=f, rule=r, count=n) for f, r, n in omitted_errors(b)],
            attempts=b.attempts,
            payload_purged_at=b.payload_purged_at,
        )


def _legacy(b) -> dict:
    legacy = (b.stats or {}).get("legacy")
    if not legacy:
        return {}
    fields = {f.code: f.name for f in catalog.version_definition(b.item_version_id).all_fields}
    return {
        "legacy_rows": legacy["rows"],
        "legacy_supplied": [
            SuppliedOut(code=code, name=fields.get(code, code), rows=n)
            for code, n in sorted(legacy["supplied"].items())
        ],
    }


class BatchPageOut(BatchOut):
    """A batch as the back-office pages show it: the item, department and channel by name
    (the API's :class:`BatchOut` keeps the codes, which are for machines)."""

    item_name: str = ""
    provider_name: str = ""
    channel_label: str = ""
    label: str = ""  # 第 5 批

    @classmethod
    def of(cls, b) -> "BatchPageOut":
        out = super().of(b)
        out.item_name = catalog.version_definition(b.item_version_id).name
        out.provider_name = b.provider.name
        out.channel_label = str(b.get_channel_display())
        out.label = batch_label(b.pk)
        return out


class BatchDetailOut(BatchOut):
    rows: list[BatchRowOut]
    rows_offset: int
    rows_next: int | None = Field(
        description="下一页的 offset；没有下一页或按游标 after 翻页时为 null（请用 rows_after）"
    )
    rows_after: int | None = Field(
        default=None,
        description="下一页的游标：作为 after 参数传回（比 offset 更快）；没有下一页时为 null",
    )
