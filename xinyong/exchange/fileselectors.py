"""Reading what file exchange kept: the stored daily digests and the packages received —
an oversight view (the credit office and the auditor, as the audit log), not a
department's: a digest counts every department's publications."""

from django.utils.translation import gettext as _

from xinyong.accounts.access import Action, require
from xinyong.accounts.actors import Actor
from xinyong.exchange.filemodels import DailyDigest, ReceivedPackage

DAYS_SHOWN = 60


def daily_digests(*, actor: Actor) -> list[DailyDigest]:
    """The last ``DAYS_SHOWN`` days' digests, newest first, feeds in their order."""
    require(actor, Action.AUDIT_READ, message=_("只有审计员和平台运营（信用办）可以查看交换对账"))
    days = list(
        DailyDigest.objects.values_list("day", flat=True).distinct().order_by("-day")[:DAYS_SHOWN]
    )
    return list(DailyDigest.objects.filter(day__in=days).order_by("-day", "feed"))


def packages_received(*, actor: Actor, limit: int = 20) -> list[ReceivedPackage]:
    require(actor, Action.AUDIT_READ, message=_("只有审计员和平台运营（信用办）可以查看交换对账"))
    return list(ReceivedPackage.objects.select_related("node").order_by("-received_at")[:limit])
