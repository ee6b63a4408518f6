from django.db import models
from django.utils.translation import gettext_lazy as _


class AuthorisationStatus(models.TextChoices):
    # In force between its dates: the association may act as the authorisation says.
    ACTIVE = "active", _("有效")
    # Ended by the authorising department or the credit office: every power ends at once.
    ENDED = "ended", _("已终止")


class CampaignStatus(models.TextChoices):
    # Members may sign.
    OPEN = "open", _("征集中")
    # Closed by the association: the signatures stay, no new ones.
    CLOSED = "closed", _("已结束")


class SanctionKind(models.TextChoices):
    # 警告: the mildest; kept in the member's file, never published.
    WARNING = "warning", _("警告")
    # 行业内通报批评: told within the industry; kept in the file, not published.
    CRITICISM = "criticism", _("通报批评")
    # 公开谴责: published on the portal for the decided period.
    CENSURE = "censure", _("公开谴责")


class SanctionStatus(models.TextChoices):
    # Proposed with facts, basis and reasons; the member is not told yet.
    PROPOSED = "proposed", _("拟处理")
    # The notice went to the member: it may answer until the statement is due.
    NOTIFIED = "notified", _("已告知")
    # Decided with reasons; the sanction is a record in the member's credit file.
    DECIDED = "decided", _("已决定")
    # Dropped after hearing the member: nothing goes into the file.
    DROPPED = "dropped", _("不予处理")
    # Revoked by the association after its decision (decided in error, overturned on
    # review): its record is withdrawn from the file, a censure leaves the portal at once.
    REVOKED = "revoked", _("已撤销")


class RevocationGround(models.TextChoices):
    """Why a decided sanction is revoked: the reasons text says the rest."""

    # 决定有误: the facts, the basis or the member named were wrong.
    ERROR = "error", _("决定有误")
    # 复核撤销: overturned when the association (or a body it answers to) reviewed it.
    REVIEW = "review", _("经复核撤销")
    # 其他原因: any other lawful ground, stated in the reasons.
    OTHER = "other", _("其他原因")
