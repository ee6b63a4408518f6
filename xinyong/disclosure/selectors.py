"""Reads of dual publicity."""

from dataclasses import dataclass

from django.db.models import Count, Q

from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import Role
from xinyong.accounts.models import Department
from xinyong.catalog import selectors as catalog
from xinyong.core.errors import PermissionDenied
from xinyong.disclosure.choices import PublicationStatus
from xinyong.disclosure.models import Publication, PublicationChange, PublicityRule
from xinyong.disclosure.rules import Rule


def publicity_rules() -> dict[str, Rule]:
    """The rules table as the period computation takes it, by penalty class."""
    return {
        r.penalty_class: Rule(
            r.penalty_class, r.publish, r.min_months, r.max_months, frozenset(r.kinds), r.basis
        )
        for r in PublicityRule.objects.all()
    }


@dataclass
class TimelinessRow:
    provider: str
    item: str
    total: int
    public: int
    pending: int
    not_published: int
    ended: int
    withdrawn: int
    on_time: int
    late: int
    on_time_pct: float | None  # of the published ones with a deadline


def timeliness_report(*, actor: Actor) -> list[TimelinessRow]:
    """Per department and item: how many decisions were published, and how many within 7
    working days of the decision (部门双公示及时率). A department sees its own rows; the
    platform operator and the auditor see every department's."""
    qs = Publication.objects.all()
    if not (actor.sees_all_departments or actor.role == Role.AUDITOR):
        if actor.department_id is None:
            raise PermissionDenied("没有查看双公示及时率的权限")
        qs = qs.filter(provider_id=actor.department_id)
    rows = (
        qs.values("provider_id", "item_code")
        .annotate(
            total=Count("pk"),
            **{s: Count("pk", filter=Q(status=s)) for s in PublicationStatus.values},
            on_time_n=Count("pk", filter=Q(on_time=True)),
            late_n=Count("pk", filter=Q(on_time=False)),
        )
        .order_by("provider_id", "item_code")
    )
    names = dict(Department.objects.values_list("pk", "name"))
    items = {d.code: d.name for _, d in catalog.catalog_items(active_only=False)}
    return [
        TimelinessRow(
            provider=names.get(r["provider_id"], str(r["provider_id"])),
            item=items.get(r["item_code"], r["item_code"]),
            total=r["total"],
            public=r["public"],
            pending=r["pending"],
            not_published=r["not_published"],
            ended=r["ended"],
            withdrawn=r["withdrawn"],
            on_time=r["on_time_n"],
            late=r["late_n"],
            on_time_pct=round(100 * r["on_time_n"] / (r["on_time_n"] + r["late_n"]), 1)
            if r["on_time_n"] + r["late_n"]
            else None,
        )
        for r in rows
    ]


@dataclass
class FeedEntry:
    seq: int
    action: str
    at: object
    item: str
    provider: str
    source_id: str
    fields: dict  # public fields by standard code; empty for "unpublish"


def feed(*, after: int, limit: int, item: str | None = None) -> tuple[list[FeedEntry], int | None]:
    """Changes of public view after ``after`` (the caller's cursor), oldest first, and the
    cursor to ask with next (None when there is nothing new). Filtering by item may return
    fewer than ``limit`` entries; the cursor still moves past what was read."""
    from xinyong.records.models import Record
    from xinyong.records.selectors import public_fields

    changes = list(PublicationChange.objects.filter(pk__gt=after).order_by("pk")[:limit])
    records = Record.objects.in_bulk({c.record_id for c in changes})
    providers = dict(Department.objects.values_list("pk", "code"))
    out = []
    for c in changes:
        r = records.get(c.record_id)
        if r is None or (item and r.item_code != item):
            continue
        out.append(
            FeedEntry(
                seq=c.pk,
                action=c.action,
                at=c.at,
                item=r.item_code,
                provider=providers.get(r.provider_id, ""),
                source_id=r.source_id,
                fields=public_fields(r) if c.action == "publish" else {},
            )
        )
    return out, (changes[-1].pk if changes else None)
