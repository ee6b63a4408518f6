"""Reads of the associations app, each scoped by ``visible_to`` (the association's own
rows to its people; the granting department its authorisations; every row to the credit
office), plus what the public sees: memberships and public censures in their period."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.associations.choices import CampaignStatus, SanctionKind, SanctionStatus
from xinyong.associations.models import Authorisation, Campaign, Membership, Sanction, Signature
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.inputs import DB_INT_MAX
from xinyong.disclosure.choices import PublicationStatus
from xinyong.records.models import Record

PAGE = 200  # rows of a list page
LICENCE, PENALTY = "administrative_licence", "administrative_penalty"
# A censure's record taken out of public view: repaired (ended early) or withdrawn.
TAKEN_DOWN = (PublicationStatus.ENDED, PublicationStatus.WITHDRAWN)


@dataclass
class Page:
    """One page of a list: its rows, where it starts, where the next one starts (None: the
    last page) and, where counted, how many rows there are in all."""

    rows: list
    offset: int
    next_offset: int | None
    total: int | None = None


def _one(qs, pk: int, message: str):
    obj = qs.filter(pk=pk).first() if 0 < pk <= DB_INT_MAX else None
    if obj is None:
        raise NotFound(message)
    return obj


def authorisations(*, actor: Actor) -> list[Authorisation]:
    """The credit office and the auditor every one; a department those it granted; an
    association its own."""
    if not (actor.is_staff or actor.is_association):
        raise PermissionDenied(gettext("无权查看行业协会授权"))
    qs = Authorisation.objects.visible_to(actor).select_related(
        "association", "granted_by", "subject"
    )
    return list(qs[:PAGE])


def _association(actor: Actor) -> None:
    """The association's own pages: its people only (while authorised, by the rule)."""
    access.require(actor, Action.ASSOCIATION_ACT)


def _members_qs(actor: Actor, current: bool):
    _association(actor)
    qs = Membership.objects.visible_to(actor).select_related("subject")
    if current:
        today = timezone.localdate()
        qs = qs.filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
    return qs


def members(
    *, actor: Actor, current: bool = True, offset: int = 0, limit: int = PAGE
) -> list[Membership]:
    """The association's members (``current``: today's), newest first, a page of them."""
    return list(_members_qs(actor, current)[offset : offset + limit])


def members_page(*, actor: Actor, current: bool = False, offset: int = 0) -> Page:
    """A page of the member list, and where the next one starts (None: the last page)."""
    rows = members(actor=actor, current=current, offset=offset, limit=PAGE + 1)
    return Page(rows[:PAGE], offset, offset + PAGE if len(rows) > PAGE else None)


def member_options(*, actor: Actor) -> list[tuple[int, str]]:
    """Every current member, by name: a case may be about any of them, not only the first
    page (two columns in one query; a few thousand options are a small select)."""
    rows = (
        _members_qs(actor, current=True)
        .order_by("subject__name", "subject_id")
        .values_list("subject_id", "subject__name", "subject__uscc")
    )
    return [(pk, f"{name}（{uscc}）") for pk, name, uscc in rows]


