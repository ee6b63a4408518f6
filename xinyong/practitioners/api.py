"""API of practitioner credit files for an industry department's business system: register
a practitioner of its profession, and read back a registration. Records reach the file
through the ingestion API (item ``practitioner_record`` and the profession's others)."""

import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.api.resolvers import related
from xinyong.core.inputs import RowId
from xinyong.practitioners import selectors, services

router = Router(tags=["practitioners 从业人员信用档案"])


class PractitionerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    profession: str = Field(max_length=48, description="职业编码（如 doctor）")
    id_type: str = Field(max_length=16, description="resident_id 居民身份证 / passport 护照")
    id_number: str = Field(max_length=40, description="证件号码（仅用于识别，不回显）")
    name: str = Field(max_length=50, description="姓名")
    licence_no: str = Field(max_length=64, description="执业（资格）证书编号")
    employer_uscc: str = Field(
        "", max_length=18, description="执业单位统一社会信用代码（须已登记）"
    )
    valid_from: datetime.date = Field(description="执业起始日期")
    valid_to: datetime.date | None = Field(None, description="执业截止日期")


class PractitionerOut(Schema):
    id: int
    profession: str
    name: str
    id_masked: str = Field(description="证件号码（脱敏）")
    licence_no: str
    employer: str | None
    valid_from: datetime.date
    valid_to: datetime.date | None

    resolve_profession = related("profession.code")
    resolve_name = related("person.name")
    resolve_id_masked = related("person.id_masked")
    resolve_employer = related("employer.name")


@router.post("", response=PractitionerOut, summary="登记从业人员（本部门主管的职业）")
def register(request: HttpRequest, payload: PractitionerIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return services.practitioner_register(actor=actor, **payload.dict())


@router.get(
    "/{practitioner_id}",
    response=PractitionerOut,
    summary="从业人员登记信息（每次读取记入审计日志）",
)
def detail(request: HttpRequest, practitioner_id: RowId):
    actor = require_scope(request, ApiScope.PERSONS_READ)
    return selectors.practitioner_file(actor=actor, practitioner_id=practitioner_id)["practitioner"]
