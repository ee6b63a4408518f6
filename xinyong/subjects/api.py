"""Subjects API router: thin; every rule lives in services and selectors."""

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.core.errors import NotFound
from xinyong.subjects import selectors, services
from xinyong.subjects.schemas import (
    OrganizationIn,
    RelatedPersonIn,
    RelatedPersonOut,
    RenameIn,
    SearchOut,
    SubjectDetailOut,
    SubjectOut,
)

router = Router(tags=["subjects 信用主体"])


class SearchParams(Schema):
    q: str = Field(
        max_length=200,
        description="名称（至少2个字）或18位统一社会信用代码；由字母和数字组成的无效代码返回422，"
        "指明违反的规则（uscc.length、uscc.check_character…）",
    )
    page: int = 1
    page_size: int = 20


@router.get("", response=SearchOut, summary="按名称或代码查询主体")
def search_subjects(request: HttpRequest, params: Query[SearchParams]):
    require_scope(request, ApiScope.SUBJECTS_READ)
    page = selectors.subject_search(q=params.q, page=params.page, page_size=params.page_size)
    return SearchOut(
        query=page.query,
        mode=page.mode,
        page=page.page,
        page_size=page.page_size,
        has_next=page.has_next,
        results=[SubjectOut.from_orm(s) for s in page.results],
    )


@router.post("", response={201: SubjectOut}, summary="登记法人、非法人组织或个体工商户")
def register_organization(request: HttpRequest, payload: OrganizationIn):
    actor = require_scope(request, ApiScope.SUBJECTS_WRITE)
    subject = services.organization_register(actor=actor, **payload.dict())
    return Status(201, subject)


def _public_subject(code: str):
    subject = selectors.subject_by_uscc(code)
    if subject is None:
        raise NotFound(gettext("未找到统一社会信用代码为“%(code)s”的主体") % {"code": code})
    return subject


@router.get("/{code}", response=SubjectDetailOut, summary="按统一社会信用代码查看主体")
def get_subject(request: HttpRequest, code: str):
    require_scope(request, ApiScope.SUBJECTS_READ)
    return _public_subject(code)


@router.post("/{code}/rename", response=SubjectOut, summary="主体更名（保留曾用名）")
def rename_subject(request: HttpRequest, code: str, payload: RenameIn):
    actor = require_scope(request, ApiScope.SUBJECTS_WRITE)
    return services.subject_rename(actor=actor, subject=_public_subject(code), **payload.dict())


@router.get(
    "/{code}/related-persons",
    response=list[RelatedPersonOut],
    summary="关联人（不公开，按部门授权）",
)
def list_related_persons(request: HttpRequest, code: str):
    actor = require_scope(request, ApiScope.PERSONS_READ)
    rows = selectors.related_persons_visible(actor=actor, subject=_public_subject(code))
    return [RelatedPersonOut.of(rp) for rp in rows]


@router.post("/{code}/related-persons", response={201: RelatedPersonOut}, summary="登记关联人")
def add_related_person(request: HttpRequest, code: str, payload: RelatedPersonIn):
    actor = require_scope(request, ApiScope.SUBJECTS_WRITE)
    rp = services.related_person_add(
        actor=actor, organization=_public_subject(code), **payload.dict()
    )
    return Status(201, RelatedPersonOut.of(rp))
