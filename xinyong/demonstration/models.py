from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.demonstration.choices import CampaignStatus, UnitKind, UnitStatus


class Campaign(models.Model):
    """A creation campaign (诚信示范创建活动) of one kind of unit, run by an organising
    department: its criteria are data (each assessed and answered per unit, so a decision
    says which criterion failed), it takes applications until a date, and its results are
    published on the portal at once for all units, as the local plans publish a 名单. The
    title lasts ``valid_years``; a breach in that term revokes it."""

    title = models.CharField(_("活动名称"), max_length=200)
    kind = models.CharField(_("示范单位类型"), max_length=16, choices=UnitKind)
    year = models.PositiveSmallIntegerField(_("年度"))
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("组织部门"),
    )  # fmt: skip
    criteria = models.JSONField(_("创建标准"), default=list)  # list of texts, in order
    apply_until = models.DateField(_("申报截止日期"))
    valid_years = models.PositiveSmallIntegerField(_("命名有效期（年）"), default=3)
    status = models.CharField(
        _("状态"), max_length=16, choices=CampaignStatus, default=CampaignStatus.OPEN
    )
    created_at = models.DateTimeField(_("创建时间"))
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    objects = scoped_manager(Scope(department="department_id"))

    class Meta:
        verbose_name = _("诚信示范创建活动")
        verbose_name_plural = _("诚信示范创建活动")
        ordering = ["-year", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Unit(models.Model):
    """An application to a campaign and, once awarded, the demonstration unit. An area
    unit lists its member subjects (organisations and individual businesses; no person, so
    no identifier is ever typed here); a school or enterprise is itself the subject. The
    assessment keeps each criterion's answer; a revocation keeps what breached."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("单位名称"), max_length=200)
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("信用主体"),
    )  # fmt: skip
    area = models.CharField(_("所在区域"), max_length=200, blank=True)
    members = models.ManyToManyField(
        "subjects.Subject", related_name="+", blank=True, verbose_name=_("成员主体")
    )
    applicant = models.CharField(_("申报单位"), max_length=200)
    statement = models.TextField(_("创建情况"))
    status = models.CharField(
        _("状态"), max_length=16, choices=UnitStatus, default=UnitStatus.APPLIED
    )
    submitted_by = models.CharField(_("录入人"), max_length=150)
    submitted_at = models.DateTimeField(_("申报时间"))
    # [{"criterion": text, "met": bool, "note": text}], one per criterion of the campaign.
    assessment = models.JSONField(_("评审意见"), default=list)
    reason = models.TextField(_("评审结论"), blank=True)
    decided_by = models.CharField(_("评审人"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("评审时间"), null=True, blank=True)
    valid_until = models.DateField(_("命名有效期至"), null=True, blank=True)
    # What the daily scan found against an awarded unit (a member newly on a negative list):
    # [{"entry": id, "subject": name, "list": name, "published_at": date}]; the organiser
    # then revokes the title (or finds it no breach: it stays, the finding cleared).
    breaches = models.JSONField(_("发现的失信情形"), default=list, blank=True)
    breach_found_at = models.DateTimeField(_("发现时间"), null=True, blank=True)
    # Entries the organiser examined and found no reason to revoke for: not found again.
    breaches_cleared = models.JSONField(_("核查后保留的失信情形"), default=list, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.CharField(_("撤销人"), max_length=150, blank=True)
    revoke_reason = models.TextField(_("撤销理由"), blank=True)

    objects = scoped_manager(Scope(department="campaign__department_id"))

    class Meta:
        verbose_name = _("诚信示范单位")
        verbose_name_plural = _("诚信示范单位")
        ordering = ["campaign", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="unit_campaign_name_uniq"),
        ]
        indexes = [
            models.Index(fields=["status"], condition=Q(status="awarded"), name="unit_awarded_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def breach_pending(self) -> bool:
        return self.status == UnitStatus.AWARDED and bool(self.breaches)
