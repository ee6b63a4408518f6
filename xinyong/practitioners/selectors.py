"""Reads of practitioner credit files, strictly as the access layer allows: the person's
own (bound portal account), a department's within its remit and sharing rules, the
operator's; never the auditor's nor the public's, except the fields a profession's rule
publishes. Every staff read of a file is audited."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog.selectors import item_names, version_definition
from xinyong.core.errors import NotFound
from xinyong.core.inputs import DB_INT_MAX
from xinyong.practitioners.choices import PublicField
from xinyong.practitioners.models import Practitioner, Profession
from xinyong.records.choices import RecordStatus
from xinyong.records.models import Record


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


def published(*, profession: Profession, licence_no: str) -> dict | None:
    """What the public may see of a practitioner: only the fields the profession's rule
    publishes (with the rule); nothing at all when it publishes none."""
    fields = [f for f in profession.public_fields if f in PublicField.values]
    if not fields or not profession.publish_basis:
        return None
    p = (
        Practitioner.objects.filter(Q(profession=profession), licence_no=licence_no)
        .select_related("person", "employer")
        .first()
    )
    if p is None:
        return None
    values = {
        PublicField.NAME: p.person.name,
        PublicField.PROFESSION: profession.name,
        PublicField.LICENCE: p.licence_no,
        PublicField.EMPLOYER: p.employer.name if p.employer else "",
        PublicField.VALIDITY: f"{p.valid_from:%Y-%m-%d}至{p.valid_to:%Y-%m-%d}"
        if p.valid_to
        else f"{p.valid_from:%Y-%m-%d}起",
    }
    return {
        "basis": profession.publish_basis,
        "fields": [(str(PublicField(f).label), values[f]) for f in fields],
    }
