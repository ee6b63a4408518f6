"""The audit trail's signed checkpoints, for an upper platform or an outside auditor that
keeps copies (token scope ``audit:read``; auditors and the platform operator by session).
Thin: the selectors check who may read."""

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema
from pydantic import Field

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.audit import keys, selectors
from xinyong.audit.schemas import CheckpointLatestOut, CheckpointOut, CheckpointsOut
from xinyong.core.errors import NotFound

router = Router(tags=["audit 审计"])


class SinceParams(Schema):
    since: int = Field(default=-1, ge=-1, le=2**62, description="只返回事件序号大于此值的检查点")
    limit: int = Field(default=100, ge=1, le=1000)


def _key() -> dict:
    public = keys.public_key_bytes()
    return {"public_key": keys.public_key_b64(), "key_id": keys.key_id(public)}


@router.get(
    "/checkpoints/latest",
    response=CheckpointLatestOut,
    summary="最新的审计链签名检查点（含验签公钥）",
    description="保存每次取得的检查点：日后若链在该序号处的哈希改变或事件消失，即可证明审计日志被改写或截断。",
)
def checkpoint_latest(request: HttpRequest):
    actor = require_scope(request, ApiScope.AUDIT_READ)
    cp = selectors.checkpoint_latest(actor=actor)
    if cp is None:
        raise NotFound(gettext("尚无审计检查点：xinyong audit checkpoint"))
    return CheckpointLatestOut(**_key(), checkpoint=CheckpointOut.of(cp))


@router.get(
    "/checkpoints",
    response=CheckpointsOut,
    summary="审计链签名检查点（按事件序号翻页）",
)
def checkpoint_list(request: HttpRequest, params: Query[SinceParams]):
    actor = require_scope(request, ApiScope.AUDIT_READ)
    cps = selectors.checkpoints_list(actor=actor, since=params.since, limit=params.limit + 1)
    more = len(cps) > params.limit
    cps = cps[: params.limit]
    return CheckpointsOut(
        **_key(),
        checkpoints=[CheckpointOut.of(c) for c in cps],
        next_since=cps[-1].seq if more else None,
    )
