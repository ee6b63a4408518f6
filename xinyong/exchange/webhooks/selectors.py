"""Reads of change subscriptions: a department's own (the operator and the auditor read
every one), a subscription's delivery log, the to-do of stopped ones. Never a secret."""

import datetime

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xinyong.accounts import access
from xinyong.accounts.actors import Actor
from xinyong.core.errors import NotFound
from xinyong.core.todo import SHOWN, Todo, TodoList, late_first
from xinyong.exchange.models import WebhookDelivery, WebhookSubject, WebhookSubscription
from xinyong.exchange.webhooks.choices import DeliveryStatus, SubscriptionStatus


def _per_subscription(qs):
    """How many rows of ``qs`` each subscription has: a subquery per count (counting them
    in one join would multiply watched subjects by deliveries)."""
    rows = qs.filter(subscription=OuterRef("pk")).order_by().values("subscription")
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0)


def webhooks_list(*, actor: Actor):
    """Subscriptions the actor reads, with their delivery counts by status."""
    return (
        WebhookSubscription.objects.visible_to(actor)
        .select_related("department")
        .prefetch_related("kinds")
        .annotate(
            watched_count=_per_subscription(WebhookSubject.objects.all()),
            pending_count=_per_subscription(
                WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
            ),
            failed_count=_per_subscription(
                WebhookDelivery.objects.filter(status=DeliveryStatus.FAILED)
            ),
        )
    )


def webhook_get(*, actor: Actor, subscription_id: int) -> WebhookSubscription:
    sub = (
        WebhookSubscription.objects.visible_to(actor)
        .select_related("department")
        .prefetch_related("kinds")
        .filter(pk=subscription_id)
        .first()
    )
    if sub is None:
        raise NotFound(str(_("没有该变动订阅，或无权查看")))
    sub.watched_count = sub.watched.count()
    return sub


def deliveries(*, actor: Actor, subscription_id: int, status: str = "", limit: int = 100):
    """A subscription's delivery log, newest first."""
    visible = WebhookSubscription.objects.visible_to(actor).filter(pk=subscription_id)
    if not visible.exists():
        raise NotFound(str(_("没有该变动订阅，或无权查看")))
    qs = WebhookDelivery.objects.filter(subscription_id=subscription_id).select_related("message")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-message_id", "-pk")[:limit]  # the unique index serves it


def kinds_of(sub: WebhookSubscription) -> list[str]:
    return [str(k) for k in sub.kinds.all()]


def webhooks_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """Subscriptions the platform stopped after repeated failures, for their department
    (and the operator): fix the receiver, re-enable, replay."""
    qs = WebhookSubscription.objects.filter(
        access.acting_q(actor, access.Action.WEBHOOK_MANAGE), status=SubscriptionStatus.FAILING
    )
    items = [
        Todo(
            step=str(_("检查接收系统后重新启用")),
            subject=s.name,
            about=s.status_reason,
            url=reverse("backoffice:webhook", args=[s.pk]),
            since=s.failing_since.date() if s.failing_since else None,
        )
        for s in qs.order_by("failing_since", "pk")[:SHOWN]
    ]
    return TodoList(
        "webhooks",
        _("变动订阅已停用（投递失败）"),
        reverse("backoffice:webhooks"),
        qs.count(),
        late_first(items),
    )
