"""Reads of the portal's commitment pages: the public column (信用承诺公示) and a subject
page's tab, the signing page's choices, and a bound account's own commitments.

What the public sees of a commitment is its signature, its validity and how it was
kept: a breach only once decided after hearing the subject — a proposed one still shows
as 履行中, as the credit file files it (nothing unproven is published). Persons'
commitments are never public (``Commitment.public`` is set from the subject's kind)."""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.commitments import selectors
from xinyong.commitments.choices import (
    RESTRICTED_KINDS,
    BreachKind,
    Channel,
    CheckMethod,
    CommitmentKind,
    CommitmentStatus,
    HearingOutcome,
)
from xinyong.commitments.models import Commitment, TemplateVersion
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.inputs import DB_INT_MAX
from xinyong.core.labels import choice_label
from xinyong.sanctions import selectors as sanctions
from xinyong.subjects.identifiers import IdentifierError, validate_uscc
from xinyong.subjects.selectors import looks_like_code, subject_by_uscc, subject_search

S = CommitmentStatus
COLUMN_PAGE = 20
COLUMN_MAX_PAGE = 500
QUERY_MAX = 50
TAB_MAX = 20  # a subject page's tab shows the newest; the column filtered by USCC has all
# Kinds a bound account may sign online: deficiency-tolerant acceptance is recorded at the
# counter (the missing documents are agreed there); a repair commitment is the repair's.
ONLINE_KINDS = tuple(
    k for k in CommitmentKind.values if k not in (CommitmentKind.DEFICIENCY, CommitmentKind.REPAIR)
)
# The statuses the public is shown: a proposed breach is still 履行中 to them.
PUBLIC_STATUSES = (S.IN_FORCE, S.KEPT, S.BREACHED, S.ENDED, S.LAPSED)
_NUMBER = re.compile(r"CN\d{8,}")


def _event_label(action: str) -> str:
    labels = {
        "sign": gettext("签署"),
        "keep": gettext("核查：已履约"),
        "propose_breach": gettext("告知拟认定违诺"),
        "statement": gettext("陈述申辩"),
        "decide": gettext("认定"),
        "end": gettext("终止办理"),
        "lapse": gettext("有效期届满"),
        "lift": gettext("解除限制"),
    }
    return labels.get(action, action)


def public_status(status: str) -> str:
    """The status as the public is told it (a proposed breach is not one yet)."""
    return S.IN_FORCE if status == S.BREACH_PROPOSED else status


def _row(c: Commitment, *, own: bool) -> dict:
    """One commitment as a list shows it; ``own``: to its subject (the real status)."""
    status = c.status if own else public_status(c.status)
    return {
        "id": c.pk,
        "number": c.number,
        "subject_id": c.subject_id,
        "subject": c.subject.name,
        "uscc": c.subject.uscc or "",
        "kind": choice_label(CommitmentKind, c.kind),
        "matter": c.matter.name,
        "reason": c.reason,
        "signed_on": timezone.localtime(c.signed_at).date(),
        "department": c.department.name,
        "valid_from": c.valid_from,
        "valid_to": c.valid_to,
        "status": status,
        "status_label": choice_label(S, status),
        "lifted": c.lifted_at is not None,
        "public": c.public,
        "own": own,
    }


# -- the public column ------------------------------------------------------------------
@dataclass
class ColumnQuery:
    q: str
    kind: str
    status: str
    page: int


def column_query(params) -> ColumnQuery:
    """The column's filters from a query string, or ValidationFailed naming the field."""
    errors = []
    q = " ".join((params.get("q") or "").split())
    if len(q) > QUERY_MAX:
        errors.append(FieldError("q", "max_length", gettext("查询内容不得超过50个字符")))
    kind = params.get("kind") or ""
    if kind and kind not in CommitmentKind.values:
        errors.append(FieldError("kind", "enum", gettext("承诺类型无效")))
    status = params.get("status") or ""
    if status and status not in PUBLIC_STATUSES:
        errors.append(FieldError("status", "enum", gettext("履约状态无效")))
    try:
        page = int(params.get("page") or 1)
        if not 1 <= page <= COLUMN_MAX_PAGE:
            raise ValueError
    except ValueError:
        errors.append(
            FieldError(
                "page",
                "range",
                gettext("页码应为1到%(n)s之间的整数") % {"n": COLUMN_MAX_PAGE},
            )
        )
        page = 1
    if errors:
        raise ValidationFailed(errors)
    return ColumnQuery(q, kind, status, page)


