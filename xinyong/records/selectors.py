"""Reads of the credit file. What a reader sees is decided here, record by record and field
by field, from the item's disclosure levels:

- public (公开): anyone — on the portal only while the item's publicity rule shows it;
- shared (有条件共享): departments the provider shares with (sharing rules), the operator;
- restricted (不予公开): the provider itself and the platform operator.

Every back-office read of a credit file is audited (it shows provenance and, to most
readers, non-public records)."""

from functools import lru_cache

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action, visible_provider_ids
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog import selectors as catalog
from xinyong.catalog.choices import Category, Disclosure, PublicityMode
from xinyong.catalog.definitions import ItemDefinition
from xinyong.core import crypto
from xinyong.core.errors import PermissionDenied
from xinyong.disclosure.rules import dual_publicity_items, shown_q
from xinyong.records.choices import RecordStatus
from xinyong.records.models import Record
from xinyong.records.schemas import CreditFilePage, RecordOut

_RANK = {Disclosure.PUBLIC: 0, Disclosure.SHARED: 1, Disclosure.RESTRICTED: 2}
PAGE = 50


def visible_codes(item: ItemDefinition, level: int = 0) -> tuple[str, ...]:
    """Field codes of an item a reader at ``level`` may see (0 public, 1 shared, 2 all), in
    the item's order."""
    return tuple(f.code for f in item.all_fields if _RANK[f.disclosure] <= level)


@lru_cache(maxsize=512)
def _visible_fields(item_version_id: int, level: int) -> frozenset[str]:
    """:func:`visible_codes` of a stored version (versions never change: cached)."""
    return frozenset(visible_codes(catalog.version_definition(item_version_id), level))


def record_out(
    r, *, level: int, provider: str, provenance: bool = True, withdrawable: bool = False
) -> RecordOut:
    """A record as a reader at ``level`` sees it (0: the public, with persons' names
    masked)."""
    item = catalog.version_definition(r.item_version_id)
    values = visible_fields(r, level)
    out = RecordOut.of(r, item, values, provider=provider, provenance=provenance)
    if provenance:  # back office: why it was withdrawn, and whether this reader may
        out.withdraw_reason, out.withdrawable = r.withdraw_reason, withdrawable
    return out


def _page(qs: QuerySet, *, category, offset, limit, level, withdrawable=None,
          provenance: bool = False) -> CreditFilePage:  # fmt: skip
    """One page of a file. ``provenance`` (batch, row, channel, content hash) is for staff;
    the public and the subject itself see the providing department and the date only."""
    counts = {
        c: n for c, n in qs.values_list("category").annotate(n=Count("id")).order_by("category")
    }
    if category:
        qs = qs.filter(category=category)
    rows = list(
        qs.order_by(F("decision_date").desc(nulls_last=True), "-id")[offset : offset + limit + 1]
    )
    names = dict(
        Department.objects.filter(pk__in={r.provider_id for r in rows}).values_list("pk", "name")
    )
    doubted = records_under_objection([r.pk for r in rows[:limit]])
    out = []
    for r in rows[:limit]:
        rec = record_out(
            r,
            level=level(r),
            provider=names.get(r.provider_id, ""),
            provenance=provenance,
            withdrawable=bool(withdrawable and withdrawable(r)),
        )
        rec.under_objection = r.pk in doubted
        out.append(rec)
    return CreditFilePage(
        records=out,
        category=category,
        categories=[(c, str(label), counts[c]) for c, label in Category.choices if c in counts],
        offset=offset,
        next_offset=offset + limit if len(rows) > limit else None,
    )


def credit_file(
    *, actor: Actor, subject, category: str | None = None, offset: int = 0, limit: int = PAGE
) -> CreditFilePage:
    """A subject's credit file as the back-office reader may see it, newest first, with
    provenance. Withdrawn records are listed (marked) so that corrections stay traceable;
    records past their retention are not."""
    if not actor.is_staff:
        raise PermissionDenied(gettext("信用档案的非公开部分仅限授权的部门人员查看"))
    qs = (
        Record.objects.visible_to(actor)
        .filter(subject_id=subject.pk)
        .exclude(status=RecordStatus.EXPIRED)
    )
    page = _page(
        qs,
        category=category,
        offset=offset,
        limit=limit,
        level=field_level(actor),
        withdrawable=lambda r: r.status == RecordStatus.ACTIVE and may_withdraw(actor, r),
        provenance=True,
    )
    with transaction.atomic():
        audit_event_append(
            actor=actor,
            action=AuditAction.CREDIT_FILE_READ,
            object_type="subject",
            object_id=subject.pk,
            detail={
                "category": category or "",
                "offset": offset,
                "records": [r.id for r in page.records],
            },
        )
    return page


