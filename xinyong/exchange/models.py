"""The one change log every outbound feed and every webhook reads.

Why one log with a counter row, and not each feed's own table and id: ids are taken when a
row is inserted, not when its transaction commits. A step that took id 10 and commits after
another step's id 11 was read is skipped by a reader whose cursor already passed 11 — the
gap the old per-feed tables had under concurrent writes. Here the writer takes its numbers
from :class:`FeedHead` with an ``UPDATE … RETURNING``; the row stays locked until the writer
commits, so the next writer numbers after it: committed numbers always form an unbroken
prefix 1…head, in commit order. A reader reads the head first, then the changes up to it,
and neither misses nor repeats one, without ever waiting for a writer."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.accounts import access
from xinyong.exchange.choices import Feed
from xinyong.exchange.webhooks.choices import (
    DeliveryStatus,
    Signing,
    SubscriptionStatus,
    WatchKind,
)


class FeedHead(models.Model):
    """The last number given to a change (one row, id 1)."""

    last_seq = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("变动序号")
        verbose_name_plural = _("变动序号")

    def __str__(self) -> str:
        return str(self.last_seq)


class Change(models.Model):
    """One change a feed publishes, in commit order. Only what is needed to find and order
    it: the entry itself is built from its object when read, so a feed never publishes
    more than the rules let it publish at that time. No foreign keys: a change is
    appended in the same transaction as what it tells of, a million at a time for an
    evaluation run."""

    seq = models.BigIntegerField(_("序号"), primary_key=True)
    feed = models.CharField(_("数据类别"), max_length=16, choices=Feed)
    action = models.CharField(_("变动"), max_length=24)
    object_id = models.BigIntegerField(_("对象"))
    subject_id = models.BigIntegerField(_("主体"), null=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("数据变动")
        verbose_name_plural = _("数据变动")
        indexes = [
            models.Index(fields=["feed", "seq"], name="exchange_change_feed"),
            models.Index(fields=["at"], name="exchange_change_at"),
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.feed} {self.action} {self.object_id}"


# -- change subscriptions (webhooks) ----------------------------------------------------


class WebhookSubscription(models.Model):
    """A department's business system asking to be told (by a signed POST) of the changes
    about the subjects it watches, of the kinds it chose. The secret is shown once and kept
    encrypted; after a rotation the previous one keeps signing until ``previous_until``."""

    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="webhooks",
        verbose_name=_("所属部门"),
    )
    client = models.ForeignKey(
        "accounts.ApiClient",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="webhooks",
        verbose_name=_("接口客户端"),
    )
    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("接收地址"), max_length=500)
    watch = models.CharField(_("关注范围"), max_length=16, choices=WatchKind)
    watch_prefix = models.CharField(_("代码前缀"), max_length=18, blank=True)
    # Persons among a saved query's subjects: only when its creator may watch persons.
    watch_persons = models.BooleanField(_("含自然人"), default=False)
    signing = models.CharField(_("签名方式"), max_length=16, choices=Signing, default=Signing.HMAC)
    secret_encrypted = models.TextField(_("签名密钥密文"))
    previous_secret_encrypted = models.TextField(_("上一密钥密文"), blank=True)
    previous_until = models.DateTimeField(_("上一密钥有效至"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=SubscriptionStatus, default=SubscriptionStatus.ACTIVE
    )
    status_reason = models.CharField(_("状态说明"), max_length=300, blank=True)
    start_seq = models.BigIntegerField(_("起始变动序号"), default=0)
    failures = models.IntegerField(_("连续失败次数"), default=0)
    failing_since = models.DateTimeField(_("持续失败起始"), null=True, blank=True)
    created_by = models.CharField(_("创建人"), max_length=150)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    refreshed_at = models.DateTimeField(_("关注主体更新时间"), null=True, blank=True)

    objects = access.scoped_manager(access.Scope(department="department_id"))

    class Meta:
        verbose_name = _("变动订阅")
        verbose_name_plural = _("变动订阅")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class WebhookKind(models.Model):
    """One kind of change a subscription asked for: a feed, and one of its actions or all
    (``action`` empty). A table, not a list in a field, so that the fan-out joins it."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="kinds"
    )
    feed = models.CharField(_("变动类别"), max_length=16, choices=Feed)
    action = models.CharField(_("变动动作"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("订阅变动类别")
        verbose_name_plural = _("订阅变动类别")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "feed", "action"], name="webhook_kind_unique"
            ),
        ]
        indexes = [models.Index(fields=["feed", "subscription"], name="webhook_kind_feed")]

    def __str__(self) -> str:
        return self.label_of(self.feed, self.action)

    @staticmethod
    def label_of(feed: str, action: str) -> str:
        """``feed`` or ``feed.action``: how a kind is written in the API and the audit."""
        return f"{feed}.{action}" if action else feed


class WebhookSubject(models.Model):
    """A subject a subscription watches: its codes or its saved query, resolved set-based."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="watched"
    )
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )

    class Meta:
        verbose_name = _("订阅关注主体")
        verbose_name_plural = _("订阅关注主体")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "subject"], name="webhook_subject_unique"
            ),
        ]
        indexes = [models.Index(fields=["subject", "subscription"], name="webhook_subject_subj")]

    def __str__(self) -> str:
        return f"{self.subscription_id}:{self.subject_id}"


class WebhookMessage(models.Model):
    """What is sent about one change (or a test ping): the JSON body, built once from the
    feed's entry when the change is fanned out and never changed, so every subscriber and
    every retry gets the same bytes; ``webhook-id`` is ``msg_<id>``."""

    change_seq = models.BigIntegerField(_("变动序号"), null=True, unique=True)
    event_type = models.CharField(_("事件类型"), max_length=64)
    body = models.TextField(_("消息体"))
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("订阅消息")
        verbose_name_plural = _("订阅消息")

    def __str__(self) -> str:
        return self.webhook_id

    @property
    def webhook_id(self) -> str:
        return f"msg_{self.pk}"


class WebhookDelivery(models.Model):
    """One message to one subscription, and its log: attempts, the last answer (status
    code, latency, error) and when the next attempt is due. The sender claims due rows by
    moving ``next_attempt_at`` ahead (a lease): a sender that dies leaves them due again."""

    # No database constraints on these two (like the records'): the fan-out inserts
    # millions of rows at once, and a deferred check per row doubled its time.
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries",
        db_constraint=False,
    )  # fmt: skip
    message = models.ForeignKey(
        WebhookMessage, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.IntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True)
    last_attempt_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)
    last_status_code = models.IntegerField(_("最近响应码"), null=True, blank=True)
    last_latency_ms = models.IntegerField(_("最近耗时（毫秒）"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("订阅投递")
        verbose_name_plural = _("订阅投递")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "message"], name="webhook_delivery_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.subscription_id}"


class WebhookDispatch(models.Model):
    """The fan-out's own cursor in the change log (one row): every change up to
    ``last_seq`` has its messages and deliveries."""

    last_seq = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("订阅分发游标")
        verbose_name_plural = _("订阅分发游标")

    def __str__(self) -> str:
        return str(self.last_seq)


# File exchange's models (nodes, export cursors, received packages, daily digests).
from xinyong.exchange.filemodels import (  # noqa: E402, F401
    DailyDigest,
    ExchangeNode,
    ExportCursor,
    ReceivedPackage,
)
