from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.audit.choices import AuditAction


class AuditEvent(models.Model):
    """One append-only entry of the audit trail. Each event's ``hash`` is an HMAC over the
    previous event's hash and its own fields, so editing, inserting or deleting an event
    breaks the chain at that point (``xinyong audit verify``)."""

    seq = models.BigIntegerField(_("序号"), unique=True)
    occurred_at = models.DateTimeField(_("时间"))
    actor_kind = models.CharField(_("操作者类型"), max_length=16)
    actor_label = models.CharField(_("操作者"), max_length=150)
    actor_user_id = models.BigIntegerField(_("用户ID"), null=True)
    actor_client_id = models.BigIntegerField(_("客户端ID"), null=True)
    department_id = models.BigIntegerField(_("部门ID"), null=True)
    request_id = models.CharField(_("请求ID"), max_length=64, blank=True)
    channel = models.CharField(_("渠道"), max_length=16, blank=True)
    action = models.CharField(_("操作"), max_length=40, choices=AuditAction)
    object_type = models.CharField(_("对象类型"), max_length=40)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    detail = models.JSONField(_("详情"), default=dict)
    digest = models.CharField(_("内容摘要"), max_length=64)
    prev_hash = models.CharField(_("前一哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The single row holding the last sequence number and hash. Locking it serialises
    appends, and comparing it with the last event reveals deletions at the end."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.seq}"