def public_records(
    *, subject, category: str | None = None, offset: int = 0, limit: int = PAGE,
    items: list[str] | None = None,
) -> CreditFilePage:  # fmt: skip
    """The public part of a credit file (portal subject page); public fields only.
    ``items``: only these catalog items (the page's licences and penalties tabs)."""
    qs = public_records_qs(subject_id=subject.pk)
    if items is not None:
        qs = qs.filter(item_code__in=items)
    return _page(qs, category=category, offset=offset, limit=limit, level=lambda r: 0)


def public_records_qs(*, subject_id: int | None = None, subject_ids=None) -> QuerySet:
    """What the public sees of a subject's records (the portal and the public report):
    active, public records of items shown while in force, and licences and penalties the
    dual-publicity sweep has published and whose period has not ended. ``subject_ids``:
    of several subjects at once (a batch of reports)."""
    subjects = (
        {"subject_id": subject_id} if subject_ids is None else {"subject_id__in": subject_ids}
    )
    always, swept = public_item_codes()
    return Record.objects.filter(
        Q(item_code__in=always)
        | Q(item_code__in=swept) & shown_q(timezone.localdate(), via="publication__"),
        **subjects,
        status="active",
        disclosure=Disclosure.PUBLIC,
    )


def public_item_codes() -> tuple[list[str], list[str]]:
    """The catalog items of :func:`public_records_qs`, sorted: those public while in force,
    and those the dual-publicity sweep publishes (licences, penalties). A batch engine
    applies the same rule to an export (``engines/reports.py``), and data computed under
    other sets is not taken (the catalog changed)."""
    always = sorted(
        d.code
        for _, d in catalog.catalog_items()
        if d.disclosure == Disclosure.PUBLIC and d.publicity.mode == PublicityMode.ALWAYS
    )
    return always, sorted(dual_publicity_items())


def field_level(actor: Actor):
    """How much of each record ``actor`` sees, as a function of the record (2: all fields,
    its own department's; 1: shared fields, a provider sharing with it; 0: public)."""
    providers = visible_provider_ids(actor)

    def level(r) -> int:
        if providers is None or r.provider_id == actor.department_id:
            return 2
        return 1 if r.provider_id in providers else 0

    return level


def visible_fields(r, level: int) -> dict:
    """A record's field values a reader at ``level`` sees (0: the public's, names masked)."""
    if level == 0:
        return public_fields(r)
    visible = _visible_fields(r.item_version_id, level)
    return {k: v for k, v in r.data.items() if k in visible}


def public_fields(record) -> dict:
    """A record's public fields by standard code (what the portal shows and feeds carry).
    A natural person's name is published masked; identifier numbers are never public."""
    visible = _visible_fields(record.item_version_id, 0)
    fields = {k: v for k, v in record.data.items() if k in visible}
    if fields.get("XDR_LB") == "自然人" and "XDR_MC" in fields:
        fields["XDR_MC"] = crypto.mask_name(fields["XDR_MC"])
    return fields


def may_withdraw(actor: Actor, record) -> bool:
    """Who may withdraw a record: a clerk of the department that provided it, or the
    platform operator on its behalf."""
    return access.allowed(actor, Action.RECORD_WITHDRAW, record)


def record_subject_id(*, record_id: int) -> int | None:
    """Whose credit file a record is in (to return to it after acting on the record)."""
    return Record.objects.filter(pk=record_id).values_list("subject_id", flat=True).first()


def own_file(*, actor: Actor, subject, category: str | None = None, offset: int = 0,
             limit: int = PAGE) -> CreditFilePage:  # fmt: skip
    """A subject's file as the subject itself sees it through its bound portal account:
    every record in the file, public and shared fields (restricted ones stay with the
    providers). The read is audited."""
    qs = (
        Record.objects.visible_to(actor)
        .filter(subject_id=subject.pk)
        .exclude(status=RecordStatus.EXPIRED)
    )
    page = _page(qs, category=category, offset=offset, limit=limit, level=lambda r: 1)
    read = {"own_file": True, "records": [r.id for r in page.records]}
    with transaction.atomic():
        audit_event_append(
            actor=actor, action=AuditAction.CREDIT_FILE_READ, object_type="subject",
            object_id=subject.pk, detail=read,
        )  # fmt: skip
    return page


def records_under_objection(record_ids: list[int]) -> set[int]:
    """Which of these records the platform has marked as under objection (shown on every
    reading of the file, the public one included)."""
    from xinyong.remedies.models import Objection

    return set(
        Objection.objects.filter(
            record_id__in=record_ids, status__in=("marked", "forwarded")
        ).values_list("record_id", flat=True)
    )
