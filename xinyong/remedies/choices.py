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


class ObjectionStatus(models.TextChoices):
    # 已受理: filed; the platform marks it within 1 working day.
    RECEIVED = "received", _("已受理")
    # 已标注: the record or entry shows "under objection"; measures resting on it are
    # suspended. Forwarded to the provider within 2 working days of filing.
    MARKED = "marked", _("已标注异议")
    # 已转交: the providing department decides within 5 working days.
    FORWARDED = "forwarded", _("已转交提供部门")
    # 已办结: corrected, revoked or maintained, with reasons.
    DECIDED = "decided", _("已办结")


# Not yet decided: a second objection on the same record or entry waits for it.
OBJECTION_OPEN = (ObjectionStatus.RECEIVED, ObjectionStatus.MARKED, ObjectionStatus.FORWARDED)


class ObjectionDecision(models.TextChoices):
    # 更正: the provider corrected the record (a new version).
    CORRECTED = "corrected", _("更正")
    # 撤销: the record is withdrawn / the entry revoked; a correction notice is published.
    REVOKED = "revoked", _("撤销")
    # 维持: the information stands; suspended measures resume.
    MAINTAINED = "maintained", _("维持")


class RepairStatus(models.TextChoices):
    # 已受理: the responsible department reviews it within 10 working days.
    SUBMITTED = "submitted", _("已受理")
    # 已修复: approved; publicity ends, the entry leaves its list, measures end; shared.
    APPROVED = "approved", _("修复成功")
    # 不予修复: refused with reasons and how to reapply.
    REJECTED = "rejected", _("不予修复")


class MaterialKind(models.TextChoices):
    # 信用修复承诺书 (required).
    COMMITMENT = "commitment", _("信用修复承诺书")
    # 履行法定义务、纠正失信行为的证明 (e.g. the fine paid).
    PERFORMANCE = "performance", _("履行义务证明")
    # 信用修复培训证明.
    TRAINING = "training", _("信用修复培训证明")
    # 信用报告.
    CREDIT_REPORT = "credit_report", _("信用报告")
