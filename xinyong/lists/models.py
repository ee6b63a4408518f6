import datetime

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, ScopedQuerySet, scoped_manager
from xinyong.lists.choices import (
    BasisKind,
    EntryAction,
    EntryStatus,
    ListEffect,
    NationalCategory,
    NoticeKind,
    RemovalReason,
    StatementAdoption,
)
from xinyong.subjects.choices import RelatedRole

CLOSED = (EntryStatus.REMOVED, EntryStatus.DROPPED)
# Entries every department reads once published (a case in preparation stays with its
# designating department).
_SEEN_BY_ALL = (EntryStatus.PUBLISHED, EntryStatus.REMOVED)

# The one rule of what a list entry has effect: published, and its term not ended (checked
# at read time, so an expiry takes effect before the daily upkeep records it). Everything
# that asks — the credit check, the portal, the roll, the company's own file, objections,
# repair, joint action — asks it through in_force_q (a query), ListEntry.objects.in_force()
# or ListEntry.is_in_force (an entry already read), all three built from these two lines.
IN_FORCE_STATUS = EntryStatus.PUBLISHED


def in_force_q(today: datetime.date, via: str = "") -> Q:
    """Entries in force on ``today``; ``via``: the path to the entry from a related model
    (``"entry__"``, ``"list_entries__"``)."""
    return Q(**{f"{via}status": IN_FORCE_STATUS}) & (
        Q(**{f"{via}term_end__isnull": True}) | Q(**{f"{via}term_end__gte": today})
    )


class ListEntryQuerySet(ScopedQuerySet):
    def in_force(self, today: datetime.date | None = None) -> "ListEntryQuerySet":
        return self.filter(in_force_q(today or timezone.localdate()))


