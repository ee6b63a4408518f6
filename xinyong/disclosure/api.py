"""Outbound feed of dual publicity for upper-level platforms: what entered or left public
view, in the standard field codes, read incrementally by cursor (JSON or CSV) — the
``exchange`` feed ``publicity`` (same cursor), with the CSV form and an item filter. Thin."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Query, Router

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.catalog import selectors as catalog
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.core.exports import csv_lines
from xinyong.disclosure import selectors
from xinyong.disclosure.schemas import PublicityFeedOut, PublicityFeedParams
from xinyong.exchange.choices import Feed
from xinyong.exchange.selectors import feed_read

router = Router(tags=["publicity 双公示"])


@router.get(
    "/changes",
    response=PublicityFeedOut,
    summary="双公示变动（增量）",
    description=(
        "按 seq 递增返回进入或退出公示的许可和处罚：action=publish 时带公开字段（标准字段编码），"
        "unpublish 时按 provider + item + source_id 撤下。下次以返回的 next_after 继续读取；"
        "format=csv 时须指定 item，返回 CSV（列为 seq、action、at、provider、source_id "
        "及该目录项的公开字段）。"
    ),
    openapi_extra={
        "responses": {
            200: {
                "content": {"text/csv": {"schema": {"type": "string"}}},
                "headers": {
                    "X-Next-After": {
                        "description": "format=csv 时：下次读取的游标（无新变动时为空）",
                        "schema": {"type": "string"},
                    }
                },
            }
        }
    },
)
def changes(request: HttpRequest, params: Query[PublicityFeedParams]):
    require_scope(request, ApiScope.PUBLICITY_READ)
    if params.item:
        catalog.item_current(params.item)  # an unknown item is a 404, not an empty feed
    entries, last = feed_read(Feed.PUBLICITY, after=params.after, limit=params.limit)
    if params.item:
        entries = [e for e in entries if e["item"] == params.item]
    if params.format == "json":
        return PublicityFeedOut(changes=entries, next_after=last)
    if not params.item:
        raise ValidationFailed(
            [FieldError("item", "required", gettext("format=csv 时须指定 item"))]
        )
    rows = selectors.feed_rows(entries, catalog.item_current(params.item)[1])
    response = HttpResponse("".join(csv_lines(rows)), content_type="text/csv; charset=utf-8")
    response["X-Next-After"] = "" if last is None else str(last)
    return response
