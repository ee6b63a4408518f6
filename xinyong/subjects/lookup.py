"""The back office's subject search: by name, by USCC, by a person's identifier (through its
keyed hash, never compared in clear) or by a decision number (a record's, as its provider
numbered it, or a list decision's). Every search is audited, as the reads of the subject
page it leads to are; a person's identifier is never written to the trail."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import crypto
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.subjects import search
from xinyong.subjects.choices import IdType, SubjectKind
from xinyong.subjects.identifiers import normalize_code
from xinyong.subjects.models import Subject

LIMIT = 50  # subjects listed; a broader name search is refined, not paged
PUBLIC_KINDS = [SubjectKind.ORGANIZATION.value, SubjectKind.INDIVIDUAL_BUSINESS.value]


class By:
    """What the query is (the form's choices name them)."""

    NAME = "name"  # a substring of the name (persons' names only to who reads persons)
    USCC = "uscc"  # the unified social credit code, exactly
    PERSON_ID = "person_id"  # a person's identifier, through its keyed hash
    DECISION_NO = "decision_no"  # a record's decision number or a list decision's


@dataclass(frozen=True)
class Found:
    subjects: list[Subject]
    more: bool  # more than LIMIT matched: refine the query


def _decision_subject_ids(actor: Actor, number: str) -> list[int]:
    """Subjects of the records (numbered by their provider: ``source_id``) and list entries
    (decision or notice number) the reader may see. The record lookup names every provider
    and item, so that the unique (provider, item, number) index serves it at any size."""
    from xinyong.accounts.models import Department
    from xinyong.catalog.selectors import item_names
    from xinyong.lists.selectors import entries_visible
    from xinyong.records.models import Record

    records = Record.objects.visible_to(actor).filter(
        provider_id__in=list(Department.objects.values_list("pk", flat=True)),
        item_code__in=list(item_names()),
        source_id=number,
    )
    ids = list(records.values_list("subject_id", flat=True)[: LIMIT + 1])
    entries = entries_visible(actor).filter(decision_no=number)
    ids += entries.values_list("subject_id", flat=True)[: LIMIT + 1]
    return list(dict.fromkeys(ids))


def _errors(actor: Actor, by: str, q: str) -> list[FieldError]:
    if by == By.PERSON_ID and not access.allowed(actor, Action.PERSON_REVEAL):
        return [FieldError("by", "permission", _("无权按身份证件号码查询自然人"))]
    if by == By.NAME and len(q) < search.MIN_QUERY_LENGTH:
        return [FieldError("q", "search.min_length", _("名称至少输入2个字"))]
    if by == By.USCC and len(normalize_code(q)) != 18:
        return [FieldError("q", "search.uscc", _("统一社会信用代码应为18位"))]
    return []


def subject_lookup(*, actor: Actor, by: str, q: str, id_type: str = IdType.RESIDENT_ID) -> Found:
    """The subjects the query names (at most :data:`LIMIT`), for a back-office reader; the
    search itself is audited (what was searched by, what was found — not a person's
    identifier)."""
    q = " ".join(q.split())
    if errors := _errors(actor, by, q):
        raise ValidationFailed(errors)
    persons = access.allowed(actor, Action.PERSON_REVEAL)
    kinds = [*PUBLIC_KINDS, SubjectKind.PERSON.value] if persons else PUBLIC_KINDS
    if by == By.NAME:
        ids = search.name_search_ids(q, kinds=kinds, limit=LIMIT + 1)
    elif by == By.USCC:
        ids = list(Subject.objects.filter(uscc=normalize_code(q)).values_list("pk", flat=True))
    elif by == By.PERSON_ID:
        digest = crypto.identifier_hash(id_type, normalize_code(q))
        ids = list(
            Subject.objects.filter(id_type=id_type, id_hash=digest).values_list("pk", flat=True)
        )
    else:
        ids = _decision_subject_ids(actor, q)
    found = Subject.objects.filter(kind__in=kinds).in_bulk(ids[:LIMIT])
    subjects = [found[i] for i in ids[:LIMIT] if i in found]
    detail = {"search": by, "found": [s.pk for s in subjects]}
    if by != By.PERSON_ID:
        detail["query"] = q
    with transaction.atomic():
        audit_event_append(actor=actor, action=AuditAction.CREDIT_FILE_READ,
                           object_type="subject", detail=detail)  # fmt: skip
    return Found(subjects, len(ids) > LIMIT)
