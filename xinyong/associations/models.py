from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.associations.choices import (
    AuthorisationStatus,
    CampaignStatus,
    RevocationGround,
    SanctionKind,
    SanctionStatus,
)


def in_force_q(day=None, prefix: str = "") -> Q:
    """Authorisations in force on ``day`` (today): active and between their dates."""
    day = day or timezone.localdate()
    p = prefix
    return Q(**{f"{p}status": AuthorisationStatus.ACTIVE, f"{p}valid_from__lte": day}) & (
        Q(**{f"{p}valid_to__isnull": True}) | Q(**{f"{p}valid_to__gte": day})
    )


class Authorisation(models.Model):
    """A department's authorisation of an industry association to keep its members' credit
    records (有关单位授权的行业协会商会): the association acts only while one is in force
    and only in the catalog items it names — the authorisation is the whole of its power,
    so ending it ends every power at once (the rules ask for one in force each time)."""

    association = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="authorisations",
        verbose_name=_("行业协会商会"),
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("协会主体"),
    )
    granted_by = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="authorisations_granted",
        verbose_name=_("授权部门"),
    )
    items = models.JSONField(_("可报送的目录项"), default=list)
    basis = models.CharField(_("授权依据"), max_length=500)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=AuthorisationStatus, default=AuthorisationStatus.ACTIVE
    )
    granted_at = models.DateTimeField(_("授权时间"))
    ended_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=500, blank=True)

    objects = scoped_manager(Scope(department="granted_by_id", association="association_id"))

    class Meta:
        verbose_name = _("行业协会授权")
        verbose_name_plural = _("行业协会授权")
        ordering = ["-granted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.association_id} ← {self.granted_by_id}"


class Membership(models.Model):
    """A subject's membership of an association (会员): the association may submit records
    about a subject only while it is a member on the record's date, so the dates are kept
    rather than the row deleted when a member leaves."""

    association = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("行业协会商会"),
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("会员"),
    )
    joined_on = models.DateField(_("入会日期"))
    left_on = models.DateField(_("退会日期"), null=True, blank=True)

    objects = scoped_manager(
        Scope(department="association_id", association="association_id", subject="subject_id")
    )

    class Meta:
        verbose_name = _("会员")
        verbose_name_plural = _("会员")
        ordering = ["-joined_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "subject"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association_id}:{self.subject_id}"

    def covers(self, day) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


class Campaign(models.Model):
    """An industry self-discipline commitment campaign (行业自律承诺): a text the
    association asks its members to sign. Kept apart from the departments' credit
    commitments (xinyong/commitments), which are tied to a matter and checked by a
    department: this one is the industry's own word, with no breach procedure."""

    association = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("行业协会商会"),
    )
    title = models.CharField(_("名称"), max_length=200)
    text = models.TextField(_("承诺内容"), max_length=8000)
    status = models.CharField(
        _("状态"), max_length=8, choices=CampaignStatus, default=CampaignStatus.OPEN
    )
    created_at = models.DateTimeField(_("发起时间"))

    objects = scoped_manager(Scope(department="association_id", association="association_id"))

    class Meta:
        verbose_name = _("行业自律承诺")
        verbose_name_plural = _("行业自律承诺")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Signature(models.Model):
    """A member's signature of a campaign, given through its bound portal account."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("承诺")
    )
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="+", verbose_name=_("会员")
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("签署账号")
    )
    signed_at = models.DateTimeField(_("签署时间"))

    objects = scoped_manager(
        Scope(
            department="campaign__association_id",
            association="campaign__association_id",
            subject="subject_id",
        )
    )

    class Meta:
        verbose_name = _("承诺签署")
        verbose_name_plural = _("承诺签署")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "subject"], name="signature_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.subject_id}"


class Sanction(models.Model):
    """An industry sanction procedure against a member (行业自律惩戒: 警告、通报批评、公开
    谴责): proposal with facts, basis and reasons; notice; the member's statement within
    its period; decision with reasons. Only a decided sanction reaches the credit file,
    as a record filed through ingestion like any provider's."""

    association = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="sanctions",
        verbose_name=_("行业协会商会"),
    )
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="+", verbose_name=_("会员")
    )
    number = models.CharField(_("编号"), max_length=32, unique=True)
    kind = models.CharField(_("惩戒措施"), max_length=10, choices=SanctionKind)
    facts = models.TextField(_("违规事实"), max_length=4000)
    basis = models.CharField(_("依据（行规行约条款）"), max_length=500)
    reasons = models.TextField(_("理由"), max_length=4000)
    status = models.CharField(
        _("状态"), max_length=10, choices=SanctionStatus, default=SanctionStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(_("拟处理时间"))
    notified_at = models.DateTimeField(_("告知时间"), null=True, blank=True)
    statement_due = models.DateField(_("陈述申辩截止日期"), null=True, blank=True)
    statement = models.TextField(_("会员陈述申辩"), max_length=4000, blank=True)
    statement_at = models.DateTimeField(_("陈述申辩时间"), null=True, blank=True)
    decision_reasons = models.TextField(_("决定理由"), max_length=4000, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    publish_until = models.DateField(_("公示截止日期"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoke_ground = models.CharField(
        _("撤销事由"), max_length=8, choices=RevocationGround, blank=True
    )
    revoke_reasons = models.TextField(_("撤销理由"), max_length=4000, blank=True)
    record = models.ForeignKey(
        "records.Record",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("信用记录"),
        db_constraint=False,  # records are partitioned by subject: their key is (id, subject)
    )

    objects = scoped_manager(
        Scope(department="association_id", association="association_id", subject="subject_id")
    )

    class Meta:
        verbose_name = _("行业自律惩戒")
        verbose_name_plural = _("行业自律惩戒")
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return self.number
