"""Who sees what and who may do what: the one place these rules are written.

Reads. Every department-scoped model declares, once, where its owning department is
(:class:`Scope`) and gets ``Model.objects.visible_to(actor)`` (in the manner of NetBox's
``restrict(user, action)``); selectors, views and API routes start from it and never
compare roles themselves. The rule (:func:`visible_q`):

- the platform operator (and the platform itself) reads every row;
- the auditor reads every row of back-office data, unless the model says otherwise
  (data about persons: the trail shows acts, not persons);
- a department's clerk, reviewer or business system reads its own department's rows, plus
  the providers sharing with it under a rule in force where the model's data is shared,
  plus what the model shows every department (``everyone``: e.g. published list entries);
- a portal account reads the rows of the subjects it is bound to (approved binding),
  where the model belongs to a subject's own file; the anonymous visitor reads none.

Writes. Services call :func:`require` with an :class:`Action` and the object acted on; it
raises ``PermissionDenied`` (or ``NotFound`` where a refusal would tell that something
exists). :func:`allowed` answers the same question for a page deciding what to offer.

This module imports no models (it reaches them through the app registry): models import
it for their managers."""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.actors import Actor
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    """Where a model's owning department is, and who else reads its rows."""

    department: str  # path to the owning department's id: "provider_id", "batch__provider_id"
    shared: bool = False  # sharing rules in force widen it (shared, not restricted, data)
    auditor: bool = True  # the auditor reads every row
    everyone: Callable[[], Q] | None = None  # rows every department reads (published)
    subject: str | None = None  # path to the subject: a bound portal account reads its own
    also: tuple[str, ...] = ()  # further department paths that own the row too
    own_only: Callable[[], Q] | None = None  # rows only the owning department reads
    account: str | None = None  # path to a portal account's user id: it reads its own rows


def _model(app_label: str, name: str):
    """A model by name: the models of every app declare their managers with this module,
    so it reaches them through the app registry rather than by importing them."""
    return apps.get_model(app_label, name)


def visible_provider_ids(actor: Actor) -> set[int] | None:
    """Departments whose non-public data ``actor`` may see: its own plus those sharing with
    it under a rule in force today. ``None`` means every department (platform operator)."""
    SharingRule = _model("accounts", "SharingRule")

    if actor.writes_all_departments:
        return None
    if actor.department_id is None or not actor.is_staff:
        return set()
    today = timezone.localdate()
    shared = SharingRule.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        consumer_id=actor.department_id,
        valid_from__lte=today,
    ).values_list("provider_id", flat=True)
    return {actor.department_id, *shared}


def bound_subject_ids(actor: Actor):
    """The subjects a portal account acts for (approved bindings), as a subquery."""
    from xinyong.remedies.choices import BindingStatus

    SubjectBinding = _model("remedies", "SubjectBinding")

    return SubjectBinding.objects.filter(
        user_id=actor.user_id, status=BindingStatus.APPROVED
    ).values("subject_id")


def visible_q(actor: Actor, scope: Scope) -> Q:
    """The one read rule (see the module's docstring) as a filter on a model's rows."""
    if actor.is_operator:
        return Q()
    if actor.is_auditor:
        if scope.auditor:
            return Q()
        return scope.everyone() if scope.everyone is not None else NOTHING
    if actor.is_public:
        if not actor.is_portal_account or actor.user_id is None:
            return NOTHING
        q = NOTHING
        if scope.subject:
            q |= Q(**{f"{scope.subject}__in": bound_subject_ids(actor)})
        if scope.account:
            q |= Q(**{scope.account: actor.user_id})
        return q
    if not actor.is_department_staff:
        return NOTHING
    own = Q(**{scope.department: actor.department_id})
    if scope.shared:
        q = Q(**{f"{scope.department}__in": visible_provider_ids(actor)})
        if scope.own_only is not None:
            q = own | (q & ~scope.own_only())
    else:
        q = own
    for path in scope.also:
        q |= Q(**{path: actor.department_id})
    if scope.everyone is not None:
        q |= scope.everyone()
    return q


class ScopedQuerySet(models.QuerySet):
    """``visible_to(actor)``: the rows of a department-scoped model the actor may read."""

    scope: Scope

    def visible_to(self, actor: Actor):
        return self.filter(visible_q(actor, self.scope))


def scoped_manager(scope: Scope, base: type[models.QuerySet] = ScopedQuerySet):
    """The manager a department-scoped model declares as ``objects``."""
    qs_class = type(f"Scoped{base.__name__}", (base,), {"scope": scope})
    return qs_class.as_manager()


