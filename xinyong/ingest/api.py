"""Ingestion API: departments push batches of records and read their outcome. Thin."""

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.core.inputs import Offset, RowId
from xinyong.ingest import selectors, services
from xinyong.ingest.choices import RowOutcome
from xinyong.ingest.schemas import BatchDetailOut, BatchIn, BatchOut, BatchRowOut
from xinyong.ingest.tasks import process_now_or_later
from xinyong.records.choices import Channel

router = Router(tags=["records 信用信息归集"])


@router.post(
    "/batches",
    response={200: BatchOut, 202: BatchOut},
    summary="报送一批信用记录（最多 10,000 行）",
    description=(
        "每行按目录项的字段规则校验并匹配主体。来源记录编号（source_id，缺省时取目录项指定的"
        "字段，如处罚决定书文号）使重复报送幂等；内容变化生成新版本；op=withdraw 撤销记录。"
        f"不超过 {settings.XINYONG_SYNC_MAX_ROWS} 行的批次当即处理并返回 200，"
        "更大的批次返回 202，稍后用 GET 查询结果。"
    ),
)
def submit_batch(request: HttpRequest, payload: BatchIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    batch = services.batch_submit_rows(
        actor=actor,
        item_code=payload.item,
        rows=payload.rows,
        channel=Channel.API,
        provider_code=payload.provider,
    )
    done = process_now_or_later(batch.pk, len(payload.rows))
    return Status(200, BatchOut.of(done)) if done else Status(202, BatchOut.of(batch))


class RowsParams(Schema):
    outcome: RowOutcome | None = Field(default=None, description="只看某种结果，如 rejected")
    offset: Offset = Field(default=0, description="跳过的行数")
    after: int | None = Field(
        default=None,
        ge=0,
        le=selectors.MAX_ROW_NO,
        description=(
            "游标：只返回行号大于它的行（上一页的 rows_after）；与 offset 同时给出时按游标"
        ),
    )
    limit: int = Field(
        default=selectors.MAX_ROWS_PAGE,
        ge=1,
        le=selectors.MAX_ROWS_PAGE,
        description=f"每页行数，最多 {selectors.MAX_ROWS_PAGE}",
    )


class ListParams(Schema):
    item: str | None = Field(default=None, max_length=64, description="只看某个目录项")
    offset: Offset = Field(default=0, description="跳过的批次数")
    limit: int = Field(
        default=50,
        ge=1,
        le=selectors.MAX_PAGE,
        description=f"每页批次数，最多 {selectors.MAX_PAGE}",
    )


@router.get(
    "/batches",
    response=list[BatchOut],
    summary="本部门的报送批次",
    description=(
        "最新的在前，分页：limit（默认 50，最多 200）与 offset；返回条数少于 limit 即为最后一页。"
    ),
)
def list_batches(request: HttpRequest, params: Query[ListParams]):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    batches = selectors.batch_list(
        actor=actor, item_code=params.item, offset=params.offset, limit=params.limit
    )
    return [BatchOut.of(b) for b in batches[: params.limit]]


@router.get(
    "/batches/{batch_id}",
    response=BatchDetailOut,
    summary="批次处理结果（逐行）",
    description=(
        "逐行结果按行号排序分页：limit（最多 1,000）与 offset，或游标 after（上一页的 "
        "rows_after）。行号是数据行序号：从 1 起，文件的表头不计为一行，API 报送按 rows 的顺序。"
        "拒收行的错误明细最多保存前 1,000 行（XINYONG_INGEST_MAX_ERROR_ROWS），其余拒收行只有"
        "结果，其错误按字段和规则计数见 errors_omitted。"
    ),
)
def get_batch(request: HttpRequest, batch_id: RowId, params: Query[RowsParams]):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    batch = selectors.batch_get(actor=actor, batch_id=batch_id)
    rows = selectors.batch_rows(
        batch=batch,
        outcome=params.outcome,
        offset=params.offset if params.after is None else 0,
        limit=params.limit + 1,
        after=params.after,
    )
    more = len(rows) > params.limit
    by_offset = params.after is None  # with a cursor the offset is ignored: no next offset
    return BatchDetailOut(
        **BatchOut.of(batch).dict(),
        rows=[
            BatchRowOut(
                row=r.row_no,
                source_id=r.source_id,
                outcome=r.outcome,
                record_id=r.record_id,
                errors=r.errors or [],
            )
            for r in rows[: params.limit]
        ],
        rows_offset=params.offset if by_offset else 0,
        rows_next=params.offset + params.limit if more and by_offset else None,
        rows_after=rows[params.limit - 1].row_no if more else None,
    )
