"""API of change subscriptions (webhooks) for departments' business systems (scope
``webhooks``; each kind of change also needs its feed's scope) and the platform's public
key for ``v1a`` (Ed25519) signatures. Delivery runs on the worker, never in the request."""

import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.core.inputs import RowId
from xinyong.exchange.webhooks import selectors, services, signing

router = Router(tags=["webhooks 变动订阅"])

KINDS_HELP = (
    "变动类别：publicity 双公示 / lists 信用名单 / repairs 信用修复 / commitments 信用承诺 / "
    "evaluations 综合评价（需 evaluation:read）；可写 类别.动作 只订阅某一动作"
)


class SubscriptionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=100, examples=["市场监管业务系统"])
    url: str = Field(
        max_length=500,
        description="接收地址，须为 https 且在平台允许的范围内",
        examples=["https://scjg.example.gov.cn/xinyong/webhook"],
    )
    kinds: list[str] = Field(
        max_length=50, description=KINDS_HELP, examples=[["publicity", "lists"]]
    )
    watch: str = Field(
        "codes",
        description="codes 指定代码 / registered 本部门登记的主体 / region 按统一社会信用代码前缀",
    )
    subjects: list[str] = Field(
        [],
        max_length=10_000,
        description="watch=codes 时：统一社会信用代码"
        "或身份证号码（自然人须本部门登记且令牌有 persons:read）",
        examples=[["914403001922038216"]],
    )
    prefix: str = Field("", max_length=17, description="watch=region 时：代码前缀（至少 6 位）")
    signing: str = Field("hmac", description="hmac（v1）或 ed25519（另附 v1a，用平台公钥核验）")

    def data(self) -> services.SubscriptionIn:
        return services.SubscriptionIn(
            name=self.name,
            url=self.url,
            kinds=self.kinds,
            watch=self.watch,
            codes=self.subjects,
            prefix=self.prefix,
            signing=self.signing,
        )


class SubscriptionOut(Schema):
    id: int
    name: str
    url: str
    department: str = Field(description="所属部门编码")
    kinds: list[str]
    watch: str
    prefix: str
    subjects_watched: int
    signing: str
    status: str = Field(description="active 启用 / disabled 已停用 / failing 因投递失败停用")
    status_reason: str
    previous_secret_until: datetime.datetime | None = Field(
        description="轮换后旧密钥继续签名至此时间"
    )
    created_at: datetime.datetime

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.code

    @staticmethod
    def resolve_kinds(obj) -> list[str]:
        return selectors.kinds_of(obj)

    @staticmethod
    def resolve_prefix(obj) -> str:
        return obj.watch_prefix

    @staticmethod
    def resolve_subjects_watched(obj) -> int:
        n = getattr(obj, "watched_count", None)  # the selectors count it; a new one is read
        return obj.watched.count() if n is None else n

    @staticmethod
    def resolve_previous_secret_until(obj):
        return obj.previous_until


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="签名密钥（whsec_…），只在此返回一次")


class DeliveryOut(Schema):
    id: int
    webhook_id: str = Field(description="消息编号（webhook-id 头），重试和重放不变")
    type: str
    status: str = Field(description="pending 待投递 / succeeded 已送达 / failed 投递失败")
    attempts: int
    last_attempt_at: datetime.datetime | None
    last_status_code: int | None
    last_latency_ms: int | None
    last_error: str
    next_attempt_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_webhook_id(obj) -> str:
        return obj.message.webhook_id

    @staticmethod
    def resolve_type(obj) -> str:
        return obj.message.event_type


class ReplayIn(Schema):
    model_config = ConfigDict(extra="forbid")

    since: datetime.datetime = Field(description="重放此时间（含）之后的变动的投递")


class ReplayOut(Schema):
    requeued: int


class KeyOut(Schema):
    algorithm: str
    key_id: str
    public_key: str = Field(description="Ed25519 公钥（32 字节，base64）")
    whpk: str = Field(description="同一公钥，Standard Webhooks 的 whpk_ 形式")


