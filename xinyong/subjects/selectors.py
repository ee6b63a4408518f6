"""Reads for subjects. Public reads return only what the rules publish; reads of
non-public data (related persons, identifiers in clear) are scoped to the actor's
department and appended to the audit trail."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import cache as page_cache
from xinyong.core import crypto
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from xinyong.subjects import search
from xinyong.subjects.choices import DefectKind, IdType, SubjectKind
from xinyong.subjects.identifiers import (
    IdentifierError,
    normalize_code,
    uscc_problem,
    validate_uscc,
)
from xinyong.subjects.models import CodeDefect, RelatedPerson, Subject

PUBLIC_KINDS = [SubjectKind.ORGANIZATION.value, SubjectKind.INDIVIDUAL_BUSINESS.value]
QUERY_MAX = 50


@dataclass(frozen=True)
class SearchPage:
    query: str
    mode: str  # "code" or "name"
    results: list[Subject]
    page: int
    page_size: int
    has_next: bool


def subject_get(*, pk: int, public: bool = True) -> Subject:
    qs = Subject.objects.filter(pk=pk)
    if public:
        qs = qs.filter(kind__in=PUBLIC_KINDS)
    subject = qs.select_related("source_department").first()
    if subject is None:
        raise NotFound(gettext("主体 %(pk)s 不存在") % {"pk": pk})
    return subject


_SUBJECT_COLUMNS = ", ".join(f.column for f in Subject._meta.concrete_fields)
_BY_USCC = f"SELECT {_SUBJECT_COLUMNS} FROM subjects_subject WHERE uscc = %s"  # noqa: S608


def subject_by_uscc(code: str) -> Subject | None:
    """Exact-code lookup, on the hot path of every check: a fixed raw query skips the ORM's
    query compilation (about 1 ms of the 1.5 ms an ORM lookup costs)."""
    found = list(Subject.objects.raw(_BY_USCC, [normalize_code(code)]))
    return found[0] if found else None


def looks_like_code(query: str) -> bool:
    """Whether a search text was meant as a USCC rather than a name: Latin letters and
    digits only (after the spreadsheet clean-up of :func:`normalize_code`), with a digit,
    at least 8 long. Names of Chinese subjects hold Chinese characters."""
    code = normalize_code(query)
    return len(code) >= 8 and code.isascii() and code.isalnum() and any(c.isdigit() for c in code)


def subject_search(
    *, q: str, page: int = 1, page_size: int = 20, kind: str | None = None
) -> SearchPage:
    """Public search: a text meant as a code is an exact lookup — refused, naming the rule
    it breaks (length, characters, check character…), when it is no valid USCC — anything
    else a name substring search (at least 2 characters). ``kind`` narrows to
    organisations or individual businesses. Persons are never found here."""
    query = " ".join((q or "").split())
    kinds = [kind] if kind in PUBLIC_KINDS else PUBLIC_KINDS
    errors = []
    if len(query) < search.MIN_QUERY_LENGTH:
        errors.append(
            FieldError(
                "q", "search.min_length", gettext("请输入至少2个字的名称或18位统一社会信用代码")
            )
        )
    elif len(query) > QUERY_MAX:
        errors.append(
            FieldError(
                "q", "search.max_length", gettext("查询内容最长%(n)s个字符") % {"n": QUERY_MAX}
            )
        )
    max_page = search.CANDIDATE_WINDOW // page_size if 1 <= page_size <= 100 else 100
    if page < 1 or page > max_page:
        errors.append(
            FieldError(
                "page",
                "search.page",
                gettext("页码应在1到%(n)s之间；结果过多时请细化查询条件") % {"n": max_page},
            )
        )
    if not 1 <= page_size <= 100:
        errors.append(
            FieldError("page_size", "search.page_size", gettext("每页条数应在1到100之间"))
        )
    if not errors and looks_like_code(query):
        try:
            code = validate_uscc(query)
        except IdentifierError as e:
            errors.append(FieldError("q", e.rule, e.message))
    if errors:
        raise ValidationFailed(errors)
    if looks_like_code(query):
        found = list(Subject.objects.filter(uscc=code, kind__in=kinds))
        return SearchPage(query, "code", found, 1, page_size, False)
    ids = search.name_search_ids(
        query, kinds=kinds, limit=page_size + 1, offset=(page - 1) * page_size
    )
    by_id = Subject.objects.in_bulk(ids[:page_size])
    results = [by_id[i] for i in ids[:page_size] if i in by_id]
    return SearchPage(query, "name", results, page, page_size, len(ids) > page_size)


@dataclass(frozen=True)
class SearchCounts:
    """Matches per public kind for the search tabs; ``capped``: the name search examined
    its whole window of candidates, so there may be more than counted."""

    organization: int
    individual_business: int
    capped: bool


def subject_search_counts(page: SearchPage) -> SearchCounts:
    """How many subjects of each public kind a search finds (for the tabs): the code
    lookup's answer, or one query over the name search's candidate window."""
    if page.mode == "code":
        one = Subject.objects.filter(uscc=normalize_code(page.query), kind__in=PUBLIC_KINDS)
        kinds = list(one.values_list("kind", flat=True))
        return SearchCounts(
            kinds.count(SubjectKind.ORGANIZATION), kinds.count(SubjectKind.INDIVIDUAL_BUSINESS),
            False,
        )  # fmt: skip
    counts, capped = search.name_match_counts(page.query, kinds=PUBLIC_KINDS)
    return SearchCounts(
        counts[SubjectKind.ORGANIZATION], counts[SubjectKind.INDIVIDUAL_BUSINESS], capped
    )


def related_persons_visible(*, actor: Actor, subject: Subject) -> list[RelatedPerson]:
    """Related persons of ``subject`` provided by departments the actor may see. Non-public,
    so the read itself is audited."""
    access.require(actor, Action.PERSON_REVEAL, message="关联人信息不公开，审计员和公众不能查看")
    qs = (
        RelatedPerson.objects.visible_to(actor)
        .filter(organization=subject)
        .select_related("person", "provider")
    )
    rows = list(qs.order_by("role", "-valid_from"))
    with transaction.atomic():
        audit_event_append(
            actor=actor,
            action=AuditAction.RELATED_PERSONS_READ,
            object_type="subject",
            object_id=subject.pk,
            detail={"count": len(rows)},
        )
    return rows


def person_identifier_reveal(*, actor: Actor, person: Subject, purpose: str) -> str:
    """The identifier in clear, for an authorised actor with a stated purpose: allowed to
    the platform operator, and to a department that provided or may see a record linking
    this person. Always audited."""
    if person.kind != SubjectKind.PERSON or not person.id_encrypted:
        raise NotFound(gettext("不是自然人主体"))
    if not purpose.strip():
        raise ValidationFailed(
            [
                FieldError(
                    "purpose", "reveal.purpose_required", gettext("查看身份证件号码须说明用途")
                )
            ]
        )
    access.require(actor, Action.PERSON_REVEAL, message="无权查看身份证件号码")
    linked = RelatedPerson.objects.visible_to(actor).filter(person=person)
    if not actor.writes_all_departments and not linked.exists():
        raise PermissionDenied(gettext("本部门没有与该自然人相关的信息，无权查看其身份证件号码"))
    with transaction.atomic():
        audit_event_append(
            actor=actor,
            action=AuditAction.PERSON_IDENTIFIER_READ,
            object_type="subject",
            object_id=person.pk,
            detail={"purpose": purpose.strip()[:200]},
        )
    return crypto.decrypt(person.id_encrypted)


def person_find(*, id_type: str, id_number: str) -> Subject | None:
    """Find a person by identifier through its keyed hash (no clear value is compared)."""
    if id_type not in IdType.values:
        return None
    return Subject.objects.filter(
        id_type=id_type, id_hash=crypto.identifier_hash(id_type, normalize_code(id_number))
    ).first()


# --- code defects (重错码) ---------------------------------------------------------------


def code_defects(*, kind: str | None = None) -> QuerySet:
    """Findings of the latest code-defect scan (``code_defects_scan``)."""
    qs = CodeDefect.objects.all()
    return qs.filter(kind=kind) if kind else qs


def code_defects_shown(*, kind: str | None = None, limit: int = 500) -> list[CodeDefect]:
    """Findings as the back-office page shows them: each source's invalid code with what is
    wrong with it in words (``error``: 第18位校验码应为…), not its rule id."""
    defects = list(code_defects(kind=kind)[:limit])
    for d in defects:
        for source in d.sources:
            if source.get("error_rule"):
                source["error"] = uscc_problem(source.get("code", "")) or gettext("代码无效")
    return defects


def code_defect_summary() -> dict:
    rows = CodeDefect.objects.values("kind").annotate(n=Count("id"))
    counts = {r["kind"]: r["n"] for r in rows}
    last = CodeDefect.objects.order_by("-detected_at").values_list("detected_at", flat=True).first()
    return {"counts": {k: counts.get(k, 0) for k in DefectKind.values}, "scanned_at": last}


def subject_counts() -> dict[str, int]:
    """Subjects per kind, for the portal home and the dashboard. Counting a million rows
    takes a fraction of a second, so the figure is cached for five minutes."""

    def count() -> dict[str, int]:
        rows = Subject.objects.values("kind").annotate(n=Count("id"))
        counts = {r["kind"]: r["n"] for r in rows}
        return {k: counts.get(k, 0) for k in SubjectKind.values}

    return page_cache.figure("subjects:counts", count)
