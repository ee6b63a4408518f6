"""Calendar days of the platform's time zone (Asia/Shanghai) as ranges of aware datetimes:
a filter on a stored timestamp compares with the day's bounds (the column's index serves
it), never with ``__date`` of the column."""

import datetime

from django.utils import timezone


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight that begins ``day`` in the platform's time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def shift(first: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` after (before, if negative) ``first``'s."""
    n = first.year * 12 + first.month - 1 + months
    return datetime.date(n // 12, n % 12 + 1, 1)


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """``day`` as [its midnight, the next day's midnight)."""
    return day_start(day), day_start(day + datetime.timedelta(days=1))
