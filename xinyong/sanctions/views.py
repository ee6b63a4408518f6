"""Back-office pages of joint incentives and sanctions: a credit check at the counter (one
code, or a file of codes), the feedback on its measures. Thin: services write, selectors
read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xinyong.backoffice.access import staff_actor, take_step
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.core.exports import csv_lines
from xinyong.core.params import offset_param
from xinyong.lists.selectors import entry_get
from xinyong.lists.views import case_page
from xinyong.sanctions import selectors, services
from xinyong.sanctions.choices import CheckStatus, TaskStatus
from xinyong.sanctions.follow_up_forms import sent_follow_up
from xinyong.sanctions.forms import (
    BatchCheckForm,
    CheckFeedbackForm,
    CreditCheckForm,
    TaskResponseForm,
)


@login_required
def check_page(request: HttpRequest):
    """One check, as a counter clerk makes it while handling a matter."""
    actor = staff_actor(request)
    matters = selectors.matter_choices()
    if request.method == "POST":
        form = CreditCheckForm(request.POST, matters=matters)
    else:  # a link may name the subject and the matter
        form = CreditCheckForm(initial=request.GET.dict(), matters=matters)
    ctx, status = {"form": form}, 200
    if form.is_bound and form.is_valid():
        try:
            result = selectors.check_result_named(services.credit_check(
                actor=actor, matter=form.cleaned_data["matter"],
                uscc=form.cleaned_data["subject"].strip(),
            ))  # fmt: skip
        except ValidationFailed as e:
            form.fail(e)
            status = 422
        except PermissionDenied as e:
            form.add_error(None, str(e))
            status = 403
        else:
            ctx |= _feedback(result, CheckFeedbackForm(codes=_codes_of(result)))
    elif form.is_bound:
        status = 422
    return render(request, "sanctions/check.html", ctx, status=status)


def _codes_of(result: dict) -> list[str]:
    return [m["code"] for m in result["measures"] + result["incentives"]]


def _feedback(result: dict, form: CheckFeedbackForm) -> dict:
    """The check's answer with its feedback form, each measure beside its fields."""
    return {"result": result, "feedback": form,
            "feedback_rows": form.rows(result["measures"] + result["incentives"])}  # fmt: skip


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
    """Feedback on the measures of a check made from the check page: taken, back to the
    check page; refused, the check's measures again with each error beside its field."""
    actor = staff_actor(request)
    if request.method != "POST":
        return redirect("backoffice:checks")
    result = selectors.check_answered(actor=actor, check_id=pk)
    form = CheckFeedbackForm(request.POST, codes=_codes_of(result) if result else ())
    if form.is_valid():
        items = form.items()
        try:
            services.check_feedback_submit(actor=actor, check_id=pk, items=items)
        except ValidationFailed as e:
            form.fail(e)
        except NotFound:
            messages.error(request, _("没有该核查记录"))
            return redirect("backoffice:checks")
        else:
            messages.success(request, _("已反馈 %(n)d 项措施的实施情况") % {"n": len(items)})
            return redirect("backoffice:checks")
    ctx = {"form": CreditCheckForm(matters=selectors.matter_choices()), **_feedback(result, form)}
    return render(request, "sanctions/check.html", ctx, status=400)


@login_required
def batch_check(request: HttpRequest):
    """Many codes at once: a CSV (UTF-8 or GBK) whose first column holds the codes; the
    answers come back as a CSV, one line per code, malformed codes with their reason."""
    actor = staff_actor(request)
    matters = selectors.matter_choices()
    if request.method != "POST":
        form = BatchCheckForm(matters=matters)
        return render(request, "sanctions/batch_check.html", {"form": form})
    form = BatchCheckForm(request.POST, request.FILES, matters=matters)
    if not form.is_valid():
        return render(request, "sanctions/batch_check.html", {"form": form}, status=422)
    matter = form.cleaned_data["matter"]
    rows = [_answer(actor, matter, code) for code in form.cleaned_data["file"]]
    header = ["统一社会信用代码", "名称", "结果", "命中名单", "惩戒措施", "激励措施", "措施中止",
              "核查编号", "说明"]  # fmt: skip
    response = StreamingHttpResponse(csv_lines([header, *rows]), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="credit-checks.csv"'
    return response


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
    case with the result; the input refused, the case page again with each error beside
    its field."""
    actor = staff_actor(request)
    form = sent_follow_up(request.POST)
    if form is None:
        messages.error(request, _("未知的操作"))
        return redirect("backoffice:list_case", pk=pk)
    service, done = FOLLOW_UP_SERVICES[form.step]
    entry = {} if form.row_field else {"entry_id": pk}
    if take_step(request, form, lambda _d: service(actor=actor, **entry, **form.args()), done):
        return redirect("backoffice:list_case", pk=pk)
    case = entry_get(actor=actor, entry_id=pk)
    return case_page(request, actor, case, sent=form, status=400)


FOLLOW_UP_SERVICES = {
    "joint_action": (
        services.joint_action_initiate,
        gettext_lazy("已发起联合奖惩，任务已推送至实施部门"),
    ),
    "rectification": (services.rectification_order_issue, gettext_lazy("已责令限期整改")),
    "interview": (services.interview_schedule, gettext_lazy("已安排约谈")),
    "rectification_done": (services.rectification_order_complete, gettext_lazy("整改已办结")),
    "interview_done": (services.interview_record, gettext_lazy("约谈记录已保存")),
}


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
