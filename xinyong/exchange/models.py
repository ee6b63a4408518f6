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

from xinyong.exchange.choices import Feed


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


# File exchange's models (nodes, export cursors, received packages, daily digests).
from xinyong.exchange.filemodels import (  # noqa: E402, F401
    DailyDigest,
    ExchangeNode,
    ExportCursor,
    ReceivedPackage,
)
