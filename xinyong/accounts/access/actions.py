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
    # Decide a repair application: a reviewer of the responsible department — or, for an
    # industry association's public censure, that association's people while authorised
    # (the association decided the censure; 谁认定、谁修复).
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
    # Open the queue of repair applications and read their materials (each reader its own
    # share): as REMEDY_QUEUE, and an authorised industry association's people (the
    # repairs of its own public censures) — not the auditor.
    REPAIR_QUEUE = "repair_queue", _("办理信用修复申请")
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
    # Integrity demonstration units (诚信示范单位): create a campaign, record applications,
    # assess, publish, revoke or keep a title after a breach (obj: the campaign — its
    # ``department_id`` is the organiser — or None to create one): the organising
    # department's staff and systems, or the operator for any campaign. Not the auditor.
    DEMONSTRATION_MANAGE = "demonstration_manage", _("办理诚信示范单位创建")
    # Award or refuse a unit's title, revoke it, or keep it after a breach was found (obj:
    # the campaign): a reviewer of the organising department, or the operator.
    DEMONSTRATION_DECIDE = "demonstration_decide", _("评审和撤销诚信示范单位")
    # Apply online for a school's or an enterprise's title (obj: the subject): its bound
    # portal account only — the application is the subject's own.
    DEMONSTRATION_APPLY = "demonstration_apply", _("申报诚信示范单位")
    # -- Public bodies' notices and staff misconduct (issue #18, item 6) ---------------
    # Acknowledge online a notice addressed to a department (obj: the receipt): staff of
    # the addressee department only — not the issuing department, not the operator.
    NOTICE_ACKNOWLEDGE = "notice_acknowledge", _("签收通报")
    # Record a paper acknowledgement of a notice (obj: the receipt): staff of the issuing
    # department, or the operator (the credit office follows every notice).
    NOTICE_RECEIPT_RECORD = "notice_receipt_record", _("登记通报纸质签收")
    # Record a staff misconduct notice (obj: None): a department's clerk or reviewer, or
    # the operator as its own department — in a department's name (none: refused).
    MISCONDUCT_RECORD = "misconduct_record", _("通报工作人员违规失信行为")
    # -- Practitioner credit files (issue #18, item 7) ----------------------------------
    # Register a practitioner of a profession (obj: the profession): a clerk or business
    # system of the profession's industry department only.
    PRACTITIONER_REGISTER = "practitioner_register", _("登记从业人员")
    # Read a practitioner's credit file (obj: the practitioner): the person's bound portal
    # account; staff of the profession's department or of one it shares with under a
    # sharing rule in force; the operator — not the auditor (a person's file), not the
    # public (a rule may publish named fields, read by the selector, not here).
    PRACTITIONER_FILE_READ = "practitioner_file_read", _("查看从业人员信用档案")
    # Read what a profession's rule publishes of its practitioners — search them, open one's
    # public page (obj: the profession): anyone, the public included, while the profession
    # is in use and its rule names at least one field and states its basis; a profession
    # publishing nothing is not there at all (which fields: the selector, by the rule).
    PRACTITIONER_PUBLIC_READ = "practitioner_public_read", _("查看依规公开的从业人员信息")
    # -- Early warning (失信预警, issue #18) --
    # Open the alert queue (obj: None): a department's staff (their department's alerts),
    # the operator and the auditor (every department's). Never the public or the subject.
    ALERT_QUEUE = "alert_queue", _("查看失信预警")
    # Acknowledge or close an alert (obj: the alert): staff and business systems of the
    # department it was raised to (a system with the ``alerts`` scope, checked by the API),
    # or the operator for any department. Not the auditor (reads only).
    ALERT_HANDLE = "alert_handle", _("处理失信预警")
    # Read the rules' precision (obj: the department; None: any): the operator
    # and the auditor every department, a department's staff their own.
    ALERT_PRECISION = "alert_precision", _("查看预警准确率")
    # Read a warning notice (obj: the notice): the subject's bound portal account, and the
    # staff who see it (the issuing department, the operator, the auditor).
    WARNING_NOTICE_READ = "warning_notice_read", _("查看失信预警提示书")
    # -- Rewarded tips (失信行为有奖举报, issue #18 item 3) --
    # Open the back-office tips pages (each shows the reader's share, never the tipster):
    # the operator and the auditor every tip, a department's staff its own.
    TIP_QUEUE = "tip_queue", _("查看失信行为举报")
    # Route a tip to the competent department, or re-route one not yet accepted (obj: the
    # tip): the credit office's operator (it keeps the routing table).
    TIP_ROUTE = "tip_route", _("分派失信行为举报")
    # Accept or decline a tip, decide it, record its reward and payment, take over a case
    # (obj: the tip): staff and business systems of the department it is routed to — not
    # the operator (the competent department decides), not the auditor.
    TIP_HANDLE = "tip_handle", _("办理失信行为举报")
    # Transfer a tip, before its decision, to the competent department (obj: the tip):
    # staff and business systems of the department it is routed to (sending it on), or the
    # credit office's operator (reassigning it). Not the auditor, not another department.
    TIP_TRANSFER = "tip_transfer", _("转办失信行为举报")
    # Read a verified tipster's name and contact (obj: the tip): the handling officer only
    # (the department's user who holds the case) — nobody else, not the operator, not the
    # auditor, not a business system. Each read is audited with its purpose.
    TIP_IDENTITY_READ = "tip_identity_read", _("查看举报人身份")
    # -- industry associations and chambers of commerce (xinyong/associations) -------------
    # Authorise an association to keep member credit records (obj: None), or end an
    # authorisation (obj: it): a government department's staff — ending only the granting
    # department's — or the credit office for any. Not the auditor, never an association.
    ASSOCIATION_AUTHORISE = "association_authorise", _("授权行业协会商会")
    # Keep the member list, run commitment campaigns, propose, notify and decide industry
    # sanctions (obj: anything with ``association_id``, or None): the association's own
    # people and systems, and only while an authorisation of it is in force.
    ASSOCIATION_ACT = "association_act", _("办理行业协会商会事务")
    # Sign an association's campaign for a member (obj: the subject): its bound account.
    ASSOCIATION_SIGN = "association_sign", _("签署行业自律承诺")
    # Answer a sanction notice (陈述申辩, obj: the sanction): the member's bound account.
    ASSOCIATION_STATEMENT = "association_statement", _("对行业惩戒陈述申辩")
    # Read a subject's association memberships and the industry sanctions decided about it
    # on the back-office subject page (obj: the subject): every staff user (the auditor
    # too); which sanctions each reads is the records' scope (a warning's record is shared
    # data). Not an association (its members are on its own pages), not the public.
    ASSOCIATION_SUBJECT_VIEW = "association_subject_view", _("查看主体的行业协会会籍和惩戒")
    # -- credit service agencies (信用服务机构, xinyong.agencies) --------------------------
    # File an agency (first or change), list its practitioners, issue and stop its API
    # tokens, register its reports, state its case on a removal notice and read the case's
    # documents (obj: the agency's subject): a portal account bound to that organisation —
    # the agency's staff act through it, nobody else.
    AGENCY_ACT = "agency_act", _("办理信用服务机构备案事项")
    # Open the agencies' pages of the back office (filings, agencies, misconduct; obj None):
    # every staff user (the auditor reads); deciding is AGENCY_REVIEW's.
    AGENCY_VIEW = "agency_view", _("查看信用服务机构")
    # Review a filing (approve, return for correction, refuse); notify a removal from the
    # directory, decide it or drop the case: the credit office (platform operator) only.
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