# -- writes -----------------------------------------------------------------------------


class Action(models.TextChoices):
    # Reference data (departments, users, clients, catalog, rules, calendar, rolls,
    # code-defect scans): the platform operator only.
    ADMINISTER = "administer", _("维护基础数据")
    # Register a subject or report a code: any department's staff or the operator.
    SUBJECT_REGISTER = "subject_register", _("登记主体")
    # Rename a subject, add its related persons: the department that registered it, or
    # the operator (a department changes only the registry it keeps).
    SUBJECT_CHANGE = "subject_change", _("变更主体")
    # End a related person's term: the department that provided it, or the operator.
    RELATED_PERSON_END = "related_person_end", _("终止关联人")
    # Read a person's identifier in clear (with a purpose; audited): staff who read
    # persons' data, within the department's scope (checked by the selector).
    PERSON_REVEAL = "person_reveal", _("查看身份证件号码")
    # Submit records (a batch): a clerk or business system for its department, or the
    # operator on a department's behalf.
    RECORD_SUBMIT = "record_submit", _("报送信用信息")
    # Withdraw a record: a clerk of the providing department, or the operator.
    RECORD_WITHDRAW = "record_withdraw", _("撤销信用记录")
    # Queue a failed or stuck batch again: a clerk or business system of the providing
    # department (it submitted it; re-processing is idempotent), or the operator.
    BATCH_RETRY = "batch_retry", _("重新处理报送批次")
    # File an objection for a subject: its bound account, the operator, or a department
    # serving the subject (:func:`serves`).
    OBJECTION_FILE = "objection_file", _("提出异议")
    # Mark and forward an objection: the operator (or the platform).
    OBJECTION_ROUTE = "objection_route", _("标注和转交异议")
    # Decide an objection: staff of the providing (designating) department.
    OBJECTION_DECIDE = "objection_decide", _("办结异议")
    # Ask to act for a subject, apply for repair: a portal account.
    SUBJECT_BIND = "subject_bind", _("申请绑定主体")
    # Review a binding: the operator, or staff of the department that registered the subject.
    BINDING_REVIEW = "binding_review", _("审核主体绑定")
    # Decide a repair application: a reviewer of the responsible department.
    REPAIR_DECIDE = "repair_decide", _("审核信用修复")
    # Act on an object one department owns (``obj.department_id``): answer its task, its
    # check's feedback, follow up its entry (joint action, rectification, interview).
    # That department's staff and systems; the operator only as that department.
    DEPARTMENT_ACT = "department_act", _("办理本部门事项")
    # Run a credit check: staff acting at a counter (not the auditor, not the public).
    CREDIT_CHECK = "credit_check", _("信用核查")
    # Obtain a subject's own full report (自查版): the subject itself, through its bound
    # portal account — nobody else, not even the operator (it is the subject's document).
    REPORT_OWN = "report_own", _("获取自查版信用报告")
    # Obtain a special credit report (in place of certificates of no violation): the
    # subject's bound account, or staff and systems of a department or the credit office
    # (565号: departments look it up instead of asking for certificates) — not the auditor,
    # and staff only as a department (the report names the requesting department). A
    # person's special report only through its bound portal account (obj: the subject).
    REPORT_SPECIAL = "report_special", _("获取专项信用报告")
    # Obtain a credit review report (procurement, funds, honours…): staff and systems of a
    # department or the credit office, for a stated purpose — not the auditor, not the
    # public, and only as a department (an account of no department is refused: the report
    # would name nobody as its requester).
    REPORT_REVIEW = "report_review", _("获取信用审查报告")
    # Download a report's files (obj: the report) — the one rule for every download, in
    # the portal, the API and the back office: a department's report (department set) goes
    # to that department's staff and systems, and to the platform operator (who oversees
    # what departments obtain); a report asked by a portal account (public, or the
    # subject's own or special report) goes to that account — own and special ones only
    # while it is still bound to the subject — and to nobody else, not even the operator
    # (it is the subject's document). Not the auditor. A public report's files also go to
    # anyone holding its number and code (checked by the selectors, not here).
    REPORT_FILE = "report_file", _("下载信用报告文件")
    # Submit a batch of reports (a tender's bidders) and download a batch's ZIP: staff and
    # systems of a department or the credit office, on behalf of their own department (an
    # account of no department is refused) — not the auditor (reads the list only), not
    # the public. A single report's file goes by REPORT_FILE.
    REPORT_BATCH = "report_batch", _("批量获取信用报告")
    # Read the audit trail (the back office's log page): the auditor and the operator.
    AUDIT_READ = "audit_read", _("查看审计日志")
    # Open the queues of bindings, objections and repairs (each then shows the reader's
    # own share): the operator and a department's staff — not the auditor.
    REMEDY_QUEUE = "remedy_queue", _("办理主体绑定、异议和信用修复")
    # File a statement and defence (陈述申辩) on a list case after its prior notice (obj:
    # the entry): the bound portal account of the entry's subject — nobody else (a clerk
    # records what the subject said through the hearing step). The period is the
    # service's rule.
    ENTRY_STATEMENT = "entry_statement", _("提交陈述申辩")
    # Read the documents of a list case — prior notice, decision, rectification order —
    # and a statement's attachments (obj: the entry): the bound portal account of the
    # entry's subject (they are addressed to it), and staff who see the case
    # (``ListEntry.objects.visible_to``, checked by the selector) — not the public.
    ENTRY_DOCUMENT = "entry_document", _("查看名单文书")
    # Sign a credit commitment online for a subject (obj: the subject): its bound portal
    # account only — a commitment is the subject's own word.
    COMMITMENT_SIGN = "commitment_sign", _("签署信用承诺")
    # Record a paper commitment received at the counter, check a commitment, propose a
    # breach, end a deficiency-tolerant case (obj: the commitment, or None to record): a
    # department's staff or business system, or the operator as that department.
    COMMITMENT_HANDLE = "commitment_handle", _("办理信用承诺")
    # Make a breach or a false commitment final after the subject was heard (obj: the
    # commitment): a reviewer of the accepting department.
    COMMITMENT_DECIDE = "commitment_decide", _("认定违背信用承诺")
    # Answer a proposed breach (陈述申辩, obj: the commitment): the subject's bound account.
    COMMITMENT_STATEMENT = "commitment_statement", _("对违诺认定陈述申辩")
    # Submit a self-declaration for a subject (obj: the subject): its bound portal account.
    DECLARATION_SUBMIT = "declaration_submit", _("提交自主申报")
    # Verify or refuse a self-declaration (obj: the declaration): staff of the department it
    # is routed to, or the operator (the credit office verifies what no department owns).
    DECLARATION_VERIFY = "declaration_verify", _("核实自主申报")
    # See a subject's full evaluation — score, every indicator's points and reasons, the
    # hints (obj: the subject): the subject itself (its bound portal account) and staff;
    # the public sees only what the credit office publishes.
    EVALUATION_VIEW = "evaluation_view", _("查看公共信用综合评价详情")
    # Keep a department's inspection items, sector-grade table, inspector pool and
    # conflicts; create, freeze and draw its inspection plans; record and publish their
    # results (obj: the item, inspector, plan — its ``department_id`` is the owner — or
    # None to create): that department's staff and systems, or the operator for any
    # department. Not the auditor.
    SUPERVISION_MANAGE = "supervision_manage", _("办理双随机抽查")
    # Read a department's effectiveness scorecard (跟踪问效) and its row of a monthly
    # report, pages and downloads alike (obj: the department; None: whether the actor sees
    # any): the operator and the auditor every department, a department's staff their own.
    SCORECARD_VIEW = "scorecard_view", _("查看部门跟踪问效")
    # Generate a month's effectiveness report (跟踪问效月报): the operator, or the platform
    # itself (the daily upkeep).
    MONTHLY_REPORT_GENERATE = "monthly_report_generate", _("生成跟踪问效月报")
    # Register, change, stop, re-enable or replay a change subscription (webhook) (obj: the
    # subscription, or None to register one): staff and business systems of its department
    # (a system with the ``webhooks`` scope, checked by the API), or the operator for any
    # department's — registering only as a department. Not the auditor (reads only).
    WEBHOOK_MANAGE = "webhook_manage", _("管理变动订阅")
    # Watch a subject's changes (obj: the subject): an organisation or individual business —
    # any department (the feeds carry what is published); a person — only staff who read
    # persons' data (a system: ``persons:read``) of the department serving it (:func:`serves`).
    WEBHOOK_WATCH = "webhook_watch", _("订阅主体变动")


