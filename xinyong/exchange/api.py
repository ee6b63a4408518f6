"""The outbound feeds (one mechanism for all: the change log of ``exchange``) and their
daily digests. Thin: reads in ``exchange.selectors``."""

from django.http import HttpRequest
from ninja import Path, Query, Router

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.exchange import schemas, selectors
from xinyong.exchange.choices import Feed

router = Router(tags=["exchange 数据交换"])

# feed → (page schema, scope, what it publishes)
FEEDS = {
    Feed.PUBLICITY: (
        schemas.page_schema("PublicityFeedOut", schemas.PublicityEntry),
        ApiScope.PUBLICITY_READ,
        "进入（publish，带公开字段）或退出（unpublish）公示的行政许可和行政处罚。",
    ),
    Feed.LISTS: (
        schemas.page_schema("ListFeedOut", schemas.ListChangeEntry),
        ApiScope.PUBLICITY_READ,
        "向社会公开的名单条目的变动：公示（publish、import）、移出（remove）、异议标记与解除"
        "（objection）。自然人姓名打码，不含身份证件号码。",
    ),
    Feed.REPAIRS: (
        schemas.page_schema("RepairFeedPageOut", schemas.RepairChangeEntry),
        ApiScope.PUBLICITY_READ,
        "通过的信用修复（approve）：停止公示的记录和移出的名单条目。",
    ),
    Feed.COMMITMENTS: (
        schemas.page_schema("CommitmentFeedPageOut", schemas.CommitmentChangeEntry),
        ApiScope.PUBLICITY_READ,
        "公示的信用承诺的各办理环节（签署、履约、认定违诺、终止、届满、限制解除），每条带承诺"
        "读取时的状态；拟认定违诺和陈述申辩在认定前不在其中，自然人的承诺不在其中。",
    ),
    Feed.EVALUATIONS: (
        schemas.page_schema("EvaluationFeedOut", schemas.EvaluationChangeEntry),
        ApiScope.EVALUATION_READ,
        "主体评价等级的变动（grade），与信用核查返回的等级相同；信用办关闭核查返回等级时为空。",
    ),
}
COMMON = (
    "按 seq 递增返回；下次以返回的 next_after 继续读取。seq 按提交顺序连续编号，读取只到已提交"
    "的变动为止：并发写入时游标前后不漏不重。"
)


def _reader(feed: Feed, scope: str):
    def read(request: HttpRequest, params: Query[schemas.FeedParams]):
        actor = require_scope(request, scope)
        entries, nxt = selectors.feed_read(
            feed, after=params.after, limit=params.limit, actor=actor
        )
        return {"changes": entries, "next_after": nxt}

    read.__name__ = f"feed_{feed.value}"
    return read


for _feed, (_out, _scope, _what) in FEEDS.items():
    router.get(
        f"/{_feed.value}",
        response=_out,
        summary=f"{_feed.label}变动（增量）",
        description=f"{_what}{COMMON}",
        operation_id=f"feed_{_feed.value}",
    )(_reader(_feed, _scope))


@router.get(
    "/{feed}/digest",
    response=schemas.DigestOut,
    summary="按日对账摘要",
    description=(
        "某一数据类别某日（北京时间，按变动时间）发布的条数和摘要：接收方按 seq 升序将当日收到的"
        "每条写成一行 “seq|action|key\\n”，求 SHA-256，与此比对条数和摘要即可确认不缺不多。"
    ),
)
def digest(request: HttpRequest, feed: Path[Feed], params: Query[schemas.DigestParams]):
    actor = require_scope(request, FEEDS[feed][1])
    return selectors.feed_digest(feed, params.day, actor=actor)
