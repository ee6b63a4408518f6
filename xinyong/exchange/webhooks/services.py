"""Writes of change subscriptions (webhooks): register, change kinds and subjects, rotate
the secret, stop and re-enable, replay from a point in time, queue a test ping. Each is one
act: validated first (field + rule, nothing written), ``access.require``, one transaction,
one audit event. Nothing here sends: the worker does (:mod:`.send`)."""

import dataclasses
import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.disclosure.choices import FeedAction
from xinyong.exchange.choices import Feed
from xinyong.exchange.models import (
    FeedHead,
    WebhookDelivery,
    WebhookKind,
    WebhookMessage,
    WebhookSubscription,
)
from xinyong.exchange.webhooks import dispatch, signing, watch
from xinyong.exchange.webhooks.choices import (
    DeliveryStatus,
    Signing,
    SubscriptionStatus,
    WatchKind,
)
from xinyong.exchange.webhooks.targets import url_errors
from xinyong.lists.feedlog import FEED_ACTIONS as LIST_ACTIONS


@dataclasses.dataclass
class SubscriptionIn:
    """What a subscription says: where, which kinds (``feed`` or ``feed.action``), which
    subjects (codes, or a saved query), how it is signed."""

    name: str
    url: str
    kinds: list[str]
    watch: str = WatchKind.CODES
    codes: list[str] = dataclasses.field(default_factory=list)
    prefix: str = ""
    signing: str = Signing.HMAC


def _kinds(actor: Actor, kinds: list[str]) -> tuple[list[tuple[str, str]], list[FieldError]]:
    if not kinds:
        return [], [FieldError("kinds", "kinds.required", _("请至少选择一类变动"))]
    out, errors = set(), []
    for i, kind in enumerate(kinds):
        feed, _dot, action = str(kind).strip().partition(".")
        if feed not in Feed.values or (action and not _action_known(feed, action)):
            errors.append(
                FieldError(
                    f"kinds.{i}",
                    "kind.unknown",
                    _("没有“%(kind)s”这类变动") % {"kind": str(kind)[:40]},
                )
            )
        elif not access.feed_allowed(actor, feed):
            errors.append(
                FieldError(
                    f"kinds.{i}",
                    "kind.scope",
                    _("接口令牌的权限范围不含“%(feed)s”类变动") % {"feed": Feed(feed).label},
                )
            )
        else:
            out.add((feed, action))
    whole = {f for f, a in out if not a}  # a whole feed covers its actions: no duplicates
    return sorted((f, a) for f, a in out if not a or f not in whole), errors


# The actions each feed tells of (what the change log's writers append), for subscribing
# to one action of a feed: publicity (disclosure.FeedAction), lists (lists.feedlog), repairs
# (remedies), commitments (the public steps of commitments.feeds), evaluations (engine).
FEED_ACTIONS = {
    Feed.PUBLICITY: tuple(FeedAction.values),
    Feed.LISTS: tuple(str(a) for a in LIST_ACTIONS),
    Feed.REPAIRS: ("approve",),
    Feed.COMMITMENTS: ("sign", "keep", "decide", "end", "lapse", "lift"),
    Feed.EVALUATIONS: ("grade",),
}


def _action_known(feed: str, action: str) -> bool:
    return action in FEED_ACTIONS.get(feed, ())


def _validate(actor: Actor, data: SubscriptionIn) -> tuple[list, list[int]]:
    """The kinds and (for a code list) the subjects, or ValidationFailed naming every rule
    broken."""
    errors = []
    if not data.name.strip() or len(data.name) > 100:
        errors.append(FieldError("name", "name.required", _("请填写名称（不超过 100 字）")))
    errors += url_errors(data.url)
    kinds, kind_errors = _kinds(actor, data.kinds)
    errors += kind_errors
    if data.signing not in Signing.values:
        errors.append(FieldError("signing", "signing.unknown", _("签名方式应为 hmac 或 ed25519")))
    ids = []
    if data.watch == WatchKind.CODES:
        ids, subject_errors = watch.codes_resolve(actor, data.codes)
        errors += subject_errors
    elif data.watch == WatchKind.REGION:
        errors += watch.prefix_errors(data.prefix)
    elif data.watch != WatchKind.REGISTERED:
        errors.append(
            FieldError("watch", "watch.unknown", _("关注范围应为 codes、registered 或 region"))
        )
    if errors:
        raise ValidationFailed(errors)
    return kinds, ids


