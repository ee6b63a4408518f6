from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """The kinds of integrity demonstration unit the local plans create (信用村、信用社区、
    信用学校、信用小镇 and honest enterprises). An area unit (village, community, town) is
    not itself a subject: its members are the market subjects in it. A school or an
    enterprise is a subject, and its own file is what is assessed."""

    # 信用村: a village; members are the enterprises and individual businesses in it.
    VILLAGE = "village", _("信用村")
    # 信用社区: an urban community; members as for a village.
    COMMUNITY = "community", _("信用社区")
    # 信用学校: a school (an organisation subject).
    SCHOOL = "school", _("信用学校")
    # 信用小镇: a town; members as for a village.
    TOWN = "town", _("信用小镇")
    # 诚信示范企业: an enterprise (an organisation subject).
    ENTERPRISE = "enterprise", _("诚信示范企业")

    @classmethod
    def is_area(cls, kind: str) -> bool:
        """An area unit: named and located, made of member subjects, not a subject itself."""
        return kind in (cls.VILLAGE, cls.COMMUNITY, cls.TOWN)


class CampaignStatus(models.TextChoices):
    # 申报中: the campaign takes applications until its closing date and assesses them.
    OPEN = "open", _("申报评审中")
    # 已公布: the results are published on the portal; no application is taken any more.
    PUBLISHED = "published", _("已公布")


class UnitStatus(models.TextChoices):
    # 已申报: waiting for the organiser's assessment.
    APPLIED = "applied", _("已申报")
    # 已命名: assessed and awarded; shown on the portal once the campaign is published.
    AWARDED = "awarded", _("已命名")
    # 未通过: assessed and not awarded, with reasons.
    NOT_AWARDED = "not_awarded", _("未通过评审")
    # 已撤销: the title was revoked (a breach of the criteria), with reasons; the portal
    # shows the revocation for the rest of the title's term.
    REVOKED = "revoked", _("已撤销命名")