# Actions taken in a department's name: an account of no department cannot take them.
_AS_DEPARTMENT = ("report_review", "report_special", "report_batch")
NO_DEPARTMENT = _(
    "该账号未归属任何部门：信用审查报告、专项信用报告和批量报告须以部门名义获取，"
    "请联系平台运营方为账号设置所属部门"
)


def _without_department(actor: Actor, action) -> bool:
    """Staff acting in a department's name with no department (an operator account may
    have none): refused, with :data:`NO_DEPARTMENT` as the reason."""
    return (
        action in _AS_DEPARTMENT and actor.is_staff and not actor.is_auditor
        and actor.department_id is None
    )  # fmt: skip


def serves(actor: Actor, subject_id: int, source_department_id: int | None = None) -> bool:
    """A department serves a subject when it registered it: it keeps the subject's basic
    registration, knows who speaks for it, and only then may it speak for the subject,
    e.g. file an objection on its behalf. (A credit check does not make a department the
    subject's: any department may check any subject for any matter, so "checked lately"
    would let any department dispute any other's records.)"""
    if not actor.is_department_staff:
        return False
    if source_department_id is None:
        Subject = _model("subjects", "Subject")
        source_department_id = (
            Subject.objects.filter(pk=subject_id).values_list("source_department_id", flat=True)
        ).first()
    return source_department_id == actor.department_id


