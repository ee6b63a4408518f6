"""Back-office pages of joint incentives and sanctions: a credit check at the counter (one
code, or a file of codes), the feedback on its measures. Thin: services write, selectors
read."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.backoffice.access import act, staff_actor, take_step
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from xinyong.core.exports import csv_lines
from xinyong.core.params import id_param, offset_param
from xinyong.ingest.parsers import Unreadable, detect_encoding
from xinyong.sanctions import selectors, services
from xinyong.sanctions.choices import CheckStatus, TaskStatus
from xinyong.sanctions.forms import TaskResponseForm

BATCH_MAX_CODES = 2000
BATCH_MAX_BYTES = 1 << 20


def _base(request: HttpRequest) -> dict:
    return {"matters": selectors.matter_choices(), "form": request.POST or request.GET}


@login_required
def check_page(request: HttpRequest):
    """One check, as a counter clerk makes it while handling a matter."""
    actor = staff_actor(request)
    ctx = _base(request)
    if request.method == "POST":
        try:
            ctx["result"] = selectors.check_result_named(services.credit_check(
                actor=actor, matter=request.POST.get("matter", ""),
                uscc=request.POST.get("subject", "").strip(),
            ))  # fmt: skip
        except ValidationFailed as e:
            ctx["errors"] = e.errors
            return render(request, "sanctions/check.html", ctx, status=422)
        except PermissionDenied as e:
            ctx["errors"] = [FieldError("department", "permission", str(e))]
            return render(request, "sanctions/check.html", ctx, status=403)
    return render(request, "sanctions/check.html", ctx)


@login_required
def check_log(request: HttpRequest):
    """核查记录: past checks (the department's own; all for the operator and the auditor)."""
    actor = staff_actor(request)
    offset, query = offset_param(request.GET), request.GET.get("q", "").strip()[:64]
    checks = selectors.check_log(actor=actor, query=query, offset=offset, limit=51)
    ctx = {"checks": checks[:50], "q": query, "offset": offset,
           "next_offset": offset + 50 if len(checks) > 50 else None}  # fmt: skip
    return render(request, "sanctions/check_log.html", ctx)


@login_required
def check_feedback(request: HttpRequest, pk: int):
    """Feedback on the measures of a check made from the check page."""
    actor = staff_actor(request)
    if request.method != "POST":
        return redirect("backoffice:checks")
    items = []
    for code in request.POST.getlist("measure"):
        applied = request.POST.get(f"applied_{code}")
        if applied in ("1", "0"):
            items.append({"measure": code, "applied": applied == "1",
                          "reason": request.POST.get(f"reason_{code}", "")})  # fmt: skip
    try:
        services.check_feedback_submit(actor=actor, check_id=pk, items=items)
    except ValidationFailed as e:
        for err in e.errors:
            messages.error(request, err.message)
    except NotFound:
        messages.error(request, _("没有该核查记录"))
    else:
        messages.success(request, _("已反馈 %(n)d 项措施的实施情况") % {"n": len(items)})
    return redirect("backoffice:checks")


@login_required
def batch_check(request: HttpRequest):
    """Many codes at once: a CSV (UTF-8 or GBK) whose first column holds the codes; the
    answers come back as a CSV, one line per code, malformed codes with their reason."""
    actor = staff_actor(request)
    ctx = _base(request)
    if request.method != "POST":
        return render(request, "sanctions/batch_check.html", ctx)
    try:
        codes = _codes(request)
        matter = request.POST.get("matter", "")
        if matter not in dict(ctx["matters"]):
            raise ValidationFailed([FieldError("matter", "matter.unknown", _("请选择办理事项"))])
    except ValidationFailed as e:
        ctx["errors"] = e.errors
        return render(request, "sanctions/batch_check.html", ctx, status=422)
    rows = [_answer(actor, matter, code) for code in codes]
    header = ["统一社会信用代码", "名称", "结果", "命中名单", "惩戒措施", "激励措施", "措施中止",
              "核查编号", "说明"]  # fmt: skip
    response = StreamingHttpResponse(csv_lines([header, *rows]), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="credit-checks.csv"'
    return response


def _codes(request: HttpRequest) -> list[str]:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationFailed(
            [FieldError("file", "required", _("请选择包含统一社会信用代码的 CSV 文件"))]
        )
    if upload.size > BATCH_MAX_BYTES:
        raise ValidationFailed([FieldError("file", "file.max_size", _("文件不得超过 1 MB"))])
    raw = upload.read()
    try:
        text = raw.decode(detect_encoding(raw))
    except Unreadable as e:
        raise ValidationFailed(e.errors) from None
    codes = [row[0].strip() for row in csv.reader(io.StringIO(text)) if row and row[0].strip()]
    if codes and not codes[0][:1].isalnum():
        codes = codes[1:]
    if codes and codes[0] in ("统一社会信用代码", "uscc", "USCC"):
        codes = codes[1:]  # a header line
    if not codes:
        raise ValidationFailed([FieldError("file", "file.no_rows", _("文件中没有代码"))])
    if len(codes) > BATCH_MAX_CODES:
        raise ValidationFailed(
            [
                FieldError(
                    "file", "file.max_rows", _("一次最多核查 %(n)s 个代码") % {"n": BATCH_MAX_CODES}
                )
            ]
        )
    return codes


def _answer(actor, matter: str, code: str) -> list:
    try:
        r = services.credit_check(actor=actor, matter=matter, uscc=code)
    except ValidationFailed as e:
        return [code, "", "代码有误", "", "", "", "", "", e.errors[0].message]
    subject = r["subject"] or {}
    return [
        code, subject.get("name", ""), str(CheckStatus(r["status"]).label),
        "、".join(h["list_name"] for h in r["hits"]),
        "、".join(m["name"] for m in r["measures"]),
        "、".join(m["name"] for m in r["incentives"]),
        "、".join(m["name"] for m in r["measures"] + r["incentives"] if m["suspended"]),
        r["check_id"], r["message"],
    ]  # fmt: skip


# -- joint action, rectification, interviews (from the case page) ----------------------
@login_required
@require_POST
def entry_follow_up(request: HttpRequest, pk: int):
    """What the designating department does after publication: initiate the joint action,
    order rectification, schedule an interview (and record their outcome) — back to the
    case with the result."""
    actor = staff_actor(request)
    p = request.POST

    steps = {
        "joint_action": (
            lambda: services.joint_action_initiate(
                actor=actor, entry_id=pk, note=p.get("note", "")
            ),
            _("已发起联合奖惩，任务已推送至实施部门"),
        ),
        "rectification": (
            lambda: services.rectification_order_issue(
                actor=actor,
                entry_id=pk,
                content=p.get("content", ""),
                legal_basis=p.get("legal_basis", ""),
                workdays_given=id_param(p, "workdays"),
            ),
            _("已责令限期整改"),
        ),
        "interview": (
            lambda: services.interview_schedule(
                actor=actor,
                entry_id=pk,
                kind=p.get("interview_kind", ""),
                scheduled_at=_datetime(p.get("scheduled_at", "")),
                participants=p.get("participants", ""),
            ),
            _("已安排约谈"),
        ),
        "rectification_done": (
            lambda: services.rectification_order_complete(
                actor=actor, order_id=id_param(p, "order"), result=p.get("result", "")
            ),
            _("整改已办结"),
        ),
        "interview_done": (
            lambda: services.interview_record(
                actor=actor, interview_id=id_param(p, "interview"), minutes=p.get("minutes", "")
            ),
            _("约谈记录已保存"),
        ),
    }
    step = steps.get(p.get("kind", ""))
    if step is None:
        messages.error(request, _("未知的操作"))
    else:
        act(request, *step)
    return redirect("backoffice:list_case", pk=pk)


def _datetime(value: str):
    try:
        parsed = parse_datetime(value or "")
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationFailed(
            [
                FieldError(
                    "scheduled_at", "datetime.format", _("约谈时间无效，格式应为 YYYY-MM-DD HH:MM")
                )
            ]
        )
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@login_required
def task_queue(request: HttpRequest):
    """响应: the measures other departments asked this department to apply."""
    actor = staff_actor(request)
    form = TaskResponseForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        respond = lambda d: services.action_task_respond(  # noqa: E731
            actor=actor, task_id=d["task"], applied=d["applied"] == "1", reason=d["reason"]
        )
        if take_step(request, form, respond, _("已反馈")):
            return redirect("backoffice:tasks")
    status = request.GET.get("status", "pending")
    if status not in TaskStatus.values:
        status = "pending"
    tasks = selectors.task_queue(actor=actor, status=status)
    ctx = {"tasks": tasks, "status": status, "statuses": TaskStatus.choices, "form": form,
           "form_elsewhere": form.errors_elsewhere(t.pk for t in tasks)}  # fmt: skip
    return render(request, "sanctions/tasks.html", ctx, status=400 if form.is_bound else 200)


@login_required
def effectiveness(request: HttpRequest):
    """跟踪问效: how often measures are applied, per measure and per department."""
    by_measure, by_department = selectors.effectiveness(actor=staff_actor(request))
    ctx = {"by_measure": by_measure, "by_department": by_department}
    return render(request, "sanctions/effectiveness.html", ctx)
