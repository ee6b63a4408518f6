from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager


class Profession(models.Model):
    """A key profession whose practitioners have a credit file (doctors and nurses,
    teachers, lawyers, accountants, construction and safety practitioners, tour guides):
    its competent industry department (who registers its practitioners and whose remit the
    files are), the catalog items that feed the files, and what a rule publishes — nothing
    unless the credit office names the fields and the rule. Kept by the credit office."""

    code = models.SlugField(_("编码"), max_length=48, unique=True)
    name = models.CharField(_("职业名称"), max_length=100, unique=True)
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("行业主管部门"),
    )
    items = models.JSONField(_("归集目录项"), default=list)  # catalog item codes
    public_fields = models.JSONField(_("依规公开的字段"), default=list)  # PublicField values
    publish_basis = models.TextField(_("公开依据"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    updated_by = models.CharField(_("修改人"), max_length=150)
    updated_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("重点职业")
        verbose_name_plural = _("重点职业")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Practitioner(models.Model):
    """从业人员: a person practising a profession under a licence or certificate, at an
    employer, registered by the profession's industry department. The file is the
    registration plus the records of the profession's items that department provided.
    Read by the person (bound portal account), that department and those it shares with
    under a sharing rule in force, and the operator — each staff read audited; never by
    the auditor (it is about a person) nor the public, unless the profession's rule
    publishes named fields."""

    profession = models.ForeignKey(
        Profession,
        on_delete=models.PROTECT,
        related_name="practitioners",
        verbose_name=_("职业"),
    )
    person = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="practices",
        verbose_name=_("从业人员"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登记部门"),
    )
    licence_no = models.CharField(_("执业（资格）证书编号"), max_length=64)
    employer = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("执业单位"),
    )
    valid_from = models.DateField(_("执业起始日期"))
    valid_to = models.DateField(_("执业截止日期"), null=True, blank=True)
    registered_by = models.CharField(_("登记人"), max_length=150)
    registered_at = models.DateTimeField(_("登记时间"))

    objects = scoped_manager(
        Scope(department="department_id", shared=True, auditor=False, subject="person_id")
    )

    class Meta:
        verbose_name = _("从业人员")
        verbose_name_plural = _("从业人员")
        ordering = ["-registered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profession", "licence_no"], name="practitioner_licence_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profession_id}:{self.licence_no}"
