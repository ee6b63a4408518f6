"""Input and output schemas of the subjects API. Output schemas decide what is public:
persons never appear in public output and identifiers are only ever masked."""

import datetime

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from xinyong.subjects.choices import IdType, RelatedRole, SubjectKind, SubjectStatus
from xinyong.subjects.identifiers import IdentifierError, validate_uscc

STRICT = ConfigDict(extra="forbid", str_max_length=500)


def _identifier(fn, value: str) -> str:
    try:
        return fn(value)
    except IdentifierError as e:
        raise PydanticCustomError(
            "identifier", "{message}", {"rule": e.rule, "message": e.message}
        ) from None


class OrganizationIn(Schema):
    model_config = STRICT
    uscc: str = Field(description="统一社会信用代码（GB 32100-2015）")
    name: str = Field(min_length=1, max_length=200, description="名称")
    legal_form: str = Field("", max_length=50)
    established_on: datetime.date | None = None
    address: str = Field("", max_length=200)
    status: SubjectStatus = SubjectStatus.ACTIVE

    @field_validator("uscc")
    @classmethod
    def _uscc(cls, v: str) -> str:
        return _identifier(validate_uscc, v)


class RelatedPersonIn(Schema):
    model_config = STRICT
    role: RelatedRole
    id_type: IdType = IdType.RESIDENT_ID
    id_number: str = Field(max_length=32)
    name: str = Field(min_length=1, max_length=50)
    valid_from: datetime.date
    valid_to: datetime.date | None = None


class RenameIn(Schema):
    model_config = STRICT
    new_name: str = Field(min_length=1, max_length=200)
    effective_on: datetime.date


class SubjectOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    uscc: str | None
    status: str
    status_label: str
    legal_form: str
    established_on: datetime.date | None
    address: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(SubjectKind(obj.kind).label)

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(SubjectStatus(obj.status).label)


class NameHistoryOut(Schema):
    name: str
    valid_from: datetime.date | None
    valid_to: datetime.date


class SubjectDetailOut(SubjectOut):
    name_history: list[NameHistoryOut]

    @staticmethod
    def resolve_name_history(obj) -> list:
        return list(obj.name_history.all())


class SearchOut(Schema):
    query: str
    mode: str
    page: int
    page_size: int
    has_next: bool
    results: list[SubjectOut]


class RelatedPersonOut(Schema):
    id: int
    role: str
    role_label: str
    name: str
    id_type: str
    id_masked: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    provider: str

    @staticmethod
    def of(rp) -> "RelatedPersonOut":
        return RelatedPersonOut(
            id=rp.pk,
            role=rp.role,
            role_label=str(RelatedRole(rp.role).label),
            name=rp.person.name,
            id_type=rp.person.id_type,
            id_masked=rp.person.id_masked,
            valid_from=rp.valid_from,
            valid_to=rp.valid_to,
            provider=rp.provider.name,
        )
