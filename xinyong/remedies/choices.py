from django.db import models
from django.utils.translation import gettext_lazy as _


class BindingStatus(models.TextChoices):
    # 待审核: the applicant uploaded the authorisation; nobody has looked at it yet.
    PENDING = "pending", _("待审核")
    # 已绑定: the account acts for the subject (objections, repair, its own file).
    APPROVED = "approved", _("已绑定")
    # 未通过: refused, with the reason; the applicant may apply again.
    REJECTED = "rejected", _("未通过")


class BindingVia(models.TextChoices):
    # 平台审核: the platform operator reviewed the uploaded authorisation.
    OPERATOR = "operator", _("平台审核授权书")
    # 部门确认: the department that registered the subject confirmed the applicant.
    DEPARTMENT = "department", _("登记部门确认")
