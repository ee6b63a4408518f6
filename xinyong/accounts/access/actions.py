"""What an actor may do: the actions services ``require`` and pages ask ``allowed``, each
value with a comment saying who may take it (the rule itself is in :mod:`.rules`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    # -- credit service agencies (信用服务机构, xinyong.agencies) --------------------------
    # File an agency (first or change), list its practitioners, issue and stop its API
    # tokens, register its reports (obj: the agency's subject): a portal account bound to
    # that organisation — the agency's staff act through it, nobody else.
    AGENCY_ACT = "agency_act", _("办理信用服务机构备案事项")
    # Open the agencies' pages of the back office (filings, agencies, misconduct; obj None):
    # every staff user (the auditor reads); deciding is AGENCY_REVIEW's.
    AGENCY_VIEW = "agency_view", _("查看信用服务机构")
    # Review a filing (approve, return for correction, refuse), notify and decide a removal
    # from the directory: the credit office (platform operator) only.
    AGENCY_REVIEW = "agency_review", _("审核信用服务机构备案")
    # Record an agency's misconduct (obj None): a department's staff or the credit office,
    # in its department's name — not the auditor, not an account of no department.
    AGENCY_MISCONDUCT = "agency_misconduct", _("登记信用服务机构失信行为")
    # Authorise an agency, revoke an authorisation, read the agency's reads (obj: the
    # subject): the subject's bound portal account only — it is the subject's consent.
    AGENCY_AUTHORISE = "agency_authorise", _("授权信用服务机构")


# Actions taken in a department's name: an account of no department cannot take them.
_AS_DEPARTMENT = ("report_review", "report_special", "report_batch")
NO_DEPARTMENT = _(
    "该账号未归属任何部门：信用审查报告、专项信用报告和批量报告须以部门名义获取，"
    "请联系平台运营方为账号设置所属部门"
)