def _subjects_named(q: str) -> list[int] | None:
    """The subjects a search text means (None: no subject filter — a commitment number)."""
    if _NUMBER.fullmatch(q.upper()):
        return None
    try:
        subject = subject_by_uscc(validate_uscc(q))
        return [subject.pk] if subject else []
    except IdentifierError:
        if len(q) < 2 or looks_like_code(q):
            return []
        # The first 100 subjects whose name holds the text (name search's first page).
        return [s.pk for s in subject_search(q=q, page_size=100).results]


def column_search(query: ColumnQuery) -> tuple[list[dict], bool]:
    """Public commitments newest first (the ``commitment_column`` index), by subject name,
    USCC or commitment number, kind and fulfilment status; and whether a next page exists."""
    qs = Commitment.objects.filter(public=True)
    if query.q:
        subjects = _subjects_named(query.q)
        if subjects is None:
            qs = qs.filter(number=query.q.upper())
        else:
            qs = qs.filter(subject_id__in=subjects)
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.status == S.IN_FORCE:
        qs = qs.filter(status__in=(S.IN_FORCE, S.BREACH_PROPOSED))
    elif query.status:
        qs = qs.filter(status=query.status)
    start = (query.page - 1) * COLUMN_PAGE
    found = list(
        qs.select_related("subject", "matter", "department").order_by("-signed_at", "-pk")[
            start : start + COLUMN_PAGE + 1
        ]
    )
    return [_row(c, own=False) for c in found[:COLUMN_PAGE]], len(found) > COLUMN_PAGE


def kind_choices() -> list[tuple[str, str]]:
    return [(k, str(label)) for k, label in CommitmentKind.choices]


def status_choices() -> list[tuple[str, str]]:
    return [(s, choice_label(S, s)) for s in PUBLIC_STATUSES]


# -- a subject page's tab ---------------------------------------------------------------
def subject_commitments(*, actor: Actor, subject) -> tuple[list[dict], bool]:
    """The subject's commitments as its page shows them, newest first: the public ones —
    and, to its own bound account, the rest (a person's, with their real status) — and
    whether there are more than the tab shows."""
    own = access.allowed(actor, Action.COMMITMENT_SIGN, subject)
    qs = Commitment.objects.filter(subject_id=subject.pk)
    if own:
        qs = qs.visible_to(actor)
    else:
        qs = qs.filter(public=True)
    found = list(
        qs.select_related("subject", "matter", "department").order_by("-signed_at", "-pk")[
            : TAB_MAX + 1
        ]
    )
    return [_row(c, own=own) for c in found[:TAB_MAX]], len(found) > TAB_MAX


# -- signing ----------------------------------------------------------------------------
def sign_matters() -> list[dict]:
    """The matters whose rules allow a commitment signed online, with those kinds (not
    notify-and-commit in a high-risk matter, whatever templates it has)."""
    out = []
    for view in sorted(selectors.rules().matters.values(), key=lambda v: v.code):
        kinds = [
            k
            for k in ONLINE_KINDS
            if k in view.templates and not (view.high_risk and k in RESTRICTED_KINDS)
        ]
        if kinds:
            out.append(
                {
                    "code": view.code,
                    "name": view.name,
                    "kinds": [(k, selectors.kind_label(k)) for k in kinds],
                }
            )
    return out


