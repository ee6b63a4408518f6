"""Enumerations of the exchange app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Feed(models.TextChoices):
    # A licence or penalty record entered or left public view (dual publicity); the
    # change's object is the record.
    PUBLICITY = "publicity", _("双公示")
    # A step of a list entry of a public list (published, removed, suspended by an
    # objection and resumed, revoked); the object is the entry's event.
    LISTS = "lists", _("信用名单")
    # A credit repair was approved; the object is the repair application.
    REPAIRS = "repairs", _("信用修复")
    # A step of a published credit commitment; the object is the commitment's event.
    COMMITMENTS = "commitments", _("信用承诺")
    # A subject's evaluation grade changed; the object is the evaluation result.
    EVALUATIONS = "evaluations", _("信用评价")
