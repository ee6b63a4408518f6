"""The sender: claims due deliveries (moving their ``next_attempt_at`` ahead by a lease, so
a sender that dies leaves them due again), POSTs them with one pooled httpx client from a
thread pool, signed per Standard Webhooks, and writes the outcome back to the delivery log
in bulk. A failure is retried with exponential backoff and jitter until
``XINYONG_WEBHOOK_MAX_ATTEMPTS``; a subscription failing every attempt for long enough is
stopped and its department told (the back office's to-do list)."""

import concurrent.futures
import dataclasses
import datetime
import random
import time
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.models import User
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.exchange.models import WebhookDelivery, WebhookSubscription
from xinyong.exchange.webhooks import signing
from xinyong.exchange.webhooks.choices import DeliveryStatus, Signing, SubscriptionStatus
from xinyong.exchange.webhooks.targets import (
    ADDRESS_REFUSED,
    AddressRefused,
    CheckedTransport,
    resolved_allowed,
    url_errors,
)

LEASE = datetime.timedelta(minutes=5)


def backoff(attempts: int, *, rand: random.Random | None = None) -> datetime.timedelta:
    """Wait after the ``attempts``-th failed attempt: first × 2^(n-1), capped, ±20 %."""
    first = settings.XINYONG_WEBHOOK_RETRY_FIRST_SECONDS
    base = min(first * 2 ** (attempts - 1), settings.XINYONG_WEBHOOK_RETRY_MAX_SECONDS)
    return datetime.timedelta(seconds=base * (rand or random).uniform(0.8, 1.2))


@dataclasses.dataclass
class Outcome:
    delivery_id: int
    subscription_id: int
    ok: bool
    status_code: int | None
    latency_ms: int
    error: str