def _bound(actor: Actor, subject_id: int) -> bool:
    from xinyong.remedies.choices import BindingStatus

    SubjectBinding = _model("remedies", "SubjectBinding")

    return SubjectBinding.objects.filter(
        user_id=actor.user_id, subject_id=subject_id, status=BindingStatus.APPROVED
    ).exists()


def _rule(actor: Actor, action: Action, obj) -> bool:
    A = Action
    if action == A.CREDIT_CHECK:  # first: asked on the hot path of every check
        return actor.is_staff and not actor.is_auditor
    if action == A.ADMINISTER:
        return actor.may_administer
    if action == A.SUBJECT_REGISTER:
        return actor.is_operator or actor.is_department_staff
    if action == A.SUBJECT_CHANGE:
        return actor.is_operator or (
            actor.is_department_staff and obj.source_department_id == actor.department_id
        )
    if action == A.RELATED_PERSON_END:
        return actor.is_operator or (
            actor.is_department_staff and obj.provider_id == actor.department_id
        )
    if action == A.PERSON_REVEAL:
        return actor.reads_person_data
    if action == A.RECORD_SUBMIT:
        return actor.is_operator or actor.may_prepare
    if action in (A.RECORD_WITHDRAW, A.BATCH_RETRY):
        return actor.is_operator or (actor.may_prepare and obj.provider_id == actor.department_id)
    if action == A.OBJECTION_FILE:  # obj: the subject
        if actor.is_portal_account:
            return _bound(actor, obj.pk)
        return actor.is_operator or (
            actor.may_prepare and serves(actor, obj.pk, obj.source_department_id)
        )
    if action == A.OBJECTION_ROUTE:
        return actor.is_operator
    if action == A.OBJECTION_DECIDE:
        return actor.is_department_staff and obj.provider_id == actor.department_id
    if action == A.SUBJECT_BIND:
        return actor.is_portal_account and actor.user_id is not None
    if action == A.BINDING_REVIEW:
        return actor.is_operator or (
            actor.is_department_staff and obj.subject.source_department_id == actor.department_id
        )
    if action == A.REPAIR_DECIDE:
        return actor.may_decide and obj.department_id == actor.department_id
    if action == A.EVALUATION_VIEW:  # obj: the subject
        if actor.is_portal_account:
            return _bound(actor, obj.pk)
        return actor.is_staff
    if action == A.REPORT_OWN:  # obj: the subject
        return actor.is_portal_account and _bound(actor, obj.pk)
    if action == A.REPORT_SPECIAL:  # obj: the subject (None: may the actor at all)
        if actor.is_portal_account:
            return obj is not None and _bound(actor, obj.pk)
        if obj is not None and obj.kind == "person":
            return False  # a person's special report: its bound account only
        return actor.is_staff and not actor.is_auditor and actor.department_id is not None
    if action == A.REPORT_REVIEW:
        speaks = actor.is_department_staff or actor.is_operator
        return speaks and not actor.is_auditor and actor.department_id is not None
    if action == A.REPORT_FILE:  # obj: the report
        if obj.department_id is not None:
            return actor.is_operator or (
                actor.is_staff and not actor.is_auditor
                and obj.department_id == actor.department_id
            )  # fmt: skip
        return (
            actor.is_portal_account and obj.user_id is not None
            and obj.user_id == actor.user_id
            and (obj.kind == "public" or _bound(actor, obj.subject_id))
        )  # fmt: skip
    if action == A.REPORT_BATCH:  # obj: None (submit), or the batch (its ZIP)
        if obj is None:
            speaks = actor.is_department_staff or actor.is_operator
            return speaks and not actor.is_auditor and actor.department_id is not None
        return actor.acts_for_department(obj.department_id)
    if action == A.AUDIT_READ:
        return actor.reads_all_departments
    if action == A.REMEDY_QUEUE:
        return actor.is_operator or actor.is_department_staff
    if action == A.ENTRY_STATEMENT:  # obj: the entry
        return actor.is_portal_account and _bound(actor, obj.subject_id)
    if action == A.ENTRY_DOCUMENT:  # obj: the entry
        if actor.is_portal_account:
            return _bound(actor, obj.subject_id)
        return actor.is_staff
    if action == A.DEPARTMENT_ACT:
        speaks = actor.is_department_staff or actor.is_operator
        return speaks and obj.department_id == actor.department_id
    if action in (A.COMMITMENT_SIGN, A.DECLARATION_SUBMIT):  # obj: the subject
        return actor.is_portal_account and _bound(actor, obj.pk)
    if action == A.COMMITMENT_HANDLE:  # obj: the commitment (None: record a paper one)
        if not (actor.is_department_staff or actor.is_operator) or actor.department_id is None:
            return False
        return obj is None or obj.department_id == actor.department_id
    if action == A.COMMITMENT_DECIDE:
        return actor.may_decide and obj.department_id == actor.department_id
    if action == A.COMMITMENT_STATEMENT:
        return actor.is_portal_account and _bound(actor, obj.subject_id)
    if action == A.DECLARATION_VERIFY:
        if actor.is_operator:
            return True
        return actor.is_department_staff and obj.department_id == actor.department_id
    if action == A.SUPERVISION_MANAGE:
        if actor.is_operator:
            return True
        if not actor.is_department_staff:
            return False
        return obj is None or obj.department_id == actor.department_id
    if action == A.SCORECARD_VIEW:  # obj: the department (None: any)
        if actor.reads_all_departments:
            return True
        return actor.is_department_staff and (obj is None or obj.pk == actor.department_id)
    if action == A.MONTHLY_REPORT_GENERATE:
        return actor.is_operator
    if action == A.WEBHOOK_MANAGE:
        if obj is None:
            speaks = actor.is_department_staff or actor.is_operator
            return speaks and not actor.is_auditor and actor.department_id is not None
        return actor.acts_for_department(obj.department_id)
    if action == A.WEBHOOK_WATCH:  # obj: the subject
        if obj.kind != "person":
            return actor.is_staff and not actor.is_auditor
        return watches_persons(actor) and serves(actor, obj.pk, obj.source_department_id)
    raise ValueError(f"unknown action {action!r}")


