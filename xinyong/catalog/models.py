from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.catalog.choices import Category, Disclosure, Polarity, VersionSource


class CatalogItem(models.Model):
    """A kind of credit information the platform may hold (信息事项). Only items in the catalog
    enter a credit file. The row names the item and points at its current version; the
    definitions themselves live in :class:`CatalogItemVersion`, never edited."""

    code = models.CharField(_("目录项编码"), max_length=64, unique=True)
    name = models.CharField(_("目录项名称"), max_length=200)
    category = models.CharField(_("目录类别"), max_length=32, choices=Category)
    polarity = models.CharField(_("信息性质"), max_length=16, choices=Polarity)
    disclosure = models.CharField(_("公开属性"), max_length=16, choices=Disclosure)
    current_version = models.ForeignKey(
        "CatalogItemVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("现行版本"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("目录项")
        verbose_name_plural = _("目录项")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class CatalogItemVersion(models.Model):
    """One version of an item's definition, as declared (YAML) or revised by the operator.
    Records keep the version they were checked against, so a later change of the catalog
    never rewrites how an old record reads."""

    item_code = models.CharField(_("目录项编码"), max_length=64)
    version = models.PositiveIntegerField(_("版本"))
    definition = models.JSONField(_("定义"))
    digest = models.CharField(_("定义摘要"), max_length=64)
    source = models.CharField(_("来源"), max_length=16, choices=VersionSource)
    note = models.CharField(_("修订说明"), max_length=500, blank=True)
    created_by = models.CharField(_("修订人"), max_length=150)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("目录项版本")
        verbose_name_plural = _("目录项版本")
        constraints = [
            models.UniqueConstraint(fields=["item_code", "version"], name="catalog_version_unique")
        ]
        ordering = ["item_code", "-version"]

    def __str__(self) -> str:
        return f"{self.item_code} v{self.version}"
