import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from pydantic import Field

from xinyong.audit.checkpoints import Checkpoint
from xinyong.audit.choices import OBJECT_LABELS, AuditAction
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.core.inputs import form_date


class CheckpointOut(Schema):
    seq: int = Field(description="最后一个审计事件的序号")
    hash: str = Field(description="该事件的链哈希")
    count: int = Field(description="当时的事件总数（链完整时等于 seq）")
    at: str = Field(description="签名时间（ISO 8601，UTC）")
    key_id: str = Field(description="签名公钥的标识（公钥 SHA-256 的前 16 位十六进制）")
    signature: str = Field(
        description="Ed25519 签名（url-safe base64），签名内容为除 signature 外各字段的 JSON"
        "（键排序、无空格、UTF-8）"
    )
    v: int = Field(description="格式版本")

    @classmethod
    def of(cls, cp: Checkpoint) -> "CheckpointOut":
        return cls(**cp.__dict__)


class CheckpointsOut(Schema):
    public_key: str = Field(description="验签公钥：32 字节 Ed25519 公钥，url-safe base64")
    key_id: str
    checkpoints: list[CheckpointOut]
    next_since: int | None = Field(description="下一页从此序号之后读取；没有更多时为 null")


class CheckpointLatestOut(Schema):
    public_key: str
    key_id: str
    checkpoint: CheckpointOut


# The audit log page's filters: query-string name → label (messages name the field).
FILTER_LABELS = {
    "actor": gettext_lazy("操作者"),
    "action": gettext_lazy("操作"),
    "object_type": gettext_lazy("对象类型"),
    "object_id": gettext_lazy("对象ID"),
    "date_from": gettext_lazy("起始日期"),
    "date_to": gettext_lazy("截止日期"),
}


@dataclass(frozen=True)
class AuditFilter:
    actor_label: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def kwargs(self) -> dict:
        """Keyword arguments of :func:`xinyong.audit.selectors.audit_events`."""
        return {k: v or None for k, v in self.__dict__.items()}


def audit_filter(params) -> AuditFilter:
    """The audit log's filters from a query string. Every bad value is refused naming its
    field (all of them at once), so a typed date or a stale link answers in words, not a
    crash or a silently wider list."""
    errors: list[FieldError] = []
    text = {k: str(params.get(k) or "").strip() for k in FILTER_LABELS}
    if len(text["actor"]) > 150:
        errors.append(FieldError("actor", "too_long", _("操作者名称过长")))
    if text["action"] and text["action"] not in AuditAction.values:
        errors.append(FieldError("action", "unknown", _("没有这种操作，请从列表中选择")))
    if text["object_type"] and text["object_type"] not in OBJECT_LABELS:
        errors.append(FieldError("object_type", "unknown", _("没有这种对象类型，请从列表中选择")))
    if len(text["object_id"]) > 64:
        errors.append(FieldError("object_id", "too_long", _("对象ID过长")))
    dates = {}
    for name in ("date_from", "date_to"):
        try:
            dates[name] = form_date(text[name], name)
        except ValidationFailed as e:
            errors.extend(e.errors)
            dates[name] = None
    if dates["date_from"] and dates["date_to"] and dates["date_to"] < dates["date_from"]:
        errors.append(FieldError("date_to", "before_start", _("截止日期不能早于起始日期")))
    if errors:
        raise ValidationFailed(errors)
    return AuditFilter(
        actor_label=text["actor"],
        action=text["action"],
        object_type=text["object_type"],
        object_id=text["object_id"],
        **dates,
    )