def standing(*, actor: Actor, offset: int = 0) -> Page:
    """A page of the current members' public credit standing: the list entries in force
    (public), the grade where the credit office publishes it, and the licences and
    penalties on public display (双公示) — only what anyone may read on the portal. Read
    set-based: the same few queries for a page of 1 member or of 200 (one per kind of
    fact, each for the whole page), never one per member."""
    from xinyong.evaluation.selectors import evaluations_for_report
    from xinyong.lists.models import ListEntry

    qs = _members_qs(actor, current=True)
    page = list(qs[offset : offset + PAGE + 1])
    rows = page[:PAGE]
    ids = [m.subject_id for m in rows]
    today = timezone.localdate()
    entries: dict[int, list[str]] = {}
    for subject_id, name in (
        ListEntry.objects.in_force(today)
        .filter(subject_id__in=ids)
        .order_by("list_type__name")
        .values_list("subject_id", "list_type__name")
    ):
        entries.setdefault(subject_id, []).append(name)
    public = Record.objects.filter(subject_id__in=ids, publication__status=PublicationStatus.PUBLIC)
    counts: dict[tuple[int, str], int] = {
        (r["subject_id"], r["item_code"]): r["n"]
        for r in public.filter(item_code__in=(LICENCE, PENALTY))
        .values("subject_id", "item_code")
        .annotate(n=Count("pk"))
    }
    grades = evaluations_for_report(ids, full=False) if ids else {}
    out = [
        {
            "membership": m, "subject": m.subject, "entries": entries.get(m.subject_id, []),
            "grade": grades.get(m.subject_id),
            "licences": counts.get((m.subject_id, LICENCE), 0),
            "penalties": counts.get((m.subject_id, PENALTY), 0),
        }
        for m in rows
    ]  # fmt: skip
    total = qs.count() if page or offset else 0
    return Page(out, offset, offset + PAGE if len(page) > PAGE else None, total)


def campaigns(*, actor: Actor) -> list[Campaign]:
    """The association's campaigns, newest first, each with its number of signatures."""
    _association(actor)
    qs = Campaign.objects.visible_to(actor).annotate(signed=Count("signatures"))
    return list(qs[:PAGE])


def campaign_one(*, actor: Actor, campaign_id: int) -> Campaign:
    """One of the association's campaigns with its number of signatures (another's, or
    none: not found — its existence is not told)."""
    _association(actor)
    qs = Campaign.objects.visible_to(actor).annotate(signed=Count("signatures"))
    return _one(qs, campaign_id, gettext("没有该承诺，或无权查看"))


def signatures(
    *, actor: Actor, campaign_id: int, offset: int = 0, limit: int = PAGE
) -> list[Signature]:
    """Who signed one of the association's campaigns, in the order they signed: members
    named by name and code (organisations; no person is ever a member)."""
    c = campaign_one(actor=actor, campaign_id=campaign_id)
    sigs = Signature.objects.filter(campaign=c).select_related("subject")
    return list(sigs.order_by("signed_at", "pk")[offset : offset + limit])


def campaign_get(*, actor: Actor, campaign_id: int, offset: int = 0) -> tuple[Campaign, Page]:
    """A campaign and a page of its signatures (the back-office page)."""
    c = campaign_one(actor=actor, campaign_id=campaign_id)
    sigs = Signature.objects.filter(campaign=c).select_related("subject")
    rows = list(sigs.order_by("signed_at", "pk")[offset : offset + PAGE + 1])
    return c, Page(rows[:PAGE], offset, offset + PAGE if len(rows) > PAGE else None, c.signed)


def sanctions(*, actor: Actor) -> list[Sanction]:
    _association(actor)
    return list(Sanction.objects.visible_to(actor).select_related("subject")[:PAGE])


def sanction_get(*, actor: Actor, sanction_id: int) -> Sanction:
    """The association's own case; the member's bound account reads its own (the notice
    is addressed to it)."""
    qs = Sanction.objects.visible_to(actor).select_related("subject", "association")
    return _one(qs, sanction_id, gettext("没有该惩戒案件，或无权查看"))


# -- the member's portal account ------------------------------------------------------------
def open_campaigns(*, actor: Actor, subject) -> list[dict]:
    """Campaigns of the associations the bound subject belongs to today, and whether it
    signed each."""
    today = timezone.localdate()
    assoc_ids = Membership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=today), subject=subject, joined_on__lte=today
    ).values("association_id")
    signed = set(Signature.objects.filter(subject=subject).values_list("campaign_id", flat=True))
    qs = Campaign.objects.filter(association_id__in=assoc_ids).select_related("association")
    return [
        {"campaign": c, "signed": c.pk in signed}
        for c in qs[:PAGE]
        if c.status == CampaignStatus.OPEN or c.pk in signed
    ]