def watches_persons(actor: Actor) -> bool:
    """May watch persons' changes at all (those its department serves): a department's
    staff reading persons' data; a business system only with the ``persons:read`` scope."""
    return actor.is_department_staff and actor.reads_person_data and actor.has_scope("persons:read")


# The scope a business system needs for each kind of change (``exchange.choices.Feed``):
# the same as for reading that feed by its cursor; users act by their role (staff).
FEED_SCOPES = {"evaluations": "evaluation:read"}
FEED_SCOPE_DEFAULT = "publicity:read"


def feed_allowed(actor: Actor, feed: str) -> bool:
    """Whether ``actor`` may be told of changes of ``feed`` (a subscription's kind)."""
    if not actor.is_staff or actor.is_auditor:
        return False
    return actor.has_scope(FEED_SCOPES.get(feed, FEED_SCOPE_DEFAULT))


def acting_q(actor: Actor, action: Action) -> Q:
    """The rows on which ``actor`` may take ``action``, as a filter on the acted-on model —
    :func:`allowed` for a whole queryset at once (the back-office to-do lists count them at
    a million subjects, so they cannot ask row by row). Only the actions a to-do list
    offers; a test holds each equal to :func:`allowed` on sample rows."""
    A = Action
    dept = actor.department_id
    if action in (A.RECORD_WITHDRAW, A.BATCH_RETRY):  # a batch or a record
        if actor.is_operator:
            return Q()
        return Q(provider_id=dept) if actor.may_prepare else NOTHING
    if action == A.OBJECTION_ROUTE:
        return Q() if actor.is_operator else NOTHING
    if action == A.OBJECTION_DECIDE:
        return Q(provider_id=dept) if actor.is_department_staff else NOTHING
    if action == A.BINDING_REVIEW:
        if actor.is_operator:
            return Q()
        return Q(subject__source_department_id=dept) if actor.is_department_staff else NOTHING
    if action == A.REPAIR_DECIDE:
        return Q(department_id=dept) if actor.may_decide else NOTHING
    if action == A.DEPARTMENT_ACT:
        speaks = actor.is_department_staff or actor.is_operator
        return Q(department_id=dept) if speaks and dept is not None else NOTHING
    if action == A.COMMITMENT_HANDLE:
        may = (actor.is_department_staff or actor.is_operator) and dept is not None
        return Q(department_id=dept) if may else NOTHING
    if action == A.COMMITMENT_DECIDE:
        return Q(department_id=dept) if actor.may_decide else NOTHING
    if action == A.DECLARATION_VERIFY:
        if actor.is_operator:
            return Q()
        return Q(department_id=dept) if actor.is_department_staff else NOTHING
    if action == A.SUPERVISION_MANAGE:  # an inspection plan (or task: plan__department_id)
        if actor.is_operator:
            return Q()
        return Q(department_id=dept) if actor.is_department_staff else NOTHING
    if action == A.WEBHOOK_MANAGE:  # a subscription
        if actor.is_operator:
            return Q()
        return Q(department_id=dept) if actor.is_department_staff else NOTHING
    raise ValueError(f"no set rule for action {action!r}")