def _kinds_save(sub: WebhookSubscription, kinds: list[tuple[str, str]]) -> None:
    WebhookKind.objects.filter(subscription=sub).delete()
    WebhookKind.objects.bulk_create(
        [WebhookKind(subscription=sub, feed=f, action=a) for f, a in kinds]
    )


def _watch_save(actor: Actor, sub: WebhookSubscription, ids: list[int]) -> int:
    if sub.watch == WatchKind.CODES:
        watch.watched_replace(sub, ids)
        return len(ids)
    sub.watched.all().delete()
    sub.refreshed_at, sub.watch_persons = timezone.now(), access.watches_persons(actor)
    return watch.saved_query_resolve(sub)


def _audit(actor, action, sub, **detail):
    audit_event_append(
        actor=actor, action=action, object_type="webhook", object_id=sub.pk, detail=detail
    )


def webhook_create(*, actor: Actor, data: SubscriptionIn) -> tuple[WebhookSubscription, str]:
    """Register a subscription for the actor's department; the secret, shown this once.
    Changes after this moment are delivered (a replay cannot reach further back)."""
    access.require(actor, access.Action.WEBHOOK_MANAGE, None)  # who may at all, first
    kinds, ids = _validate(actor, data)
    secret, now = signing.secret_new(), timezone.now()
    with transaction.atomic(durable=True):
        head = FeedHead.objects.values_list("last_seq", flat=True).first() or 0
        sub = WebhookSubscription.objects.create(
            department_id=actor.department_id,
            client_id=actor.client_id,
            name=data.name.strip(),
            url=data.url.strip(),
            watch=data.watch,
            watch_prefix=data.prefix.strip().upper(),
            signing=data.signing,
            secret_encrypted=signing.secret_seal(secret),
            start_seq=head,
            created_by=actor.label,
            created_at=now,
            updated_at=now,
        )
        _kinds_save(sub, kinds)
        watched = _watch_save(actor, sub, ids)
        sub.save(update_fields=["refreshed_at", "watch_persons"])
        _audit(
            actor,
            AuditAction.WEBHOOK_CREATE,
            sub,
            url=sub.url,
            watch=sub.watch,
            kinds=[WebhookKind.label_of(f, a) for f, a in kinds],
            subjects=watched,
        )
        transaction.on_commit(_wake)
    return sub, secret


def _wake() -> None:
    from xinyong.exchange.webhooks.tasks import webhooks_schedule

    webhooks_schedule()


def _get(actor: Actor, subscription_id: int, *, lock: bool = False) -> WebhookSubscription:
    qs = WebhookSubscription.objects.visible_to(actor).filter(pk=subscription_id)
    sub = (qs.select_for_update() if lock else qs).first()
    if sub is None:
        raise NotFound(_("没有该变动订阅，或无权查看"))
    access.require(actor, access.Action.WEBHOOK_MANAGE, sub)
    return sub


def webhook_update(
    *, actor: Actor, subscription_id: int, data: SubscriptionIn
) -> WebhookSubscription:
    """Change a subscription's name, address, kinds and subjects (all given again)."""
    _get(actor, subscription_id)
    kinds, ids = _validate(actor, data)
    with transaction.atomic(durable=True):
        sub = _get(actor, subscription_id, lock=True)
        sub.name, sub.url, sub.signing = data.name.strip(), data.url.strip(), data.signing
        sub.watch, sub.watch_prefix = data.watch, data.prefix.strip().upper()
        sub.updated_at = timezone.now()
        _kinds_save(sub, kinds)
        watched = _watch_save(actor, sub, ids)
        sub.save()
        _audit(
            actor,
            AuditAction.WEBHOOK_UPDATE,
            sub,
            url=sub.url,
            watch=sub.watch,
            kinds=[WebhookKind.label_of(f, a) for f, a in kinds],
            subjects=watched,
        )
    return sub


