"""API of early warning for a department's business system (scope ``alerts``): pull the
department's alerts with their rule, explanation and evidence, acknowledge one, close one
with an outcome and a note. Another department's alert is not found; the public and
portal accounts have no API access to alerts."""

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from xinyong.accounts.choices import ApiScope
from xinyong.alerts import selectors, services
from xinyong.alerts.choices import AlertStatus, Outcome
from xinyong.api.auth import require_scope
from xinyong.core.inputs import RowId

router = Router(tags=["alerts 失信预警"])


class AlertEvidenceOut(Schema):
    kind: str = Field(description="record 信用记录 / commitment 信用承诺 / entry 名单条目 / "
                      "result 评价结果")  # fmt: skip
    id: int
    label: str
    on: str = Field(description="日期（YYYY-MM-DD，可为空）")


class AlertOut(Schema):
    id: int
    number: str = Field(description="预警编号")
    rule: str = Field(description="预警规则编码")
    rule_name: str
    rule_version: int
    explanation: str = Field(description="规则说明：为什么预警")
    subject_name: str
    subject_uscc: str | None
    department: str = Field(description="预警部门编码")
    status: str = Field(description="open 待处理 / acknowledged 已签收 / closed 已关闭")
    summary: str
    evidence: list[AlertEvidenceOut]
    raised_at: datetime.datetime
    updated_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    outcome: str = Field(description="confirmed 风险属实 / false_alarm 误报 / lapsed 规则不再成立"
                                     "（系统自动关闭，说明见 note）")  # fmt: skip
    note: str

    @staticmethod
    def resolve_rule(obj) -> str:
        return obj.rule.code

    @staticmethod
    def resolve_rule_name(obj) -> str:
        return obj.rule.name

    @staticmethod
    def resolve_explanation(obj) -> str:
        return selectors.explanation(obj.rule)

    @staticmethod
    def resolve_subject_name(obj) -> str:
        return obj.subject.name

    @staticmethod
    def resolve_subject_uscc(obj) -> str | None:
        return obj.subject.uscc

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.code

    @staticmethod
    def resolve_evidence(obj) -> list[dict]:
        return [{k: e.get(k) or "" for k in ("kind", "label", "on")} | {"id": e["id"]}
                for e in obj.evidence]  # fmt: skip


class AlertListParams(Schema):
    status: AlertStatus | None = Field(None, description="状态", examples=["open"])
    rule: str | None = Field(None, max_length=48, description="预警规则编码",
                             examples=["repeated_penalties"])  # fmt: skip


class AlertCloseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: str = Field(description="confirmed 风险属实 / false_alarm 误报",
                         examples=[Outcome.CONFIRMED.value])  # fmt: skip
    note: str = Field(max_length=2000, description="处理说明（必填）")


@router.get("", response=list[AlertOut], summary="本部门的失信预警（最新的在前，最多 500 条）")
def list_alerts(request: HttpRequest, params: Query[AlertListParams]):
    actor = require_scope(request, ApiScope.ALERTS)
    return selectors.alert_queue(actor=actor, status=params.status or "",
                                 rule=params.rule or "")  # fmt: skip


@router.get("/{alert_id}", response=AlertOut, summary="一条失信预警及其依据（查阅留痕）")
def get_alert(request: HttpRequest, alert_id: RowId):
    actor = require_scope(request, ApiScope.ALERTS)
    return selectors.alert_get(actor=actor, alert_id=alert_id)


@router.post("/{alert_id}/acknowledge", response=AlertOut, summary="签收失信预警")
def acknowledge(request: HttpRequest, alert_id: RowId):
    actor = require_scope(request, ApiScope.ALERTS)
    services.alert_acknowledge(actor=actor, alert_id=alert_id)
    return selectors.alert_get(actor=actor, alert_id=alert_id, audit=False)


@router.post("/{alert_id}/close", response=AlertOut,
             summary="关闭失信预警（须填写处理结论和处理说明）")  # fmt: skip
def close(request: HttpRequest, alert_id: RowId, payload: AlertCloseIn):
    actor = require_scope(request, ApiScope.ALERTS)
    services.alert_close(actor=actor, alert_id=alert_id, outcome=payload.outcome,
                         note=payload.note)  # fmt: skip
    return selectors.alert_get(actor=actor, alert_id=alert_id, audit=False)