def sign_terms(matter: str, kind: str) -> dict | None:
    """The template a commitment of ``kind`` in ``matter`` is signed under now, with its
    current text in full; None when the matter allows no such commitment online."""
    view = selectors.rules().matters.get(matter or "")
    if view is None or kind not in ONLINE_KINDS or kind not in view.templates:
        return None
    if view.high_risk and kind in RESTRICTED_KINDS:
        return None
    t = view.templates[kind]
    text = TemplateVersion.objects.filter(pk=t.version_id).values_list("text", flat=True).first()
    return {
        "matter": view.name,
        "kind": selectors.kind_label(kind),
        "name": t.name,
        "version_id": t.version_id,
        "version": t.version,
        "text": text or "",
        "check_method": choice_label(CheckMethod, t.check_method),
        "check_workdays": t.check_workdays,
        "exempt_reason": t.exempt_reason,
        "validity_months": t.validity_months,
        "legal_basis": t.legal_basis,
    }


def barred_reasons(subject_id: int, *, today: datetime.date) -> list[str]:
    """Why the subject may not use notify-and-commit now, from any matter's verdict (its
    list entries, its breaches' bars): said before the signing form. The matters' own
    notes (high-risk, none offered) are not the subject's and are left out."""
    entries = sanctions.entries_in_force(subject_id, today)
    out: list[str] = []
    for m in sign_matters():
        verdict = selectors.commitment_verdict(subject_id, m["code"], today=today, entries=entries)
        for r in verdict.reasons:
            if not r["code"].startswith("matter.") and r["message"] not in out:
                out.append(r["message"])
    return out


def active_departments() -> list[tuple[str, str]]:
    return list(
        Department.objects.filter(is_active=True).order_by("code").values_list("code", "name")
    )


# -- a bound account's own --------------------------------------------------------------
def own_commitments(*, actor: Actor) -> list[dict]:
    """The commitments of the subjects this account is bound to, newest first."""
    qs = (
        Commitment.objects.visible_to(actor)
        .filter(subject_id__in=access.bound_subject_ids(actor))
        .select_related("subject", "matter", "department")
        .order_by("-signed_at", "-pk")
    )
    return [_row(c, own=True) for c in qs[:200]]


def own_commitment(*, actor: Actor, commitment_id: int) -> dict:
    """One commitment of a subject this account is bound to, as its page shows it: the
    text signed, the status, the check, the story, what is missing, a proposed or decided
    breach and whether a statement may be made now; NotFound for anyone else."""
    c = None
    if 0 < commitment_id <= DB_INT_MAX:
        c = (
            Commitment.objects.visible_to(actor)
            .filter(pk=commitment_id)
            .select_related("subject", "matter", "department", "template", "template_version")
            .first()
        )
    if c is None or not access.allowed(actor, Action.COMMITMENT_STATEMENT, c):
        raise NotFound(gettext("没有信用承诺 %(id)s") % {"id": commitment_id})
    today = timezone.localdate()
    proposed = c.status == S.BREACH_PROPOSED
    return {
        **_row(c, own=True),
        "template": c.template.name,
        "version": c.template_version.version,
        "text": c.template_version.text,
        "channel": choice_label(Channel, c.channel),
        "signatory": c.signatory,
        "check_method": choice_label(CheckMethod, c.check_method),
        "check_due": c.check_due,
        "checked_at": c.checked_at,
        "check_note": c.check_note,
        "supply_due": c.supply_due,
        "late_consequence": c.late_consequence,
        "missing": list(c.missing.values("name", "form", "supplied_at")),
        "events": [
            {
                "at": e.at,
                "action": _event_label(e.action),
                "status": choice_label(S, e.status),
                "by": e.by,
                "note": e.note,
            }
            for e in c.events.all()
        ],
        "breach_kind": choice_label(BreachKind, c.breach_kind),
        "breach_reasons": c.breach_reasons,
        "proposed_at": c.proposed_at,
        "statement_due": c.statement_due,
        "statement": c.statement,
        "statement_at": c.statement_at,
        "hearing_outcome": choice_label(HearingOutcome, c.hearing_outcome),
        "decision_reason": c.decision_reason,
        "decided_at": c.decided_at,
        "bar_until": c.bar_until,
        "bars_every_matter": c.bars_every_matter,
        "lifted_at": c.lifted_at,
        "lifted_reason": c.lifted_reason,
        "statement_open": proposed and c.statement_due is not None and today <= c.statement_due,
        "statement_closed": proposed and c.statement_due is not None and today > c.statement_due,
    }
