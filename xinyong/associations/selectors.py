"""Reads of the associations app, each scoped by ``visible_to`` (the association's own
rows to its people; the granting department its authorisations; every row to the credit
office), plus what the public sees: memberships and public censures in their period."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.associations.choices import CampaignStatus, SanctionKind, SanctionStatus
from xinyong.associations.models import Authorisation, Campaign, Membership, Sanction, Signature
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.inputs import DB_INT_MAX

PAGE = 200  # rows of a list page


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


def members(*, actor: Actor, current: bool = True) -> list[Membership]:
    _association(actor)
    qs = Membership.objects.visible_to(actor).select_related("subject")
    if current:
        today = timezone.localdate()
        qs = qs.filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
    return list(qs[:PAGE])


def member_options(*, actor: Actor) -> list[tuple[int, str]]:
    return [(m.subject_id, f"{m.subject.name}（{m.subject.uscc}）") for m in members(actor=actor)]


def standing(*, actor: Actor) -> list[dict]:
    """Each current member's public credit standing on one page: the list entries in force
    (public), the grade where the credit office publishes it, and the licences and
    penalties on public display (双公示) — only what anyone may read on the portal."""
    from xinyong.disclosure.choices import PublicationStatus
    from xinyong.evaluation.selectors import evaluation_public
    from xinyong.lists.models import ListEntry
    from xinyong.records.models import Record

    rows = members(actor=actor)
    ids = [m.subject_id for m in rows]
    today = timezone.localdate()
    entries: dict[int, list[str]] = {}
    for e in (
        ListEntry.objects.in_force(today).filter(subject_id__in=ids).select_related("list_type")
    ):
        entries.setdefault(e.subject_id, []).append(e.list_type.name)
    public = Record.objects.filter(subject_id__in=ids, publication__status=PublicationStatus.PUBLIC)
    counts: dict[tuple[int, str], int] = {
        (r["subject_id"], r["item_code"]): r["n"]
        for r in public.values("subject_id", "item_code").annotate(n=Count("pk"))
    }
    out = []
    for m in rows:
        out.append({
            "membership": m, "subject": m.subject, "entries": entries.get(m.subject_id, []),
            "grade": evaluation_public(m.subject_id),
            "licences": counts.get((m.subject_id, "administrative_licence"), 0),
            "penalties": counts.get((m.subject_id, "administrative_penalty"), 0),
        })  # fmt: skip
    return out


def campaigns(*, actor: Actor) -> list[Campaign]:
    _association(actor)
    qs = Campaign.objects.visible_to(actor).annotate(signed=Count("signatures"))
    return list(qs[:PAGE])


def campaign_get(*, actor: Actor, campaign_id: int) -> tuple[Campaign, list[Signature]]:
    _association(actor)
    c = _one(Campaign.objects.visible_to(actor), campaign_id, gettext("没有该承诺，或无权查看"))
    sigs = Signature.objects.filter(campaign=c).select_related("subject").order_by("signed_at")
    return c, list(sigs[:PAGE])


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
    association or against the subject) — warnings and criticism never."""
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
        .select_related("association", "subject")
        .order_by("-decided_at")[:50]
    )
    return {
        "belongs": belongs,
        "member_count": member_count,
        "censures": censures,
        "is_association": Authorisation.objects.filter(subject_id=subject_id).exists(),
    }


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
