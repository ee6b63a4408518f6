"""Reads of practitioner credit files, strictly as the access layer allows: the person's
own (bound portal account), a department's within its remit and sharing rules, the
operator's; never the auditor's nor the public's, except the fields a profession's rule
publishes. Every staff read of a file is audited."""

import re

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import ANONYMOUS, Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog.selectors import item_names, version_definition
from xinyong.core.errors import NotFound, ValidationFailed
from xinyong.core.inputs import DB_INT_MAX
from xinyong.practitioners.choices import PublicField
from xinyong.practitioners.models import Practitioner, Profession
from xinyong.records.choices import RecordStatus
from xinyong.records.models import Record
from xinyong.subjects.identifiers import IdentifierError, validate_resident_id


def professions() -> list[Profession]:
    return list(Profession.objects.select_related("department").order_by("code"))


def registrable(*, actor: Actor) -> list[Profession]:
    """The professions whose practitioners the actor registers (its department's)."""
    return [
        p
        for p in Profession.objects.filter(active=True).select_related("department")
        if access.allowed(actor, Action.PRACTITIONER_REGISTER, p)
    ]


def practitioners(*, actor: Actor, limit: int = 200) -> list[Practitioner]:
    """The practitioners the reader sees (its profession's, those shared with it), newest
    first — names and licences only; each file's read is audited when opened."""
    return list(
        Practitioner.objects.visible_to(actor)
        .select_related("profession", "person", "employer")
        .order_by("-registered_at", "-pk")[:limit]
    )


def _records(p: Practitioner) -> list[dict]:
    """The file's records: the person's records of the profession's items that its
    department provided (fed through ingestion), in force — each as its item's name and
    its fields' names and values (names, never codes)."""
    rows = Record.objects.filter(
        subject_id=p.person_id,
        item_code__in=p.profession.items,
        provider_id=p.department_id,
        status=RecordStatus.ACTIVE,
    ).order_by("-decision_date", "-pk")[:500]
    names = item_names()
    out = []
    for r in rows:
        definition = version_definition(r.item_version_id)
        fields = [
            (f.name, r.data.get(f.code))
            for f in definition.fields
            if r.data.get(f.code) not in (None, "")
        ]
        out.append(
            {
                "id": r.pk,
                "item": names.get(r.item_code, r.item_code),
                "date": r.decision_date,
                "fields": fields,
            }
        )
    return out


def practitioner_file(*, actor: Actor, practitioner_id: int) -> dict:
    """A practitioner's file for whoever may read it (:data:`Action.PRACTITIONER_FILE_READ`);
    anyone else: not found. A staff read is audited (who read whose file)."""
    p = None
    if 0 < practitioner_id <= DB_INT_MAX:
        p = (
            Practitioner.objects.visible_to(actor)
            .select_related("profession", "person", "employer", "department")
            .filter(pk=practitioner_id)
            .first()
        )
    if p is None or not access.allowed(actor, Action.PRACTITIONER_FILE_READ, p):
        raise NotFound(_("没有从业人员 %(id)s") % {"id": practitioner_id})
    records = _records(p)
    if actor.is_staff:
        with transaction.atomic():
            audit_event_append(
                actor=actor,
                action=AuditAction.CREDIT_FILE_READ,
                object_type="practitioner",
                object_id=p.pk,
                detail={"person": p.person_id, "records": len(records)},
            )
    return {"practitioner": p, "records": records}


def own_files(*, actor: Actor, subject) -> list[dict]:
    """A person's own practitioner files, through its bound portal account."""
    rows = (
        Practitioner.objects.visible_to(actor)
        .filter(person=subject)
        .select_related("profession", "employer", "department")
    )
    return [
        {"practitioner": p, "records": _records(p)}
        for p in rows
        if access.allowed(actor, Action.PRACTITIONER_FILE_READ, p)
    ]


_ID_WINDOW = re.compile(r"(?=(\d{17}[\dXx]))")


def carries_identifier(text: str) -> bool:
    """Whether ``text`` holds a resident ID number (some certificates are numbered by the
    holder's ID): such a text is neither shown nor searched for — a person identifier is
    never public, not even masked."""
    for m in _ID_WINDOW.finditer(text or ""):
        try:
            validate_resident_id(m.group(1))
            return True
        except IdentifierError:
            continue
    return False


def _public_values(p: Practitioner, profession: Profession) -> dict:
    """Every field a rule may publish, by :class:`PublicField` (which of them is shown is
    the profession's rule: :func:`_shown`). Names, never codes; never the identifier, not
    even as a certificate number that is one."""
    validity = (
        f"{p.valid_from:%Y-%m-%d}至{p.valid_to:%Y-%m-%d}"
        if p.valid_to
        else f"{p.valid_from:%Y-%m-%d}起"
    )
    return {
        PublicField.NAME: p.person.name,
        PublicField.PROFESSION: profession.name,
        PublicField.LICENCE: _("（含身份证件号码，不予公开）")
        if carries_identifier(p.licence_no)
        else p.licence_no,
        PublicField.EMPLOYER: p.employer.name if p.employer_id else "",
        PublicField.VALIDITY: validity,
    }


def _public_fields(profession: Profession) -> list[str]:
    """The fields the profession's rule publishes, in the rule's order."""
    return [f for f in profession.public_fields if f in PublicField.values]