def _with_secret(sub, secret: str):
    """The subscription as answered the one time its secret is shown."""
    sub.secret = secret
    return sub


def _actor(request):
    return require_scope(request, ApiScope.WEBHOOKS)


@router.get("/keys", auth=None, response=KeyOut, summary="平台签名公钥（核验 v1a 签名）")
def keys(request: HttpRequest):
    return signing.public_key()


@router.post("", response={201: SubscriptionCreated}, summary="登记变动订阅（密钥只返回一次）")
def create(request: HttpRequest, payload: SubscriptionIn):
    actor = _actor(request)
    sub, secret = services.webhook_create(actor=actor, data=payload.data())
    return Status(
        201, _with_secret(selectors.webhook_get(actor=actor, subscription_id=sub.pk), secret)
    )


@router.get("", response=list[SubscriptionOut], summary="本部门的变动订阅")
def list_(request: HttpRequest):
    return list(selectors.webhooks_list(actor=_actor(request)))


@router.get("/{subscription_id}", response=SubscriptionOut, summary="变动订阅详情")
def show(request: HttpRequest, subscription_id: RowId):
    return selectors.webhook_get(actor=_actor(request), subscription_id=subscription_id)


@router.post(
    "/{subscription_id}",
    response=SubscriptionOut,
    summary="变更变动订阅（名称、地址、类别、关注主体，全部重新给出）",
)
def update(request: HttpRequest, subscription_id: RowId, payload: SubscriptionIn):
    actor = _actor(request)
    services.webhook_update(actor=actor, subscription_id=subscription_id, data=payload.data())
    return selectors.webhook_get(actor=actor, subscription_id=subscription_id)


@router.post(
    "/{subscription_id}/rotate-secret",
    response=SubscriptionCreated,
    summary="轮换签名密钥（新密钥只返回一次；旧密钥在过渡期内同时签名）",
)
def rotate(request: HttpRequest, subscription_id: RowId):
    actor = _actor(request)
    _sub, secret = services.webhook_secret_rotate(actor=actor, subscription_id=subscription_id)
    return _with_secret(selectors.webhook_get(actor=actor, subscription_id=subscription_id), secret)


@router.post("/{subscription_id}/disable", response=SubscriptionOut, summary="停用变动订阅")
def disable(request: HttpRequest, subscription_id: RowId):
    actor = _actor(request)
    services.webhook_disable(actor=actor, subscription_id=subscription_id)
    return selectors.webhook_get(actor=actor, subscription_id=subscription_id)


@router.post("/{subscription_id}/enable", response=SubscriptionOut, summary="重新启用变动订阅")
def enable(request: HttpRequest, subscription_id: RowId):
    actor = _actor(request)
    services.webhook_enable(actor=actor, subscription_id=subscription_id)
    return selectors.webhook_get(actor=actor, subscription_id=subscription_id)


@router.get(
    "/{subscription_id}/deliveries",
    response=list[DeliveryOut],
    summary="投递记录（最近 100 条，可按状态筛选）",
)
def deliveries(request: HttpRequest, subscription_id: RowId, status: str = ""):
    return list(
        selectors.deliveries(
            actor=_actor(request), subscription_id=subscription_id, status=status[:16]
        )
    )


@router.post("/{subscription_id}/replay", response=ReplayOut, summary="从某一时间起重放")
def replay(request: HttpRequest, subscription_id: RowId, payload: ReplayIn):
    n = services.webhook_replay(
        actor=_actor(request), subscription_id=subscription_id, since=payload.since
    )
    return {"requeued": n}


@router.post("/{subscription_id}/ping", response={202: DeliveryOut}, summary="发送测试消息")
def ping(request: HttpRequest, subscription_id: RowId):
    d = services.webhook_ping(actor=_actor(request), subscription_id=subscription_id)
    return Status(202, d)