def allowed(actor: Actor, action: Action, obj=None) -> bool:
    """Whether ``actor`` may take ``action`` on ``obj`` (for a page deciding what to offer)."""
    return _rule(actor, action, obj)


def require(actor: Actor, action: Action, obj=None, *, message: str = "",
            hide: bool = False) -> None:  # fmt: skip
    """Refuse unless ``actor`` may take ``action`` on ``obj``: ``PermissionDenied`` naming
    the action, or ``NotFound`` with ``hide`` (another subject's data stays unseen)."""
    if _rule(actor, action, obj):
        return
    if _without_department(actor, action):
        raise PermissionDenied(str(NO_DEPARTMENT))
    if hide:
        raise NotFound(message or str(_("没有该对象，或无权查看")))
    raise PermissionDenied(message or str(_("无权%(action)s") % {"action": Action(action).label}))


# -- statistics (issue #17: stats/) ------------------------------------------------------
def stats_department(actor: Actor, wanted: int | None = None) -> int | None:
    """Which department's figures the statistics dashboards show ``actor`` (None: all). The
    credit office and the auditor read every department's figures (counts, never rows) and
    may narrow them to one; a department's staff read their own department's only, and a
    filter for another department is refused naming the field (a stale or crafted link
    must not silently show something else). The public has no dashboard."""
    if not actor.is_staff:
        raise PermissionDenied(str(_("无权查看统计分析")))
    if actor.reads_all_departments:
        return wanted
    if not actor.is_department_staff:
        raise PermissionDenied(str(_("该账号未归属任何部门，无法查看部门统计")))
    if wanted is not None and wanted != actor.department_id:
        raise ValidationFailed(
            [FieldError("department", "not_own", str(_("只能查看本部门的统计数据")))]
        )
    return actor.department_id


# -- readers of every department, and who names the department it acts for -----------------
def reads_every_department(actor: Actor) -> bool:
    """Reads every department's back-office data (the operator and the auditor): its lists
    offer a filter by department, and what it downloads (a chart, a monthly report) says
    "every department" rather than naming the reader's own."""
    return actor.reads_all_departments


def department_filter(actor: Actor, wanted: int | None) -> int | None:
    """The department a back-office list is narrowed to at the reader's choice: only a
    reader of every department chooses; anyone else's list is its own department's share
    already, and a department in the link is ignored."""
    return wanted if reads_every_department(actor) else None


def names_department(actor: Actor) -> bool:
    """Acts on a department's behalf by naming it (the operator submits a batch for the
    department it picks): the form offers it the department field, the service reads it."""
    return actor.writes_all_departments


def resets_password_by_email(user) -> bool:
    """Whether an account's password may be reset through a link e-mailed to it: a portal
    account only. A staff account never (a mailbox would then be enough to reach non-public
    data): the credit office sets staff passwords."""
    return not user.is_staff and Actor.for_user(user).is_portal_account


def acts_for_subject(actor: Actor, subject_id: int) -> bool:
    """A portal account bound to the subject (approved binding): the portal offers it the
    subject's own pages (its full evaluation, its own report)."""
    return actor.is_portal_account and _bound(actor, subject_id)
