"""The names people know the fields of a form by, for the field paths the services name in
their errors (``FieldError.field``: ``evidence``, ``items[2].measure``, ``materials.court``).
A page shows an error as the field's label and the message — never the path or the rule
id, which are for the API and the logs. One table for every page, so that a field keeps
its name wherever its error is shown; a path nobody labelled shows the message alone
(its message names what is wrong: "第3列“处罚日期”…")."""

import re

from django.utils.translation import gettext_lazy as _

from xinyong.core.errors import FieldError

LABELS = {
    # subjects and identifiers
    "subject": _("信用主体"),
    "uscc": _("统一社会信用代码"),
    "codes": _("统一社会信用代码"),
    "authority_usccs": _("统一社会信用代码"),
    "organization": _("信用主体"),
    "id_type": _("证件类型"),
    "id_number": _("证件号码"),
    "name": _("名称"),
    "new_name": _("新名称"),
    "established_on": _("成立日期"),
    "q": _("查询内容"),
    "date_from": _("决定日期起"),
    "date_to": _("决定日期止"),
    "page": _("页码"),
    "page_size": _("每页条数"),
    # accounts
    "username": _("用户名"),
    "password": _("密码"),
    "display_name": _("姓名"),
    "email": _("电子邮箱"),
    "phone": _("联系电话"),
    "applicant": _("经办人姓名"),
    "role": _("角色"),
    "department": _("部门"),
    "provider": _("报送部门"),
    "valid_to": _("有效期至"),
    "scopes": _("接口权限"),
    # materials and uploads
    "evidence": _("证明材料"),
    "materials": _("申请材料"),
    "file": _("文件"),
    "item": _("目录项"),
    "batch": _("报送批次"),
    "record": _("信用记录"),
    # objections and repair
    "reasons": _("异议理由"),
    "reason": _("原因"),
    "target": _("异议对象"),
    "targets": _("修复对象"),
    "entries": _("名单记录"),
    "statement": _("申请说明"),
    "report_number": _("信用报告编号"),
    "reapply": _("重新申请"),
    "decision": _("处理结果"),
    "binding": _("主体绑定"),
    # lists
    "list": _("名单"),
    "grounds": _("认定事由"),
    "basis": _("依据"),
    "basis_kind": _("认定依据类型"),
    "basis_records": _("依据记录"),
    "legal_basis": _("法律依据"),
    "national_category": _("严重失信类别"),
    "notice_no": _("事先告知书文号"),
    "decision_no": _("认定决定书文号"),
    "decided_on": _("认定日期"),
    "act_date": _("失信行为日期"),
    "statement_due": _("陈述申辩期限"),
    "term_months": _("期限（月）"),
    "permanent": _("长期有效"),
    "note": _("说明"),
    "period": _("期次"),
    "month": _("月份"),
    "statement_text": _("陈述申辩意见"),
    "files": _("附件"),
    "statement_adoption": _("陈述申辩采纳情况"),
    "statement_reply": _("采纳或不予采纳的理由"),
    # checks and joint actions
    "matter": _("办理事项"),
    "items": _("核查反馈"),
    "measure": _("措施"),
    "content": _("整改要求"),
    "workdays": _("整改期限"),
    "participants": _("约谈对象"),
    "scheduled_at": _("约谈时间"),
    "minutes": _("约谈记录"),
    "interview": _("约谈"),
    "task": _("任务"),
    "result": _("实施结果"),
    "order": _("整改通知"),
    "entry": _("名单记录"),
    # reports
    "kind": _("类型"),
    "purpose": _("用途"),
    "domains": _("查询领域"),
    "period_from": _("查询期起"),
    "period_to": _("查询期止"),
    "number": _("报告编号"),
    "code": _("代码"),
    "pdf": _("报告文件"),
    "sha256": _("报告文件"),
    # publicity rules and the calendar
    "min_months": _("最短公示期（月）"),
    "max_months": _("最长公示期（月）"),
    "kinds": _("处罚种类"),
    "day": _("日期"),
    "year": _("年度"),
    "definition": _("目录项定义"),
    "definition.code": _("目录项编码"),
    # practitioners
    "profession": _("职业"),
}

_INDEX = re.compile(r"\[\d+\]")


def field_label(field: str, labels: dict | None = None) -> str:
    """The label of an error's field path, or "" when it has none: the whole path first
    (``definition.code``), then the last named part (``items[2].measure`` → 措施), then the
    first (``materials.court`` → 申请材料). ``labels``: a page's own names, tried first."""
    table = {**LABELS, **labels} if labels else LABELS
    path = _INDEX.sub("", field or "")
    if path in table:
        return str(table[path])
    parts = [p for p in path.split(".") if p and not p.isdigit()]
    for part in (parts[-1:] + parts[:1]) if parts else ():
        if part in table:
            return str(table[part])
    return ""


def error_lines(errors: list[FieldError], labels: dict | None = None) -> list[dict]:
    """Errors as a page shows them: ``{"label", "message"}`` each."""
    return [{"label": field_label(e.field, labels), "message": e.message} for e in errors]
