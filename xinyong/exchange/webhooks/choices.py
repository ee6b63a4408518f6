"""Enums of change subscriptions (webhooks), one comment per value."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubscriptionStatus(models.TextChoices):
    # Changes are fanned out to it and its deliveries are sent.
    ACTIVE = "active", _("启用")
    # Stopped by its department (or the credit office): nothing is fanned out or sent.
    DISABLED = "disabled", _("已停用")
    # Stopped by the platform after repeated failed deliveries; its department is told.
    FAILING = "failing", _("因投递失败停用")


class WatchKind(models.TextChoices):
    # A list of codes (USCCs) given when subscribing.
    CODES = "codes", _("指定代码")
    # The subjects the department registered (it serves them), kept up to date.
    REGISTERED = "registered", _("本部门登记的主体")
    # Organisations whose USCC begins with a prefix (e.g. a region's 登记管理部门+行政区划).
    REGION = "region", _("按代码前缀（行政区划）")


class Signing(models.TextChoices):
    # HMAC-SHA256 with the subscription's secret (Standard Webhooks ``v1,``).
    HMAC = "hmac", _("HMAC-SHA256")
    # Also Ed25519 with the platform's key (``v1a,``), verifiable with its published key.
    ED25519 = "ed25519", _("HMAC-SHA256 + Ed25519")


class DeliveryStatus(models.TextChoices):
    # Waiting for its (next) attempt at ``next_attempt_at``.
    PENDING = "pending", _("待投递")
    # The receiver answered 2xx.
    SUCCEEDED = "succeeded", _("已送达")
    # Every attempt failed; no more tries (a replay queues it again).
    FAILED = "failed", _("投递失败")