def _shown(p: Practitioner, profession: Profession) -> list[tuple[str, str]]:
    values = _public_values(p, profession)
    return [(str(PublicField(f).label), values[f]) for f in _public_fields(profession)]


def published(*, profession: Profession, licence_no: str) -> dict | None:
    """What the public may see of a practitioner: only the fields the profession's rule
    publishes (with the rule); nothing at all when it publishes none."""
    if not access.allowed(ANONYMOUS, Action.PRACTITIONER_PUBLIC_READ, profession):
        return None
    p = (
        Practitioner.objects.filter(Q(profession=profession), licence_no=licence_no)
        .select_related("person", "employer")
        .first()
    )
    if p is None:
        return None
    return {"basis": profession.publish_basis, "fields": _shown(p, profession)}


# -- the portal's column (从业人员信息公示): the public read of what rules publish ----------

PUBLIC_ROWS = 50  # a search confirms practitioners; it does not list a profession
Q_MIN, Q_MAX = 2, 64


def public_professions(*, actor: Actor) -> list[dict]:
    """The professions whose rule publishes something (:data:`Action.PRACTITIONER_PUBLIC_READ`),
    each with its name, its department's name, what it publishes and the rule's text, and
    what the search matches (the published name and/or licence number, whole). A
    profession publishing nothing is not listed."""
    out = []
    rows = Profession.objects.filter(active=True).select_related("department").order_by("name")
    for p in rows:
        if not access.allowed(actor, Action.PRACTITIONER_PUBLIC_READ, p):
            continue
        fields = _public_fields(p)
        out.append(
            {
                "code": p.code,
                "name": p.name,
                "department": p.department.name,
                "basis": p.publish_basis,
                "fields": [str(PublicField(f).label) for f in fields],
                "searchable": [
                    str(PublicField(f).label)
                    for f in fields
                    if f in (PublicField.NAME, PublicField.LICENCE)
                ],
            }
        )
    return out


def _public_profession(actor: Actor, code) -> Profession | None:
    if not isinstance(code, str) or not code:
        return None
    p = Profession.objects.filter(code=code[:48]).select_related("department").first()
    if p is None or not access.allowed(actor, Action.PRACTITIONER_PUBLIC_READ, p):
        return None
    return p


def public_search(*, actor: Actor, profession: str, q: str) -> dict:
    """Practitioners of a profession that publishes, by the whole published name or the
    whole licence or certificate number (never by a person identifier), at most
    :data:`PUBLIC_ROWS`, each with only the published fields. Refused, naming the field
    and the rule, for a profession that publishes nothing (the same answer as one that
    does not exist), one whose rule publishes neither name nor number, or a query too short
    or too long."""
    found = _public_profession(actor, profession)
    if found is None:
        raise ValidationFailed.one(
            "profession",
            "profession.not_public",
            _("请选择依规公开从业人员信息的职业（其他职业的从业人员信息不公开，不提供查询）"),
        )
    fields = _public_fields(found)
    if PublicField.NAME not in fields and PublicField.LICENCE not in fields:
        raise ValidationFailed.one(
            "profession",
            "profession.not_searchable",
            _("该职业依规公开的信息不含姓名和证书编号，不提供查询"),
        )
    q = (q or "").strip() if isinstance(q, str) else ""
    if carries_identifier(q):
        raise ValidationFailed.one(
            "q", "q.person_identifier", _("不提供按身份证件号码查询从业人员")
        )
    if not Q_MIN <= len(q) <= Q_MAX:
        raise ValidationFailed.one(
            "q",
            "q.length",
            _("请输入完整的姓名或执业（资格）证书编号（%(min)s-%(max)s个字符）")
            % {"min": Q_MIN, "max": Q_MAX},
        )
    match = Q()
    if PublicField.NAME in fields:
        match |= Q(person__name=q)
    if PublicField.LICENCE in fields:
        match |= Q(licence_no__iexact=q)
    rows = (
        Practitioner.objects.filter(match, profession=found)
        .select_related("person", "employer")
        .order_by("licence_no", "pk")[:PUBLIC_ROWS]
    )
    return {
        "profession": found.name,
        "labels": [str(PublicField(f).label) for f in fields],
        "rows": [{"id": p.pk, "values": [v for _label, v in _shown(p, found)]} for p in rows],
    }


def public_practitioner(*, actor: Actor, practitioner_id: int) -> dict:
    """A practitioner's public page: only the fields the profession's rule publishes, with
    the rule's text, the profession's and its department's names. A practitioner of a
    profession publishing nothing is not found, as one that does not exist."""
    p = None
    if 0 < practitioner_id <= DB_INT_MAX:
        p = (
            Practitioner.objects.filter(pk=practitioner_id)
            .select_related("profession__department", "person", "employer")
            .first()
        )
    if p is None or not access.allowed(actor, Action.PRACTITIONER_PUBLIC_READ, p.profession):
        raise NotFound(_("没有从业人员 %(id)s") % {"id": practitioner_id})
    return {
        "id": p.pk,
        "profession": p.profession.name,
        "profession_code": p.profession.code,
        "department": p.profession.department.name,
        "basis": p.profession.publish_basis,
        # the profession is named once, beside its department, whether or not listed
        "fields": [
            (label, value)
            for label, value in _shown(p, p.profession)
            if label != str(PublicField.PROFESSION.label)
        ],
    }
