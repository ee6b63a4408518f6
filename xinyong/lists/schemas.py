"""Output schemas of credit lists: what the back office and the portal render of an entry
(the portal only the public one, never the statement, the persons or the documents)."""

import datetime

from ninja import Schema

from xinyong.core import crypto
from xinyong.lists.choices import (
    BasisKind,
    EntryAction,
    EntryStatus,
    NationalCategory,
    RemovalReason,
    StatementAdoption,
)
from xinyong.lists.documents import term_text
from xinyong.subjects.choices import RelatedRole, SubjectKind


class PublicEntryOut(Schema):
    """An entry as the public sees it: which list, by whom, on what basis, until when."""

    id: int
    list: str
    list_name: str
    effect: str
    subject_id: int
    subject_name: str  # a person's name masked
    subject_public: bool  # an organisation (its portal page exists); a person has none
    department: str
    decision_no: str
    decided_on: datetime.date | None
    term: str
    grounds: str
    legal_basis: str
    national_category: str
    # Marked 异议中 (an objection holds: its measures suspended) — the flag the reports
    # print (``reports.content.entry_flags``), shown wherever the public reads the entry.
    under_objection: bool = False

    @classmethod
    def of(cls, e) -> "PublicEntryOut":
        person = e.subject.kind == SubjectKind.PERSON
        return cls(
            id=e.pk, list=e.list_type.code, list_name=e.list_type.name,
            effect=e.list_type.effect, subject_id=e.subject_id,
            subject_name=crypto.mask_name(e.subject.name) if person else e.subject.name,
            subject_public=not person,
            department=e.department.name, decision_no=e.decision_no, decided_on=e.decided_on,
            term=term_text(e), grounds=e.grounds, legal_basis=e.legal_basis,
            national_category=_label(NationalCategory, e.national_category),
            under_objection=e.under_objection,
        )  # fmt: skip


class EventOut(Schema):
    action: str
    action_label: str
    to_status_label: str
    actor: str
    at: datetime.datetime
    deadline: datetime.date | None
    note: str


class NoticeOut(Schema):
    kind_label: str
    number: str
    addressee: str
    body: str
    created_at: datetime.datetime


class PersonOut(Schema):
    role_label: str
    name: str
    id_masked: str
    person_id: int


class EntryOut(PublicEntryOut):
    """An entry in the back office: the whole case."""

    status: str
    status_label: str
    external: bool
    basis_kind_label: str
    basis_document: str
    basis_records: list[int]
    measures_text: str
    removal_conditions: str
    remedies: str
    act_date: datetime.date
    notice_no: str
    statement_due: datetime.date | None
    statement: str
    statement_adoption_label: str = ""  # the decision's answer to the statement
    statement_reply: str = ""
    deadline: datetime.date | None
    removal_reason_label: str
    removal_note: str
    opened_by: str
    opened_at: datetime.datetime
    persons: list[PersonOut] = []
    events: list[EventOut] = []
    notices: list[NoticeOut] = []

    @classmethod
    def full(cls, e, *, details: bool = False) -> "EntryOut":
        base = PublicEntryOut.of(e).dict()
        base["subject_name"] = e.subject.name  # staff see the name
        out = cls(
            **base, status=e.status, status_label=_label(EntryStatus, e.status),
            external=e.external,
            basis_kind_label=_label(BasisKind, e.basis_kind), basis_document=e.basis_document,
            basis_records=[], measures_text=e.measures_text,
            removal_conditions=e.removal_conditions, remedies=e.remedies, act_date=e.act_date,
            notice_no=e.notice_no, statement_due=e.statement_due, statement=e.statement,
            deadline=e.deadline, removal_reason_label=_label(RemovalReason, e.removal_reason),
            removal_note=e.removal_note, opened_by=e.opened_by, opened_at=e.opened_at,
            statement_adoption_label=_label(StatementAdoption, e.statement_adoption),
            statement_reply=e.statement_reply,
        )  # fmt: skip
        if details:
            out.basis_records = list(e.basis_records.values_list("pk", flat=True))
            out.persons = [
                PersonOut(role_label=_label(RelatedRole, p.role), name=p.person.name,
                          id_masked=p.person.id_masked, person_id=p.person_id)
                for p in e.persons.select_related("person")
            ]  # fmt: skip
            out.events = [
                EventOut(action=v.action, action_label=_label(EntryAction, v.action),
                         to_status_label=_label(EntryStatus, v.to_status), actor=v.actor,
                         at=v.at, deadline=v.deadline, note=v.note)
                for v in e.events.all()
            ]  # fmt: skip
            out.notices = [
                NoticeOut(kind_label=n.get_kind_display(), number=n.number,
                          addressee=n.addressee, body=n.body, created_at=n.created_at)
                for n in e.notices.all()
            ]  # fmt: skip
        return out


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value else ""
