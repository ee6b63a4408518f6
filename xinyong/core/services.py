"""Writes of the shared basics: the operator's working-day calendar (see ``workdays``).
Each change is one transaction with one audit event, and takes effect in this process at
once (other processes within a minute)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import workdays
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.models import CalendarYear, WorkdayOverride


def _operator(actor: Actor) -> None:
    access.require(
        actor, Action.ADMINISTER, message=gettext("只有平台运营人员（信用办）可以维护工作日历")
    )


def _basis(basis: str) -> str:
    basis = (basis or "").strip()
    if not basis:
        raise ValidationFailed(
            [
                FieldError(
                    "basis", "required", gettext("依据必填：如国务院办公厅当年的放假安排通知文号")
                )
            ]
        )
    if len(basis) > 200:
        raise ValidationFailed(
            [FieldError("basis", "max_length", gettext("依据不得超过200个字符"))]
        )
    return basis


def workday_override_save(
    *, actor: Actor, day: datetime.date, is_workday: bool, name: str, basis: str
) -> WorkdayOverride:
    """Declare ``day`` a holiday or a make-up working day, as the notice says."""
    _operator(actor)
    basis = _basis(basis)
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise ValidationFailed(
            [FieldError("name", "required", gettext("名称必填，不超过64个字符"))]
        )
    with transaction.atomic():
        row, _ = WorkdayOverride.objects.update_or_create(
            day=day,
            defaults={"is_workday": is_workday, "name": name, "basis": basis,
                      "created_by": actor.label},
        )  # fmt: skip
        audit_event_append(
            actor=actor,
            action=AuditAction.WORKDAY_SET,
            object_type="workday",
            object_id=day.isoformat(),
            detail={"is_workday": is_workday, "name": name, "basis": basis},
        )
    workdays.forget()
    return row


def workday_override_delete(*, actor: Actor, day: datetime.date) -> None:
    _operator(actor)
    with transaction.atomic():
        deleted, _ = WorkdayOverride.objects.filter(day=day).delete()
        if not deleted:
            raise NotFound(gettext("%(day)s 没有工作日调整") % {"day": day})
        audit_event_append(
            actor=actor,
            action=AuditAction.WORKDAY_UNSET,
            object_type="workday",
            object_id=day.isoformat(),
            detail={},
        )
    workdays.forget()


def calendar_year_confirm(*, actor: Actor, year: int, basis: str) -> CalendarYear:
    """Confirm that every holiday and make-up day of ``year`` is in the override table."""
    _operator(actor)
    basis = _basis(basis)
    if not 2000 <= year <= 2100:
        raise ValidationFailed([FieldError("year", "range", gettext("年份应在2000至2100之间"))])
    if not WorkdayOverride.objects.filter(day__year=year, is_workday=False).exists():
        message = gettext("%(year)s 年还没有录入任何节假日：请先按放假安排录入，再确认年度") % {
            "year": year
        }
        raise ValidationFailed([FieldError("year", "calendar.no_holidays", message)])
    with transaction.atomic():
        row, _ = CalendarYear.objects.update_or_create(
            year=year, defaults={"basis": basis, "created_by": actor.label}
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.CALENDAR_YEAR_CONFIRM,
            object_type="calendar_year",
            object_id=str(year),
            detail={"basis": basis},
        )
    workdays.forget()
    return row


def calendar_notice_import(*, actor: Actor, text: str, year: int | None = None) -> CalendarYear:
    """A whole year's calendar from the State Council's notice, in one step: its holidays
    and make-up working days replace the year's overrides, and the year is confirmed. The
    same text the operator previewed (:func:`xinyong.core.notice.notice_parse`) is parsed
    again here, so what is stored is what the preview showed; a notice the parser refuses
    writes nothing."""
    from xinyong.core.notice import notice_parse

    _operator(actor)
    notice = notice_parse(text, year=year)
    basis = notice.basis
    with transaction.atomic():
        stale = WorkdayOverride.objects.filter(day__year=notice.year).exclude(
            day__in=[d.day for d in notice.days]
        )
        replaced = [d.isoformat() for d in stale.values_list("day", flat=True)]
        stale.delete()
        for d in notice.days:
            WorkdayOverride.objects.update_or_create(
                day=d.day,
                defaults={"is_workday": d.is_workday, "name": d.name, "basis": basis,
                          "created_by": actor.label},
            )  # fmt: skip
        row, _ = CalendarYear.objects.update_or_create(
            year=notice.year, defaults={"basis": basis, "created_by": actor.label}
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.CALENDAR_YEAR_CONFIRM,
            object_type="calendar_year",
            object_id=str(notice.year),
            detail={"basis": basis, "holidays": len(notice.holidays),
                    "workdays": len(notice.workdays), "removed": replaced},
        )  # fmt: skip
    workdays.forget()
    return row


def partition_convert(*, actor: Actor, table: str, online: bool) -> dict:
    """Convert one of the growing tables to partitions, online in slices or in one
    transaction; audited once done (an online conversion commits as it goes, so its event
    follows the swap). Refused with the obstacle named if anything still points at the
    table."""
    from xinyong.core.partitions import spec_for
    from xinyong.core.partitions.convert import partition_table

    done = partition_table(spec_for(table), online=online)
    if not done.get("skipped"):
        with transaction.atomic():
            audit_event_append(
                actor=actor, action=AuditAction.PARTITION_CONVERT, object_type="table",
                object_id=table, detail={**done, "online": online},
            )  # fmt: skip
    return done


def partitions_upkeep(*, actor: Actor, today: datetime.date | None = None) -> dict:
    """The daily part of partitioning: next months' partitions made ready, and months of
    the check log past ``XINYONG_CHECK_LOG_RETENTION_MONTHS`` archived and dropped whole
    (with the feedback on those checks), in one transaction with one audit event."""
    from xinyong.core import partitions
    from xinyong.core.partitions import months

    today = today or timezone.localdate()
    keep = partitions.setting("XINYONG_CHECK_LOG_RETENTION_MONTHS")
    with transaction.atomic():
        created = months.partitions_ensure(today=today)
        dropped = []
        if keep > 0:
            before = months.months_back(today.replace(day=1), keep)
            folder = settings.VAR_DIR / "archive" / "partitions"
            dropped = months.partitions_drop(
                table="sanctions_creditcheck", before=before, archive=folder
            )
        if dropped:
            audit_event_append(
                actor=actor, action=AuditAction.PARTITION_RETENTION,
                object_type="table", object_id="sanctions_creditcheck",
                detail={"before": before.isoformat(), "dropped": dict(dropped)},
            )  # fmt: skip
    return {"created": created, "dropped": dropped}
