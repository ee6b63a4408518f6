"""Calendar days of the platform's time zone (Asia/Shanghai) as ranges of aware datetimes:
a filter on a stored timestamp compares with the day's bounds (the column's index serves
it), never with ``__date`` of the column."""

import datetime

from django.utils import timezone


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight that begins ``day`` in the platform's time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """``day`` as [its midnight, the next day's midnight)."""
    return day_start(day), day_start(day + datetime.timedelta(days=1))