def claim(*, limit: int, now: datetime.datetime) -> list[WebhookDelivery]:
    """Due deliveries of active subscriptions, leased to this sender. The active ones are
    named by id (few), not joined: the due index is then walked in order and the scan
    stops at ``limit`` rows, however many millions wait (a join sorted them all)."""
    active = list(
        WebhookSubscription.objects.filter(status=SubscriptionStatus.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    if not active:
        return []
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(
                status=DeliveryStatus.PENDING, next_attempt_at__lte=now, subscription_id__in=active
            )
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=now + LEASE)
    return list(
        WebhookDelivery.objects.filter(pk__in=ids).select_related("message", "subscription")
    )


def _secrets(sub: WebhookSubscription, now: datetime.datetime) -> list[str]:
    out = [signing.secret_open(sub.secret_encrypted)]
    if sub.previous_secret_encrypted and sub.previous_until and sub.previous_until > now:
        out.append(signing.secret_open(sub.previous_secret_encrypted))
    return out


class _Reach:
    """Whether the sender may connect to a subscription's host (the allowlist, and the
    addresses its name resolves to), asked once per host and round."""

    def __init__(self):
        self.known: dict[str, str] = {}

    def refusal(self, url: str) -> str:
        if url not in self.known:
            errors = url_errors(url)
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            if not errors and not resolved_allowed(parts.hostname or "", port):
                self.known[url] = ADDRESS_REFUSED
            else:  # the log shows a person the rule's words, not its code
                self.known[url] = errors[0].message if errors else ""
        return self.known[url]


def _post(client: httpx.Client, d: WebhookDelivery, secrets: list[str], refusal: str) -> Outcome:
    sub = d.subscription
    if refusal:
        return Outcome(d.pk, sub.pk, False, None, 0, refusal)
    body = d.message.body.encode()
    headers = signing.headers(
        msg_id=d.message.webhook_id,
        timestamp=int(time.time()),
        body=body,
        secrets=secrets,
        ed25519=sub.signing == Signing.ED25519,
    )
    started = time.perf_counter()
    try:
        with client.stream("POST", sub.url, content=body, headers=headers) as resp:
            code = resp.status_code
    except httpx.HTTPError as e:
        ms = int((time.perf_counter() - started) * 1000)
        if isinstance(e.__cause__, AddressRefused):  # the name pointed inward when connecting
            return Outcome(d.pk, sub.pk, False, None, ms, ADDRESS_REFUSED)
        return Outcome(d.pk, sub.pk, False, None, ms, f"{type(e).__name__}: {e}"[:300])
    ms = int((time.perf_counter() - started) * 1000)
    ok = 200 <= code < 300
    return Outcome(d.pk, sub.pk, ok, code, ms, "" if ok else f"HTTP {code}")


def http_client(threads: int | None = None) -> httpx.Client:
    """The sender's pooled client: it connects only to addresses it checked when connecting
    (:class:`~.targets.CheckedTransport`), whatever a name resolves to later."""
    n = threads or settings.XINYONG_WEBHOOK_SEND_THREADS
    return httpx.Client(
        timeout=httpx.Timeout(
            settings.XINYONG_WEBHOOK_TIMEOUT, connect=settings.XINYONG_WEBHOOK_CONNECT_TIMEOUT
        ),
        transport=CheckedTransport(
            limits=httpx.Limits(max_connections=n, max_keepalive_connections=n)
        ),
        follow_redirects=False,
        trust_env=False,
        headers={"user-agent": "xinyong-webhooks/1"},
    )


def send_round(
    *,
    client: httpx.Client,
    pool: concurrent.futures.Executor,
    limit: int | None = None,
    now: datetime.datetime | None = None,
) -> list[Outcome]:
    """Claim due deliveries, send them concurrently, record the outcomes."""
    now = now or timezone.now()
    deliveries = claim(limit=limit or settings.XINYONG_WEBHOOK_SEND_BATCH, now=now)
    if not deliveries:
        return []
    reach, secrets = _Reach(), {}
    for d in deliveries:
        if d.subscription_id not in secrets:
            secrets[d.subscription_id] = _secrets(d.subscription, now)
    jobs = [
        pool.submit(_post, client, d, secrets[d.subscription_id], reach.refusal(d.subscription.url))
        for d in deliveries
    ]
    outcomes = [j.result() for j in jobs]
    record(deliveries, outcomes, now=timezone.now())
    return outcomes


def record(
    deliveries: list[WebhookDelivery], outcomes: list[Outcome], *, now: datetime.datetime
) -> None:
    """Write each attempt into its delivery (status, attempts, answer, next attempt) and
    each subscription's run of failures; stop the subscriptions failing long enough."""
    by_id = {d.pk: d for d in deliveries}
    max_attempts = settings.XINYONG_WEBHOOK_MAX_ATTEMPTS
    for o in outcomes:
        d = by_id[o.delivery_id]
        d.attempts += 1
        d.last_attempt_at, d.last_status_code = now, o.status_code
        d.last_latency_ms, d.last_error = o.latency_ms, o.error
        if o.ok:
            d.status, d.next_attempt_at = DeliveryStatus.SUCCEEDED, None
        elif d.attempts >= max_attempts:
            d.status, d.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            d.next_attempt_at = now + backoff(d.attempts)
    sql = (
        f"UPDATE {WebhookDelivery._meta.db_table} SET status = %s, attempts = %s, "  # noqa: S608
        "next_attempt_at = %s, last_attempt_at = %s, last_status_code = %s, "
        "last_latency_ms = %s, last_error = %s WHERE id = %s"
    )
    at = connection.ops.adapt_datetimefield_value  # as the ORM would write them
    rows = [
        (d.status, d.attempts, at(d.next_attempt_at), at(d.last_attempt_at), d.last_status_code,
         d.last_latency_ms, d.last_error, d.pk)
        for d in deliveries
    ]  # fmt: skip
    succeeded = {o.subscription_id for o in outcomes if o.ok}
    failed: dict[int, int] = {}
    for o in outcomes:
        if not o.ok:
            failed[o.subscription_id] = failed.get(o.subscription_id, 0) + 1
    with transaction.atomic():
        with connection.cursor() as cur:  # one statement, many rows (psycopg pipelines them)
            cur.executemany(sql, rows)
        if succeeded:
            WebhookSubscription.objects.filter(pk__in=succeeded).update(
                failures=0, failing_since=None
            )
        for sub_id, n in failed.items():
            if sub_id in succeeded:
                continue
            WebhookSubscription.objects.filter(pk=sub_id).update(
                failures=F("failures") + n, failing_since=Coalesce("failing_since", Value(now))
            )
    _stop_failing(now)


def _stop_failing(now: datetime.datetime) -> None:
    """Stop active subscriptions whose every attempt failed for long enough (one act of the
    platform each, audited); the back office's to-do list tells their department, and so
    does an e-mail to its staff who have an address (sent once the stop is committed)."""
    hours = datetime.timedelta(hours=settings.XINYONG_WEBHOOK_DISABLE_AFTER_HOURS)
    due = WebhookSubscription.objects.filter(
        status=SubscriptionStatus.ACTIVE,
        failures__gte=settings.XINYONG_WEBHOOK_DISABLE_AFTER_FAILURES,
        failing_since__lte=now - hours,
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            sub = WebhookSubscription.objects.select_for_update().get(pk=pk)
            if sub.status != SubscriptionStatus.ACTIVE:
                continue
            sub.status = SubscriptionStatus.FAILING
            sub.status_reason = _("自 %(since)s 起连续 %(n)s 次投递失败，平台已停用该订阅") % {
                "since": timezone.localtime(sub.failing_since).strftime("%Y-%m-%d %H:%M"),
                "n": sub.failures,
            }
            sub.updated_at = now
            sub.save()
            audit_event_append(
                actor=SYSTEM,
                action=AuditAction.WEBHOOK_STOP,
                object_type="webhook",
                object_id=sub.pk,
                detail={"failures": sub.failures},
            )
            _tell_department(sub)


def _tell_department(sub: WebhookSubscription) -> None:
    """The stop, by e-mail to the owning department's staff (the platform's mail server;
    a failure to send never undoes the stop, which the to-do list shows anyway)."""
    emails = list(
        User.objects.filter(department_id=sub.department_id, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not emails:
        return
    text = _("变动订阅“%(name)s”（%(url)s）已停用：%(reason)s。请检查接收系统后，在后台"
             "“变动订阅”页面重新启用，并按需从停用时起补发。") % {
        "name": sub.name, "url": sub.url, "reason": sub.status_reason}  # fmt: skip
    subject = _("信用平台通知：变动订阅已停用")
    transaction.on_commit(lambda: send_mail(subject, text, None, emails, fail_silently=True))


def send_all(*, deadline: float | None = None, threads: int | None = None) -> int:
    """Rounds until nothing is due (or ``deadline``, a monotonic time); attempts made."""
    n = threads or settings.XINYONG_WEBHOOK_SEND_THREADS
    sent = 0
    with http_client(n) as client, concurrent.futures.ThreadPoolExecutor(n) as pool:
        while deadline is None or time.monotonic() < deadline:
            done = send_round(client=client, pool=pool)
            sent += len(done)
            if not done:
                break
    return sent
