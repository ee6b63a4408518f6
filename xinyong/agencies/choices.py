from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyStatus(models.TextChoices):
    """Where a credit service agency stands in the directory (信用服务机构名录)."""

    # 备案审核中: filed for the first time, not yet approved; not in the directory.
    PENDING = "pending", _("备案审核中")
    # 已备案: approved; in the public directory, its tokens and authorisations work.
    FILED = "filed", _("已备案")
    # 不予备案: the first filing was refused; it may file again.
    REFUSED = "refused", _("不予备案")
    # 拟移出名录: the credit office notified the agency that it intends to remove it (an open
    # :class:`RemovalStatus` case); still in the directory, marked, until the decision — the
    # agency may state its case meanwhile; a dropped case takes it back to FILED.
    REMOVAL_NOTIFIED = "removal_notified", _("拟移出名录")
    # 已移出名录: removed by decision; tokens end, authorisations stop taking effect.
    REMOVED = "removed", _("已移出名录")


# In good standing: its tokens and the authorisations given to it take effect.
GOOD_STANDING = (AgencyStatus.FILED, AgencyStatus.REMOVAL_NOTIFIED)


class FilingKind(models.TextChoices):
    # 首次备案: the agency's first filing (登记备案).
    INITIAL = "initial", _("首次备案")
    # 变更备案: a change of a filed agency's details, reviewed again.
    CHANGE = "change", _("变更备案")


class FilingStatus(models.TextChoices):
    # 待审核: submitted, in the credit office's queue.
    SUBMITTED = "submitted", _("待审核")
    # 退回补正: returned for correction with reasons; the agency files a corrected one.
    RETURNED = "returned", _("退回补正")
    # 准予备案: approved; its details are the agency's filed details.
    APPROVED = "approved", _("准予备案")
    # 不予备案: refused with reasons.
    REFUSED = "refused", _("不予备案")


class FilingFileKind(models.TextChoices):
    # 资质证明: a qualification's certificate.
    QUALIFICATION = "qualification", _("资质证明")
    # 利益冲突防范制度: the agency's conflicts-of-interest rules.
    CONFLICTS = "conflicts", _("利益冲突防范制度")
    # 信息安全制度: the agency's information-security rules.
    SECURITY = "security", _("信息安全制度")


class PersonRole(models.TextChoices):
    # 负责人: a responsible person named in the filing.
    RESPONSIBLE = "responsible", _("负责人")
    # 从业人员: a practitioner the agency lists.
    PRACTITIONER = "practitioner", _("从业人员")


class Purpose(models.TextChoices):
    """What a subject authorises an agency for."""

    # 信用修复培训: the agency trains the subject for its credit repair.
    REPAIR_TRAINING = "repair_training", _("信用修复培训")
    # 信用管理咨询: credit management consulting.
    CREDIT_CONSULTING = "credit_consulting", _("信用管理咨询")
    # 出具信用报告: the agency writes a credit report on the subject.
    CREDIT_REPORT = "credit_report", _("出具信用报告")


class Coverage(models.TextChoices):
    """What of the subject an authorisation lets the agency obtain."""

    # 公共信用信息报告: the subject's public report (issued by the platform's report service).
    PUBLIC_REPORT = "public_report", _("公共信用信息报告（公开版）")
    # 经主体同意共享的信用记录: the subject's records with their shared fields, as the
    # subject itself sees them (restricted fields stay with the providers).
    CONSENTED_RECORDS = "consented_records", _("经主体同意共享的信用记录")


class AgencyScope(models.TextChoices):
    """What an agency's API token may be used for."""

    # Obtain, within their authorisations, subjects' public reports and covered data.
    SUBJECT_DATA = "subjects:authorised", _("获取授权主体信息")
    # Register the credit reports the agency issues.
    REPORTS_REGISTER = "reports:register", _("登记出具的信用报告")
    # Read the agency's removal cases and state its case (陈述申辩) on a notice.
    REMOVAL_ANSWER = "removal:answer", _("查看移出名录告知并陈述申辩")


class ReadKind(models.TextChoices):
    # 获取公共信用信息报告: the agency obtained the subject's public report.
    PUBLIC_REPORT = "public_report", _("获取公共信用信息报告")
    # 获取共享信用记录: the agency read the subject's consented records.
    CONSENTED_RECORDS = "consented_records", _("获取共享信用记录")


class AgencyReportKind(models.TextChoices):
    # 信用报告: a credit report on the subject.
    CREDIT_REPORT = "credit_report", _("信用报告")
    # 信用评价（评级）报告: a credit rating or evaluation.
    RATING = "rating", _("信用评级报告")
    # 信用修复报告: a report supporting a repair application.
    REPAIR = "repair", _("信用修复报告")


class ReportSubjectKind(models.TextChoices):
    """Whom a registered report is about."""

    # 法人和其他组织: identified by its USCC, named on verification.
    ORGANIZATION = "organization", _("法人和其他组织")
    # 自然人: identified by an identifier kept only as keyed hash, ciphertext and mask;
    # never shown to a verifier, not even masked.
    PERSON = "person", _("自然人")


class RemovalStatus(models.TextChoices):
    """Where a case to remove an agency from the directory (移出名录) stands."""

    # 已告知: the notice went to the agency; it may state its case until the deadline.
    NOTIFIED = "notified", _("已告知，待决定")
    # 已移出: decided: the agency left the directory.
    REMOVED = "removed", _("决定移出名录")
    # 已终止: the credit office dropped the case; the agency stays listed, unmarked.
    DROPPED = "dropped", _("终止移出程序")


class VerifyResult(models.TextChoices):
    # 已登记且机构备案有效: registered by an agency in good standing, the file matches.
    GENUINE = "genuine", _("已登记，出具机构备案有效")
    # 机构已移出名录: registered, the file matches, but the agency is no longer in good standing.
    AGENCY_REMOVED = "agency_removed", _("已登记，但出具机构已移出名录")
    # 文件不符: a report of that number is registered, but the file (hash) differs.
    MISMATCH = "mismatch", _("报告编号已登记，但文件与登记不符")
    # 未登记: no agency registered a report of that number.
    UNKNOWN = "unknown", _("未登记")
