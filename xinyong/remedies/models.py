from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinyong.remedies.choices import BindingStatus, BindingVia


class SubjectBinding(models.Model):
    """A portal account acting for one subject (an organisation, an individual business, or
    a person for their own file), once the applicant proved it: an authorisation letter (or
    for a person, their identity document) reviewed by the platform operator, or the
    confirmation of the department that registered the subject. Only an approved binding
    lets the account see the subject's file and raise objections or apply for repair."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bindings",
        verbose_name=_("门户账号"),
    )  # fmt: skip
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="bindings",
        verbose_name=_("信用主体"),
    )  # fmt: skip
    status = models.CharField(_("状态"), max_length=16, choices=BindingStatus)
    applicant = models.CharField(_("经办人姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20)
    evidence_path = models.CharField(_("授权材料"), max_length=255)  # under var/remedies
    evidence_name = models.CharField(_("材料文件名"), max_length=255)
    evidence_sha256 = models.CharField(_("材料摘要"), max_length=64)
    requested_at = models.DateTimeField(_("申请时间"))
    via = models.CharField(_("确认方式"), max_length=16, choices=BindingVia, blank=True)
    reviewed_by = models.CharField(_("审核人"), max_length=150, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("主体绑定")
        verbose_name_plural = _("主体绑定")
        ordering = ["-requested_at"]
        constraints = [
            # One open or approved binding per account and subject.
            models.UniqueConstraint(
                fields=["user", "subject"],
                condition=~Q(status=BindingStatus.REJECTED),
                name="binding_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}→{self.subject_id} {self.status}"