def webhook_secret_rotate(*, actor: Actor, subscription_id: int) -> tuple[WebhookSubscription, str]:
    """A new secret (shown this once); the previous one keeps signing, beside it, for
    ``XINYONG_WEBHOOK_SECRET_GRACE_HOURS`` so the receiver can switch without losing one."""
    secret, now = signing.secret_new(), timezone.now()
    grace = datetime.timedelta(hours=settings.XINYONG_WEBHOOK_SECRET_GRACE_HOURS)
    with transaction.atomic(durable=True):
        sub = _get(actor, subscription_id, lock=True)
        sub.previous_secret_encrypted, sub.previous_until = sub.secret_encrypted, now + grace
        sub.secret_encrypted, sub.updated_at = signing.secret_seal(secret), now
        sub.save()
        _audit(
            actor,
            AuditAction.WEBHOOK_SECRET_ROTATE,
            sub,
            previous_until=sub.previous_until.isoformat(),
        )
    return sub, secret


def webhook_disable(*, actor: Actor, subscription_id: int, reason: str = "") -> WebhookSubscription:
    """Stop a subscription: nothing more is fanned out to it or sent."""
    with transaction.atomic(durable=True):
        sub = _get(actor, subscription_id, lock=True)
        sub.status, sub.status_reason = SubscriptionStatus.DISABLED, reason.strip()[:300]
        sub.updated_at = timezone.now()
        sub.save()
        _audit(actor, AuditAction.WEBHOOK_DISABLE, sub, reason=sub.status_reason)
    return sub


def webhook_enable(*, actor: Actor, subscription_id: int) -> WebhookSubscription:
    """Start a stopped subscription again (its failure count cleared). Changes while it was
    stopped are not sent by themselves: a replay from the time it stopped sends those it
    had been given."""
    with transaction.atomic(durable=True):
        sub = _get(actor, subscription_id, lock=True)
        sub.status, sub.status_reason, sub.updated_at = (
            SubscriptionStatus.ACTIVE,
            "",
            timezone.now(),
        )
        sub.failures, sub.failing_since = 0, None
        sub.save()
        _audit(actor, AuditAction.WEBHOOK_ENABLE, sub)
        transaction.on_commit(_wake)
    return sub


def webhook_replay(*, actor: Actor, subscription_id: int, since: datetime.datetime) -> int:
    """Queue again, due now, every delivery of this subscription about a change at or after
    ``since`` (attempts counted afresh) — first making those it never had (changes while it
    was stopped) — how many. The receiver gets the same messages (same ``webhook-id``) for
    what it was sent before, so it can tell a replay from a new change."""
    from xinyong.exchange.models import Change

    if since > timezone.now():
        raise ValidationFailed.one("since", "since.future", _("重放起点不能晚于当前时间"))
    now = timezone.now()
    with transaction.atomic(durable=True):
        sub = _get(actor, subscription_id, lock=True)
        first = Change.objects.filter(at__gte=since).order_by("seq").values_list("seq", flat=True)
        if (seq := first.first()) is not None:
            dispatch.backfill(sub.pk, seq - 1, now)
        seqs = Change.objects.filter(at__gte=since).values("seq")
        msgs = WebhookMessage.objects.filter(change_seq__in=seqs).values("pk")
        n = WebhookDelivery.objects.filter(subscription=sub, message_id__in=msgs).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, last_error=""
        )
        _audit(actor, AuditAction.WEBHOOK_REPLAY, sub, since=since.isoformat(), deliveries=n)
        transaction.on_commit(_wake)
    return n


def webhook_ping(*, actor: Actor, subscription_id: int) -> WebhookDelivery:
    """Queue a test message (``webhook.ping``) to the subscription, due now."""
    import json

    now = timezone.now()
    with transaction.atomic(durable=True):
        sub = _get(actor, subscription_id, lock=True)
        body = json.dumps(
            {
                "type": "webhook.ping",
                "timestamp": now.isoformat(),
                "data": {"subscription": sub.pk},
            },
            separators=(",", ":"),
        )
        msg = WebhookMessage.objects.create(event_type="webhook.ping", body=body, created_at=now)
        delivery = WebhookDelivery.objects.create(
            subscription=sub, message=msg, next_attempt_at=now, created_at=now
        )
        _audit(actor, AuditAction.WEBHOOK_PING, sub, delivery=delivery.pk)
        transaction.on_commit(_wake)
    return delivery
