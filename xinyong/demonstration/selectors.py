"""Reads of integrity demonstration units: the organiser's campaigns and units (scoped to
the reader), the findings waiting for a decision, and what the portal publishes — the
published campaigns' units awarded and in their term, and those revoked."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.core.errors import NotFound
from xinyong.core.inputs import DB_INT_MAX
from xinyong.core.todo import SHOWN, Todo, TodoList
from xinyong.demonstration.choices import CampaignStatus, UnitKind, UnitStatus
from xinyong.demonstration.models import Campaign, Unit


def campaigns_of(*, actor: Actor) -> list[Campaign]:
    """The campaigns the reader sees (its department's; the operator and the auditor all),
    with how many units applied, were awarded and wait for a decision on a finding."""
    return list(
        Campaign.objects.visible_to(actor)
        .select_related("department")
        .annotate(
            applied=Count("units"),
            awarded=Count("units", filter=Q(units__status=UnitStatus.AWARDED)),
            findings=Count(
                "units", filter=Q(units__status=UnitStatus.AWARDED) & ~Q(units__breaches=[])
            ),
        )
        .order_by("-year", "-created_at", "-pk")[:500]
    )


def campaign_get(*, actor: Actor, campaign_id: int) -> Campaign:
    found = None
    if actor.is_staff and 0 < campaign_id <= DB_INT_MAX:
        found = (
            Campaign.objects.visible_to(actor).select_related("department")
            .filter(pk=campaign_id).first()
        )  # fmt: skip
    if found is None:
        raise NotFound(_("没有诚信示范创建活动 %(id)s") % {"id": campaign_id})
    return found


def campaign_units(*, actor: Actor, campaign: Campaign) -> list[Unit]:
    return list(
        Unit.objects.visible_to(actor).filter(campaign=campaign)
        .select_related("subject").annotate(member_count=Count("members"))
        .order_by("name", "pk")
    )  # fmt: skip


def unit_get(*, actor: Actor, unit_id: int) -> Unit:
    found = None
    if actor.is_staff and 0 < unit_id <= DB_INT_MAX:
        found = (
            Unit.objects.visible_to(actor)
            .select_related("campaign", "campaign__department", "subject")
            .prefetch_related("members")
            .filter(pk=unit_id).first()
        )  # fmt: skip
    if found is None:
        raise NotFound(_("没有诚信示范单位申报 %(id)s") % {"id": unit_id})
    return found


def findings_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """Awarded units with a breach found, waiting for the organiser's decision."""
    mine = Campaign.objects.filter(access.acting_q(actor, Action.DEMONSTRATION_DECIDE))
    qs = Unit.objects.filter(campaign__in=mine, status=UnitStatus.AWARDED).exclude(breaches=[])
    items = [
        Todo(
            step=str(_("核查诚信示范单位失信情形")),
            subject=u.name,
            about=u.campaign.title,
            url=reverse("backoffice:demonstration_unit", args=[u.pk]),
            due=None,
            late=False,
        )
        for u in qs.select_related("campaign").order_by("breach_found_at", "pk")[:SHOWN]
    ]
    url = reverse("backoffice:demonstration")
    return TodoList("demonstration", _("诚信示范单位待核查"), url, qs.count(), items)


def online_campaigns(*, subject, today: datetime.date) -> list[Campaign]:
    """The campaigns a school or an enterprise may apply to itself: open, of a subject's
    kind of unit, not closed."""
    return list(
        Campaign.objects.filter(
            status=CampaignStatus.OPEN, apply_until__gte=today,
            kind__in=(UnitKind.SCHOOL, UnitKind.ENTERPRISE),
        ).select_related("department").order_by("apply_until", "pk")
    )  # fmt: skip


def own_units(*, subject) -> list[Unit]:
    """The subject's own applications and titles (its bound account's page), newest first."""
    return list(
        Unit.objects.filter(subject=subject).select_related("campaign", "campaign__department")
        .order_by("-submitted_at", "-pk")
    )  # fmt: skip


# -- the portal -------------------------------------------------------------------------
@dataclass(frozen=True)
class PublicCampaign:
    """What the portal shows of a published campaign (the organiser, never its staff)."""

    id: int
    title: str
    kind: str  # the kind's name
    year: int
    department: str
    published_on: datetime.date
    awarded: int


@dataclass(frozen=True)
class PublicUnit:
    """What the portal shows of a unit: its name, where, its title's term, and when it was
    revoked — not the assessment, the members or the reasons (which may name members)."""

    name: str
    subject_id: int | None
    area: str
    valid_until: datetime.date
    revoked_on: datetime.date | None


def _public(c: Campaign, awarded: int) -> PublicCampaign:
    return PublicCampaign(
        id=c.pk, title=c.title, kind=c.get_kind_display(), year=c.year,
        department=c.department.name, published_on=timezone.localdate(c.published_at),
        awarded=awarded,
    )  # fmt: skip


def public_campaigns() -> list[PublicCampaign]:
    """Published campaigns, newest first, with the count of titles awarded and not revoked."""
    rows = (
        Campaign.objects.filter(status=CampaignStatus.PUBLISHED)
        .select_related("department")
        .annotate(n=Count("units", filter=Q(units__status=UnitStatus.AWARDED)))
        .order_by("-published_at", "-pk")[:200]
    )
    return [_public(c, c.n) for c in rows]


def public_campaign(
    *, campaign_id: int, today: datetime.date
) -> tuple[PublicCampaign, list[PublicUnit], list[PublicUnit]]:
    """A published campaign: its units with a title in force, and those whose title was
    revoked within its term (the portal says so, as the plans' 动态管理 requires)."""
    found = None
    if 0 < campaign_id <= DB_INT_MAX:
        found = (
            Campaign.objects.filter(status=CampaignStatus.PUBLISHED, pk=campaign_id)
            .select_related("department").first()
        )  # fmt: skip
    if found is None:
        raise NotFound(_("没有已公布的诚信示范创建活动 %(id)s") % {"id": campaign_id})
    units = Unit.objects.filter(
        campaign=found, valid_until__gte=today,
        status__in=(UnitStatus.AWARDED, UnitStatus.REVOKED),
    ).order_by("name", "pk")  # fmt: skip
    shown = [
        PublicUnit(
            name=u.name,
            subject_id=u.subject_id,
            area=u.area,
            valid_until=u.valid_until,
            revoked_on=timezone.localdate(u.revoked_at) if u.revoked_at else None,
        )
        for u in units
    ]
    awarded = [u for u in shown if u.revoked_on is None]
    return _public(found, len(awarded)), awarded, [u for u in shown if u.revoked_on]
