"""What file exchange (GB/T 39443-2020's file interface) keeps: the exchange nodes this
platform trades packages with, the last seq exported per node and feed (the cursor that
makes export resumable without gap or duplicate), the packages received (so a package is
imported once, by its digest), and the stored daily count-and-digest per feed (the
reconciliation report both sides compare). Imported by ``exchange.models``; a module of
its own so the webhook models grow beside it without touching it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.exchange.choices import Feed


class ExchangeNode(models.Model):
    """Another platform's exchange node (交换结点; the upper platform's front-end machine,
    前置机). What it sends is submitted as the records of its own department, so every
    record it brings is traceable to it like any provider's. This platform's own node code
    is the setting ``XINYONG_EXCHANGE_NODE``."""

    code = models.CharField(_("交换结点编码"), max_length=32, unique=True)
    name = models.CharField(_("交换结点名称"), max_length=100)
    department = models.OneToOneField(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("对应提供部门"),
    )  # fmt: skip
    # The feeds the daily upkeep exports to this node (codes of Feed); empty: none.
    feeds = models.JSONField(_("交换数据类别"), default=list, blank=True)
    # Url-safe base64 Ed25519 public key the node signs its manifests with; empty: its
    # packages are checked by their digests only.
    public_key = models.CharField(_("结点公钥"), max_length=64, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    # The node's department sees its node; the credit office all (reference data).
    objects = scoped_manager(Scope(department="department_id"))

    class Meta:
        verbose_name = _("交换结点")
        verbose_name_plural = _("交换结点")

    def __str__(self) -> str:
        return self.name


class ExportCursor(models.Model):
    """The last seq of the change log a feed's packages to a node have covered."""

    node = models.ForeignKey(ExchangeNode, on_delete=models.CASCADE, related_name="+")
    feed = models.CharField(_("数据类别"), max_length=16, choices=Feed)
    last_seq = models.BigIntegerField(_("已导出至序号"), default=0)
    exported_at = models.DateTimeField(_("导出时间"), null=True)

    class Meta:
        verbose_name = _("导出进度")
        verbose_name_plural = _("导出进度")
        constraints = [
            models.UniqueConstraint(fields=["node", "feed"], name="exchange_cursor_node_feed")
        ]

    def __str__(self) -> str:
        return f"{self.node_id} {self.feed} {self.last_seq}"


class PackageStatus(models.TextChoices):
    # Every file was submitted as a batch and processed (rows may still be rejected).
    ACCEPTED = "accepted", _("已接收")
    # The package failed a check of its manifest or files; nothing of it was written.
    REJECTED = "rejected", _("已拒收")


class ReceivedPackage(models.Model):
    """A package an exchange node dropped in its inbox, as it was judged."""

    node = models.ForeignKey(
        ExchangeNode, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("来源结点"),
    )  # fmt: skip
    name = models.CharField(_("数据包"), max_length=200)
    digest = models.CharField(_("清单摘要"), max_length=64, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=PackageStatus)
    rule = models.CharField(_("拒收规则"), max_length=40, blank=True)
    received_at = models.DateTimeField(_("接收时间"))
    receipt = models.JSONField(_("回执"), default=dict)

    class Meta:
        verbose_name = _("接收的数据包")
        verbose_name_plural = _("接收的数据包")

    def __str__(self) -> str:
        return self.name


class DailyDigest(models.Model):
    """The count and SHA-256 of what a feed published on one day (``feed_digest``), as the
    daily upkeep computed it for the day before: stored so both sides compare one figure,
    and carried in every exported package's manifest."""

    feed = models.CharField(_("数据类别"), max_length=16, choices=Feed)
    day = models.DateField(_("日期"))
    count = models.PositiveIntegerField(_("条数"))
    first_seq = models.BigIntegerField(_("起始序号"), null=True)
    last_seq = models.BigIntegerField(_("截止序号"), null=True)
    sha256 = models.CharField(_("摘要"), max_length=64)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("每日对账摘要")
        verbose_name_plural = _("每日对账摘要")
        constraints = [
            models.UniqueConstraint(fields=["feed", "day"], name="exchange_digest_feed_day")
        ]
        ordering = ["-day", "feed"]

    def __str__(self) -> str:
        return f"{self.feed} {self.day}"

    def as_manifest(self) -> dict:
        return {"feed": self.feed, "day": self.day.isoformat(), "count": self.count,
                "first_seq": self.first_seq, "last_seq": self.last_seq,
                "sha256": self.sha256}  # fmt: skip
