"""API of self-declaration for departments' business systems: the declarations waiting for
the department's verification, and its decision (verified, or refused with reasons). A
subject declares through the portal only (its bound account): API clients are departments."""

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.core.errors import ValidationFailed
from xinyong.core.inputs import RowId
from xinyong.declarations import selectors, services

router = Router(tags=["declarations 自主申报"])


class EvidenceOut(Schema):
    name: str
    sha256: str


class DeclarationOut(Schema):
    id: int
    number: str = Field(description="申报编号（核实属实后即信用记录的来源编号）")
    subject_name: str
    subject_uscc: str | None
    kind: str = Field(description="qualification / operations / contract / honor / charity / "
                                  "social_responsibility")  # fmt: skip
    kind_label: str
    title: str
    content: str
    pledge_version: str
    pledged_at: datetime.datetime
    department: str | None = Field(description="申请核实的部门编码（空：信用主管部门）")
    status: str = Field(description="submitted 待核实 / verified 经核实属实 / refused 未通过核实")
    submitted_at: datetime.datetime
    verify_due: datetime.date
    decided_at: datetime.datetime | None
    reason: str
    record_source_id: str
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_subject_name(obj) -> str:
        return obj.subject.name

    @staticmethod
    def resolve_subject_uscc(obj) -> str | None:
        return obj.subject.uscc

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_department(obj) -> str | None:
        return obj.department.code if obj.department_id else None

    @staticmethod
    def resolve_evidence(obj) -> list[dict]:
        return [{"name": e.name, "sha256": e.sha256} for e in obj.evidence.all()]


class DeclarationDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: str = Field(description="verified 经核实属实 / refused 未通过核实")
    reason: str = Field("", max_length=2000, description="核实意见；未通过核实的必填")


@router.get("", response=list[DeclarationOut], summary="本部门待核实的自主申报")
def list_declarations(request: HttpRequest):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return selectors.declarations_to_verify(actor=actor)


@router.post("/{declaration_id}/decision", response=DeclarationOut,
             summary="核实自主申报（属实则记入信用档案，未通过须说明理由）")  # fmt: skip
def decide(request: HttpRequest, declaration_id: RowId, payload: DeclarationDecisionIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    if payload.decision == "verified":
        services.declaration_verify(actor=actor, declaration_id=declaration_id,
                                    note=payload.reason)  # fmt: skip
    elif payload.decision == "refused":
        services.declaration_refuse(actor=actor, declaration_id=declaration_id,
                                    reason=payload.reason)  # fmt: skip
    else:
        raise ValidationFailed.one("decision", "enum", gettext("核实结论应为 verified 或 refused"))
    return selectors.declaration_get(actor=actor, declaration_id=declaration_id)