def subject_sanctions(*, actor: Actor, subject) -> list[Sanction]:
    """The member's cases once it was told (a proposal not yet notified stays internal)."""
    qs = (
        Sanction.objects.visible_to(actor)
        .filter(subject=subject)
        .exclude(status=SanctionStatus.PROPOSED)
    )
    return list(qs.select_related("association")[:PAGE])


# -- public ------------------------------------------------------------------------------
def public_memberships(subject_id: int, day: datetime.date | None = None) -> dict:
    """What anyone sees on a subject's page: the associations it belongs to; for an
    association, its member count; and public censures in their period (by the subject's
    association or against the subject) — warnings and criticism never; a revoked censure
    (its status) and a repaired one (its record's publication ended) no more, at once."""
    day = day or timezone.localdate()
    current = Q(left_on__isnull=True) | Q(left_on__gte=day)
    belongs = list(
        Membership.objects.filter(current, subject_id=subject_id, joined_on__lte=day)
        .select_related("association")
        .order_by("association__name")
    )
    granted = Authorisation.objects.filter(subject_id=subject_id).values("association_id")
    member_count = Membership.objects.filter(current, association_id__in=granted).count()
    censure = Q(kind=SanctionKind.CENSURE, status=SanctionStatus.DECIDED, publish_until__gte=day)
    censures = list(
        Sanction.objects.filter(censure)
        .filter(Q(subject_id=subject_id) | Q(association_id__in=granted))
        .exclude(record__publication__status__in=TAKEN_DOWN)  # repaired (or withdrawn)
        .select_related("association", "subject")
        .order_by("-decided_at")[:50]
    )
    return {
        "belongs": belongs,
        "member_count": member_count,
        "censures": censures,
        "is_association": Authorisation.objects.filter(subject_id=subject_id).exists(),
    }


# -- the back office's subject page ----------------------------------------------------------
def subject_associations(*, actor: Actor, subject) -> dict | None:
    """A subject's association memberships (each association's name, since, until — past
    ones too) and the industry sanctions decided about it (kind, date, association,
    period, and whether revoked), for staff the access rules let read them (None:
    others). Memberships are public facts; a public censure is public; a warning or a
    circulated criticism is shared data, shown only to whom its record is visible
    (``Record.objects.visible_to``) — and that read is audited."""
    if not access.allowed(actor, Action.ASSOCIATION_SUBJECT_VIEW, subject):
        return None
    memberships = list(
        Membership.objects.filter(subject_id=subject.pk)
        .select_related("association")
        .order_by("-joined_on", "-id")[:PAGE]
    )
    readable = Q(kind=SanctionKind.CENSURE) | Q(record__in=Record.objects.visible_to(actor))
    sanctions = list(
        Sanction.objects.filter(
            readable,
            subject_id=subject.pk,
            status__in=(SanctionStatus.DECIDED, SanctionStatus.REVOKED),
        )
        .select_related("association")
        .order_by("-decided_at", "-id")[:PAGE]
    )
    shared = [s.pk for s in sanctions if s.kind != SanctionKind.CENSURE]
    if shared:
        with transaction.atomic():
            audit_event_append(
                actor=actor,
                action=AuditAction.CREDIT_FILE_READ,
                object_type="subject",
                object_id=subject.pk,
                detail={"industry_sanctions": shared},
            )
    return {"memberships": memberships, "sanctions": sanctions}


def member_id(*, actor: Actor, uscc: str) -> int:
    """A current member's subject id by its code (the API names members by code); an
    unknown code or a non-member is the service's refusal, naming the field."""
    from xinyong.core.errors import FieldError, ValidationFailed

    _association(actor)
    today = timezone.localdate()
    m = (
        Membership.objects.visible_to(actor)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today), subject__uscc=uscc.strip())
        .first()
    )
    if m is None:
        raise ValidationFailed(
            [
                FieldError(
                    "member_uscc", "association.not_member", gettext("该单位不是本协会的现有会员")
                )
            ]
        )
    return m.subject_id
