from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicField(models.TextChoices):
    """What of a practitioner a profession's rule may publish (nothing unless it says so)."""

    # 姓名.
    NAME = "name", _("姓名")
    # 职业.
    PROFESSION = "profession", _("职业")
    # 执业证书编号.
    LICENCE = "licence_no", _("执业（资格）证书编号")
    # 执业单位.
    EMPLOYER = "employer", _("执业单位")
    # 执业有效期.
    VALIDITY = "validity", _("执业有效期")
