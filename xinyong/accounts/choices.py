from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # 信用办: runs the platform, sees every department's data, edits reference data.
    PLATFORM_OPERATOR = "platform_operator", _("平台运营（信用办）")
    # Department clerk: submits and maintains the department's own data.
    DEPARTMENT_OPERATOR = "department_operator", _("部门经办人")
    # Department reviewer: approves the department's decisions (designations, repairs…).
    DEPARTMENT_REVIEWER = "department_reviewer", _("部门审核人")
    # Auditor: reads the audit trail and verifies its chain; changes no credit data.
    AUDITOR = "auditor", _("审计员")
    # Portal user acting for a subject (objections, repair); bound in a later issue.
    PUBLIC = "public", _("公众用户")
    # Clerk of an industry association authorised to keep member credit records: submits
    # records about its members in its authorised items and runs its own self-discipline
    # procedures — none of a government department's powers (xinyong/associations).
    ASSOCIATION_CLERK = "association_clerk", _("行业协会商会经办人")


class DepartmentKind(models.TextChoices):
    # The credit office that operates the platform.
    CREDIT_OFFICE = "credit_office", _("信用主管部门")
    # An administrative department that supplies and uses credit information.
    ADMINISTRATIVE = "administrative", _("行政管理部门")
    # Courts and other judicial bodies.
    JUDICIAL = "judicial", _("司法机关")
    # Public utilities and other bodies that supply information by agreement.
    PUBLIC_SERVICE = "public_service", _("公共服务单位")
    # An industry association or chamber of commerce authorised by a department to keep
    # its members' credit records: a provider of records only (xinyong/associations).
    ASSOCIATION = "association", _("行业协会商会")


class ApiScope(models.TextChoices):
    # Look up subjects and their public information.
    SUBJECTS_READ = "subjects:read", _("查询主体")
    # Register or update subjects.
    SUBJECTS_WRITE = "subjects:write", _("登记主体")
    # Read non-public data of persons (identifiers in clear); every read is audited.
    PERSONS_READ = "persons:read", _("查询自然人身份信息")
    # Push credit records (ingestion).
    RECORDS_WRITE = "records:write", _("报送信用信息")
    # Call the credit check (逢办必查).
    CHECKS = "checks", _("信用核查")
    # Read the feed of published licences and penalties (upper-level platforms).
    PUBLICITY_READ = "publicity:read", _("读取双公示数据")
    # Read the audit trail's signed checkpoints (an upper platform or an outside auditor
    # keeping copies, so that a truncated or re-chained trail is caught). No event content.
    AUDIT_READ = "audit:read", _("读取审计检查点")
    # Obtain credit reports (public, special, review) for the department's stated purposes;
    # every report issued is audited.
    REPORTS = "reports", _("出具信用报告")
    # Read subjects' full evaluations (score, indicators, hints: non-public, every reading
    # audited), the model versions and the runs; request a run (the operator only).
    EVALUATION_READ = "evaluation:read", _("查询公共信用综合评价")
    # Register and manage change subscriptions (webhooks) of the department: signed POSTs of
    # the changes about the subjects it watches; each kind also needs the scope of its feed.
    WEBHOOKS = "webhooks", _("变动订阅")
    # Pull the department's early-warning alerts (with their evidence) and acknowledge or
    # close them (失信预警).
    ALERTS = "alerts", _("失信预警")
    # Handle the department's rewarded tips (list without the tipster's identity, accept
    # or decline, decide, record the reward and its payment).
    TIPS = "tips", _("办理失信行为举报")
    # Pull the notices about public bodies addressed to the department (a list decision's
    # notice to the superior body or the audit department, a staff misconduct notice to
    # the unit or the discipline inspection body) and acknowledge them (签收通报).
    NOTICES = "notices", _("签收通报")


class ActorKind(models.TextChoices):
    # A signed-in person: back-office staff (operator, clerk, reviewer, auditor) or a
    # portal account; what it may do follows from its role and department.
    USER = "user", _("用户")
    # A department's business system calling the API with a bearer token; acts as a clerk
    # of its department, within the token's scopes.
    CLIENT = "client", _("接口客户端")
    # The platform itself (daily upkeep, sweeps, commands): acts with the operator's reach.
    SYSTEM = "system", _("系统")
    # Nobody signed in: the public portal's visitor; reads only what is published.
    ANONYMOUS = "anonymous", _("匿名访客")
