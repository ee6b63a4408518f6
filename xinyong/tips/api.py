"""API of rewarded tips for a department's business system: its tips (never the tipster:
:class:`~xinyong.tips.schemas.TipOut` has no field for one), acceptance or declining,
the transfer to the competent department, the decision, the reward and its payment. Tips
are filed on the portal only."""

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.core.errors import ValidationFailed
from xinyong.core.inputs import RowId
from xinyong.tips import selectors, services
from xinyong.tips.schemas import TipOut, TipTransferredOut

router = Router(tags=["tips 失信行为有奖举报"])


class AcknowledgeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: str = Field(description="accepted 受理 / rejected 不予受理")
    reason: str = Field("", max_length=2000, description="理由；不予受理的必填")


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: str = Field(description="substantiated 查证属实 / unsubstantiated 查无实据")
    reason: str = Field(max_length=2000, description="办结理由（查证的事实和依据），必填")
    summary: str = Field("", max_length=2000, description="告知举报人的处理结果；空则同理由")


class RewardIn(Schema):
    model_config = ConfigDict(extra="forbid")

    amount: str = Field(max_length=20, description="奖励金额（元，最多两位小数；不予奖励的为 0）")
    basis: str = Field(max_length=1000, description="奖励依据（奖励办法及适用情形）")


class TransferIn(Schema):
    model_config = ConfigDict(extra="forbid")

    department: str = Field(max_length=32, description="转至部门编码（主管部门）")
    reason: str = Field(max_length=2000, description="转办理由，必填")


class PaidIn(Schema):
    model_config = ConfigDict(extra="forbid")

    paid_on: datetime.date = Field(description="发放日期")


def _enum(value: str, choices: dict, message: str) -> bool:
    if value not in choices:
        raise ValidationFailed.one("decision", "enum", message)
    return choices[value]


@router.get("", response=list[TipOut], summary="本部门办理中的失信行为举报（不含举报人信息）")
def list_tips(request: HttpRequest):
    actor = require_scope(request, ApiScope.TIPS)
    return selectors.tips_to_handle(actor=actor)


@router.get("/{tip_id}", response=TipOut, summary="一件失信行为举报（不含举报人信息）")
def get_tip(request: HttpRequest, tip_id: RowId):
    actor = require_scope(request, ApiScope.TIPS)
    return selectors.tip_get(actor=actor, tip_id=tip_id)


@router.post("/{tip_id}/acknowledgement", response=TipOut,
             summary="受理或不予受理（不予受理须说明理由）")  # fmt: skip
def acknowledge(request: HttpRequest, tip_id: RowId, payload: AcknowledgeIn):
    actor = require_scope(request, ApiScope.TIPS)
    accept = _enum(payload.decision, {"accepted": True, "rejected": False},
                   gettext("受理意见应为 accepted 或 rejected"))  # fmt: skip
    services.tip_acknowledge(actor=actor, tip_id=tip_id, accept=accept, reason=payload.reason)
    return selectors.tip_get(actor=actor, tip_id=tip_id)


@router.post("/{tip_id}/transfer", response=TipTransferredOut,
             summary="转办至主管部门（办结前；须说明理由；期限自转办之日起重新计算）")  # fmt: skip
def transfer(request: HttpRequest, tip_id: RowId, payload: TransferIn):
    actor = require_scope(request, ApiScope.TIPS)
    done = services.tip_transfer(actor=actor, tip_id=tip_id, department_code=payload.department,
                                 reason=payload.reason)  # fmt: skip
    return TipTransferredOut.of(done)


@router.post("/{tip_id}/decision", response=TipOut,
             summary="办结：查证属实（记入信用档案）或查无实据，须说明理由")  # fmt: skip
def decide(request: HttpRequest, tip_id: RowId, payload: DecisionIn):
    actor = require_scope(request, ApiScope.TIPS)
    substantiated = _enum(payload.decision, {"substantiated": True, "unsubstantiated": False},
                          gettext("办结结论应为 substantiated 或 unsubstantiated"))  # fmt: skip
    services.tip_decide(actor=actor, tip_id=tip_id, substantiated=substantiated,
                        reason=payload.reason, summary=payload.summary)  # fmt: skip
    return selectors.tip_get(actor=actor, tip_id=tip_id)


@router.post("/{tip_id}/reward", response=TipOut, summary="核定举报奖励（金额和依据）")
def reward(request: HttpRequest, tip_id: RowId, payload: RewardIn):
    actor = require_scope(request, ApiScope.TIPS)
    services.tip_reward(actor=actor, tip_id=tip_id, amount=payload.amount, basis=payload.basis)
    return selectors.tip_get(actor=actor, tip_id=tip_id)


@router.post("/{tip_id}/reward/paid", response=TipOut, summary="登记举报奖励已发放")
def reward_paid(request: HttpRequest, tip_id: RowId, payload: PaidIn):
    actor = require_scope(request, ApiScope.TIPS)
    services.tip_reward_paid(actor=actor, tip_id=tip_id, paid_on=payload.paid_on)
    return selectors.tip_get(actor=actor, tip_id=tip_id)
