"""Reads of the commitments API: the matters' rules with their templates' current texts,
a department's commitments (list with filters, detail with its story) and the lookup by
number the API's steps start from. Plain dicts shaped like the API's schemas.

A department's business system sees its own commitments — those it accepted — and not
another department's, even published ones (those it reads on the portal): the access
layer's read rule on a scope without the published rows (``DEPARTMENT``); the operator
and the auditor read every department's."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action, Scope
from xinyong.accounts.actors import Actor
from xinyong.commitments import selectors
from xinyong.commitments.choices import CheckMethod, CommitmentStatus
from xinyong.commitments.models import Commitment, TemplateVersion
from xinyong.core import crypto
from xinyong.core.errors import NotFound, ValidationFailed
from xinyong.core.labels import choice_label
from xinyong.lists.choices import EntryStatus
from xinyong.subjects.choices import SubjectKind
from xinyong.subjects.selectors import subject_by_uscc

DEPARTMENT = Scope(department="department_id")
_RELATED = ("subject", "matter", "department")


def matters() -> list[dict]:
    """Every matter with its commitment rule and active templates (current version text)."""
    rules = selectors.rules()
    ids = [t.version_id for m in rules.matters.values() for t in m.templates.values()]
    texts = dict(TemplateVersion.objects.filter(pk__in=ids).values_list("pk", "text"))
    out = []
    for code in sorted(rules.matters):
        m = rules.matters[code]
        templates = [
            {
                "kind": t.kind,
                "kind_label": selectors.kind_label(t.kind),
                "name": t.name,
                "version": t.version,
                "text": texts.get(t.version_id, ""),
                "check_method": t.check_method,
                "check_method_label": choice_label(CheckMethod, t.check_method),
                "check_workdays": t.check_workdays,
                "exempt_reason": t.exempt_reason,
                "validity_months": t.validity_months,
                "legal_basis": t.legal_basis,
            }
            for _kind, t in sorted(m.templates.items())
        ]
        out.append(
            {
                "code": m.code,
                "name": m.name,
                "time_limit_workdays": m.time_limit_workdays,
                "high_risk": m.high_risk,
                "high_risk_basis": m.high_risk_basis,
                "block_months": m.block_months,
                "templates": templates,
            }
        )
    return out


def subject_block(subject) -> dict:
    """A subject as the API gives it out: name (a person's masked) and USCC, never an
    identifier number."""
    if subject.kind == SubjectKind.PERSON:
        return {"name": crypto.mask_name(subject.name), "uscc": None}
    return {"name": subject.name, "uscc": subject.uscc}


def summary(c: Commitment) -> dict:
    return {
        "number": c.number,
        "subject": subject_block(c.subject),
        "matter": {"code": c.matter.code, "name": c.matter.name},
        "kind": c.kind,
        "kind_label": selectors.kind_label(c.kind),
        "department": {"code": c.department.code, "name": c.department.name},
        "channel": c.channel,
        "status": c.status,
        "status_label": choice_label(CommitmentStatus, c.status),
        "public": c.public,
        "reason": c.reason,
        "signatory": c.signatory,
        "signed_at": c.signed_at,
        "valid_from": c.valid_from,
        "valid_to": c.valid_to,
        "check_method": c.check_method,
        "check_due": c.check_due,
        "supply_due": c.supply_due,
        "breach_kind": c.breach_kind,
        "decided_at": c.decided_at,
        "bar_until": c.bar_until,
        "lifted_at": c.lifted_at,
        "updated_at": c.updated_at,
    }


def _department_rows(actor: Actor):
    return Commitment.objects.filter(access.visible_q(actor, DEPARTMENT))


def commitment_list(
    *,
    actor: Actor,
    status: str | None = None,
    kind: str | None = None,
    matter: str | None = None,
    subject: str | None = None,
    due_before: datetime.date | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[dict]:
    """The actor's department's commitments, newest first (by due date when asked for
    those due by a day: the review queue). An unknown matter or subject code is the
    filter's 422, not an empty page."""
    qs = _department_rows(actor)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if matter:
        view = selectors.rules().matters.get(matter)
        if view is None:
            raise ValidationFailed.one(
                "matter", "matter.unknown", gettext("未知办理事项“%(matter)s”") % {"matter": matter}
            )
        qs = qs.filter(matter_id=view.id)
    if subject:
        found = subject_by_uscc(subject)
        if found is None:
            raise ValidationFailed.one(
                "subject", "subject.unknown", gettext("没有统一社会信用代码为 %(code)s 的主体")
                % {"code": subject},
            )  # fmt: skip
        qs = qs.filter(subject_id=found.pk)
    if due_before:
        qs = qs.filter(Q(check_due__lte=due_before) | Q(supply_due__lte=due_before))
        qs = qs.order_by("check_due", "supply_due", "pk")
    rows = qs.select_related(*_RELATED)[offset : offset + limit]
    return [summary(c) for c in rows]


def commitment_for(actor: Actor, number: str, action: Action | None = None) -> Commitment:
    """The department's commitment of this number (else not found, even when it is
    published: another department acts on its own only), once the actor may take
    ``action`` on it (else refused)."""
    c = _department_rows(actor).filter(number=number).select_related(*_RELATED).first()
    if c is None:
        raise NotFound(gettext("没有信用承诺 %(number)s") % {"number": number})
    if action is not None:
        access.require(actor, action, c)
    return c


def _case(c: Commitment) -> dict | None:
    if c.case_id is None:
        return None
    entry = c.case
    return {
        "entry_id": entry.pk,
        "list": entry.list_type.code,
        "list_name": entry.list_type.name,
        "status": entry.status,
        "status_label": choice_label(EntryStatus, entry.status),
    }


def commitment_detail(*, actor: Actor, number: str) -> dict:
    """One of the department's commitments with its text, missing documents, check,
    breach and hearing, bar, case and story."""
    c = commitment_for(actor, number)
    c = (
        Commitment.objects.select_related(
            *_RELATED, "template", "template_version", "case__list_type"
        )
        .prefetch_related("missing", "events")
        .get(pk=c.pk)
    )
    return {
        **summary(c),
        "template": c.template.name,
        "template_version": c.template_version.version,
        "template_text": c.template_version.text,
        "recorded_by": c.recorded_by,
        "scan_name": c.scan_name,
        "scan_sha256": c.scan_sha256,
        "late_consequence": c.late_consequence,
        "supplied_at": c.supplied_at,
        "missing": [
            {"name": m.name, "form": m.form, "supplied_at": m.supplied_at} for m in c.missing.all()
        ],
        "checked_at": c.checked_at,
        "checked_by": c.checked_by,
        "check_note": c.check_note,
        "breach_reasons": c.breach_reasons,
        "evidence_name": c.evidence_name,
        "evidence_sha256": c.evidence_sha256,
        "proposed_at": c.proposed_at,
        "statement_due": c.statement_due,
        "statement": c.statement,
        "statement_at": c.statement_at,
        "hearing_outcome": c.hearing_outcome,
        "decision_reason": c.decision_reason,
        "decided_by": c.decided_by,
        "bars_every_matter": c.bars_every_matter,
        "lifted_reason": c.lifted_reason,
        "breach_record_id": c.breach_record_id,
        "case": _case(c),
        "events": [
            {"action": e.action, "status": e.status, "by": e.by, "at": e.at, "note": e.note}
            for e in c.events.all()
        ],
    }