class ListType(models.Model):
    """A kind of credit list, as data: its legal basis, who may designate, the criteria, the
    term, how an entry leaves it and whether the public sees it. Seeded with the national
    list types; the credit office keeps it. A list may also be filled from outside: the
    records of ``source_item`` (e.g. the courts' 失信被执行人) become its entries."""

    code = models.CharField(_("编码"), max_length=48, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    effect = models.CharField(_("性质"), max_length=16, choices=ListEffect)
    legal_basis = models.TextField(_("设立依据"))
    criteria = models.TextField(_("认定标准"))
    removal_conditions = models.TextField(_("移出条件"))
    departments = models.JSONField(_("认定部门"), default=list)  # department codes, or ["*"]
    prior_notice = models.BooleanField(_("须事先告知并听取陈述申辩"), default=True)
    requires_category = models.BooleanField(_("须注明严重失信类别"), default=False)
    statement_workdays = models.PositiveSmallIntegerField(_("陈述申辩期（工作日）"), default=5)
    default_term_months = models.PositiveSmallIntegerField(
        _("默认期限（月）"), null=True, blank=True
    )
    max_term_months = models.PositiveSmallIntegerField(_("最长期限（月）"), null=True, blank=True)
    permanent_allowed = models.BooleanField(_("可终身"), default=False)
    # How long after listing an entry may at the earliest leave the list early by credit
    # repair (列入满…方可申请提前移出), and the rule that says so. None: no minimum.
    repair_after_months = models.PositiveSmallIntegerField(
        _("申请信用修复（提前移出）的最短列入期（月）"), null=True, blank=True
    )
    repair_after_basis = models.TextField(_("最短列入期依据"), blank=True)
    public = models.BooleanField(_("向社会公开"), default=True)
    on_roll = models.BooleanField(_("列入红黑榜"), default=False)  # published monthly
    source_item = models.CharField(_("外部名单目录项"), max_length=64, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("名单类型")
        verbose_name_plural = _("名单类型")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def designated_by(self, department_code: str) -> bool:
        return "*" in self.departments or department_code in self.departments

    def repairable_from(self, listed_on: datetime.date | None) -> datetime.date | None:
        """The first day an entry listed on ``listed_on`` may be repaired: the day after its
        minimum period (Civil Code counting: 12 months from 2026-03-15 are complete at the
        end of 2027-03-15). None when the list sets no minimum."""
        if not self.repair_after_months or listed_on is None:
            return None
        return listed_on + relativedelta(months=self.repair_after_months, days=1)


class ListEntry(models.Model):
    """One subject on one list, from the opened case to its removal. The procedure is a
    state machine (services): no step can be skipped, each is audited with its actor and
    deadline, and only a published entry in its term has any effect (credit check,
    portal). An entry under objection stays listed but its measures are suspended."""

    list_type = models.ForeignKey(ListType, on_delete=models.PROTECT, verbose_name=_("名单"))
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="list_entries",
        verbose_name=_("信用主体"),
    )  # fmt: skip
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, verbose_name=_("认定部门")
    )
    status = models.CharField(_("状态"), max_length=16, choices=EntryStatus)
    external = models.BooleanField(_("外部名单"), default=False)  # its source did the procedure
    source_record = models.OneToOneField(
        "records.Record", on_delete=models.PROTECT, null=True, blank=True,
        related_name="list_entry", db_constraint=False, verbose_name=_("来源记录"),
    )  # fmt: skip
    national_category = models.CharField(
        _("严重失信类别"), max_length=24, choices=NationalCategory, blank=True
    )
    basis_kind = models.CharField(_("认定依据类型"), max_length=16, choices=BasisKind, blank=True)
    basis_document = models.CharField(_("依据文书号"), max_length=200, blank=True)
    basis_records = models.ManyToManyField(
        "records.Record", blank=True, related_name="+", verbose_name=_("依据记录"),
        db_constraint=False,  # records are partitioned by subject: their key is (id, subject)
    )  # fmt: skip
    grounds = models.TextField(_("认定事由"))
    legal_basis = models.TextField(_("认定依据（法律法规条款）"))
    measures_text = models.TextField(_("拟采取的措施"), blank=True)
    removal_conditions = models.TextField(_("移出条件"), blank=True)
    remedies = models.TextField(_("救济途径"), blank=True)
    act_date = models.DateField(_("行为（依据）日期"))
    notice_no = models.CharField(_("告知书文号"), max_length=100, blank=True)
    notified_at = models.DateTimeField(_("告知时间"), null=True, blank=True)
    statement_due = models.DateField(_("陈述申辩期至"), null=True, blank=True)
    statement = models.TextField(_("陈述申辩意见"), blank=True)
    statement_at = models.DateTimeField(_("陈述申辩记录时间"), null=True, blank=True)
    # The decision's answer to the statement: adopted or not, and why (printed on it).
    statement_adoption = models.CharField(
        _("陈述申辩采纳情况"), max_length=16, choices=StatementAdoption, blank=True
    )
    statement_reply = models.TextField(_("采纳或不予采纳的理由"), blank=True)
    decision_no = models.CharField(_("认定决定书文号"), max_length=100, blank=True)
    decided_on = models.DateField(_("认定日期"), null=True, blank=True)
    term_end = models.DateField(_("有效期至"), null=True, blank=True)  # None: see permanent
    permanent = models.BooleanField(_("终身"), default=False)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    removal_reason = models.CharField(
        _("移出原因"), max_length=16, choices=RemovalReason, blank=True
    )
    removal_note = models.TextField(_("移出说明"), blank=True)
    under_objection = models.BooleanField(_("异议中"), default=False)
    deadline = models.DateField(_("当前环节期限"), null=True, blank=True)
    opened_by = models.CharField(_("立案人"), max_length=150)
    opened_at = models.DateTimeField(_("立案时间"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = scoped_manager(
        Scope(department="department_id", everyone=lambda: Q(status__in=_SEEN_BY_ALL)),
        base=ListEntryQuerySet,
    )

    class Meta:
        verbose_name = _("名单条目")
        verbose_name_plural = _("名单条目")
        indexes = [
            models.Index(fields=["subject", "status"], name="entry_subject_idx"),
            models.Index(fields=["department", "status"], name="entry_department_idx"),
            models.Index(fields=["list_type", "status", "-published_at"], name="entry_list_idx"),
        ]
        constraints = [
            # A subject is on a list once at a time: an open case or an entry in force.
            models.UniqueConstraint(
                fields=["list_type", "subject"],
                condition=~Q(status__in=CLOSED),
                name="entry_one_open_per_list",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list_type_id}:{self.subject_id} {self.status}"

    def is_in_force(self, today: datetime.date | None = None) -> bool:
        """:func:`in_force_q` for this entry as read (a test holds the two equal)."""
        today = today or timezone.localdate()
        return self.status == IN_FORCE_STATUS and (self.term_end is None or self.term_end >= today)


class ListEntryPerson(models.Model):
    """A person responsible for a designated organisation at the time of the act (legal
    representative, principal, actual controller): the entry appears in their own credit
    file, to authorised readers only."""

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="responsible_for",
        verbose_name=_("责任人"),
    )  # fmt: skip
    role = models.CharField(_("身份"), max_length=24, choices=RelatedRole)

    objects = scoped_manager(
        Scope(department="entry__department_id", everyone=lambda: Q(entry__status__in=_SEEN_BY_ALL))
    )

    class Meta:
        verbose_name = _("名单责任人")
        verbose_name_plural = _("名单责任人")
        constraints = [
            models.UniqueConstraint(fields=["entry", "person", "role"], name="entry_person_once")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.person_id} {self.role}"


class ListEntryEvent(models.Model):
    """One step of an entry's procedure: who took it, when, and the deadline it set."""

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("环节"), max_length=16, choices=EntryAction)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16)
    actor = models.CharField(_("操作人"), max_length=150)
    at = models.DateTimeField(_("时间"))
    deadline = models.DateField(_("期限"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    objects = scoped_manager(
        Scope(department="entry__department_id", everyone=lambda: Q(entry__status__in=_SEEN_BY_ALL))
    )

    class Meta:
        verbose_name = _("名单程序记录")
        verbose_name_plural = _("名单程序记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.action}"


class EntryNotice(models.Model):
    """A document of the procedure as issued (prior notice, decision, notice to the superior
    body and the audit department), kept as rendered text."""

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("文书类型"), max_length=16, choices=NoticeKind)
    number = models.CharField(_("文号"), max_length=100, blank=True)
    addressee = models.CharField(_("送达对象"), max_length=200)
    body = models.TextField(_("正文"))
    created_at = models.DateTimeField(_("制作时间"))

    objects = scoped_manager(
        Scope(department="entry__department_id", everyone=lambda: Q(entry__status__in=_SEEN_BY_ALL))
    )

    class Meta:
        verbose_name = _("名单文书")
        verbose_name_plural = _("名单文书")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.kind} {self.number}"


class EntryStatement(models.Model):
    """A statement and defence (陈述申辩) the subject filed online through its bound portal
    account within the period of the prior notice, with its attachments. It lands on the
    case: the clerk records the hearing from it (``entry_hear``)."""

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="statements")
    text = models.TextField(_("陈述申辩意见"))
    filed_by = models.CharField(_("提交人"), max_length=150)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("门户账号"),
    )  # fmt: skip
    filed_at = models.DateTimeField(_("提交时间"))

    objects = scoped_manager(Scope(department="entry__department_id", subject="entry__subject_id"))

    class Meta:
        verbose_name = _("在线陈述申辩")
        verbose_name_plural = _("在线陈述申辩")
        ordering = ["filed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.filed_at:%Y-%m-%d}"


class StatementFile(models.Model):
    """An attachment of an online statement (PDF, PNG or JPEG, checked by its content),
    kept outside the web root like every uploaded material."""

    statement = models.ForeignKey(EntryStatement, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(_("存储路径"), max_length=300)
    name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    objects = scoped_manager(
        Scope(department="statement__entry__department_id", subject="statement__entry__subject_id")
    )

    class Meta:
        verbose_name = _("陈述申辩附件")
        verbose_name_plural = _("陈述申辩附件")

    def __str__(self) -> str:
        return self.name


class Roll(models.Model):
    """红黑榜: a period's honor and dishonor roll as the credit office published it — the
    entries of roll lists decided in the period and in effect when published. The portal
    shows only those still in effect: a later repair or removal takes a name off."""

    period = models.CharField(_("期次"), max_length=7, unique=True)  # YYYY-MM
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.CharField(_("发布人"), max_length=150)
    entries = models.ManyToManyField(ListEntry, related_name="rolls", verbose_name=_("条目"))

    class Meta:
        verbose_name = _("红黑榜")
        verbose_name_plural = _("红黑榜")
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.period


class RollExclusion(models.Model):
    """An entry the credit office left off a month's roll at publication, and why: the
    preview showed it among those that would be published; leaving it out needs a reason,
    kept with the roll (and in the audit event) so the choice can be reviewed."""

    roll = models.ForeignKey(
        Roll, on_delete=models.CASCADE, related_name="exclusions", verbose_name=_("红黑榜")
    )
    entry = models.ForeignKey(
        ListEntry, on_delete=models.PROTECT, related_name="roll_exclusions",
        verbose_name=_("条目"),
    )  # fmt: skip
    reason = models.CharField(_("不予发布理由"), max_length=500)

    class Meta:
        verbose_name = _("红黑榜不予发布条目")
        verbose_name_plural = _("红黑榜不予发布条目")
        constraints = [
            models.UniqueConstraint(fields=["roll", "entry"], name="roll_exclusion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.roll_id} {self.entry_id}"
