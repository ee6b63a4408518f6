"""The back office's commitment pages: the credit office's settings (rules and templates),
recording a paper commitment, the department's review queue and one commitment with the
steps the reader may take. Thin: a form, a service, a selector of :mod:`.office`."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.backoffice.access import operator_actor, staff_actor
from xinyong.backoffice.forms import SubjectSearchForm
from xinyong.commitments import office, services
from xinyong.commitments.choices import CommitmentStatus
from xinyong.commitments.office_forms import (
    DecideForm,
    KeepForm,
    ProposeForm,
    RecordForm,
    RuleForm,
    TemplateForm,
)
from xinyong.core.downloads import stored_file_response
from xinyong.core.errors import NotFound, ValidationFailed
from xinyong.core.forms import submit
from xinyong.core.params import whole_number
from xinyong.subjects.lookup import subject_lookup
from xinyong.subjects.models import Subject

T = "commitments/backoffice/"


# -- settings ------------------------------------------------------------------------------


@login_required
def settings_list(request: HttpRequest):
    """信用承诺设置: every matter, its rule and how many templates it has."""
    operator_actor(request)
    return render(request, T + "settings.html", {"matters": office.settings_matters()})


def _rule_initial(rule) -> dict:
    return {"time_limit_workdays": rule.time_limit_workdays, "high_risk": rule.high_risk,
            "high_risk_basis": rule.high_risk_basis, "block_months": rule.block_months}  # fmt: skip


def _template_initial(t: dict) -> dict:
    keys = ("kind", "name", "check_method", "check_workdays", "exempt_reason",
            "validity_months", "legal_basis", "text", "active")  # fmt: skip
    return {k: t[k] for k in keys}


@login_required
def matter_settings(request: HttpRequest, code: str):
    """One matter: its rule and its templates (each with its versions); a template of a
    new kind. Each form sent alone (``form``: rule, or the template's prefix)."""
    actor = operator_actor(request)
    try:
        data = office.matter_settings(code)
    except NotFound:
        raise Http404 from None
    sent = request.POST.get("form", "") if request.method == "POST" else ""
    post = request.POST if request.method == "POST" else None
    rule_form = RuleForm(post if sent == "rule" else None, initial=_rule_initial(data["rule"]))
    forms = []
    for t in data["templates"]:
        prefix = f"t-{t['kind']}"
        form = TemplateForm(post if sent == prefix else None, prefix=prefix,
                            initial=_template_initial(t))  # fmt: skip
        form.fields["kind"].widget = form.fields["kind"].hidden_widget()
        forms.append((t, form))
    new = TemplateForm(post if sent == "new" else None, prefix="new",
                       initial={"active": True, "validity_months": 12})  # fmt: skip
    here = reverse("backoffice:commitment_matter", args=[code])

    def page(status):
        return render(request, T + "matter.html", {"matter": data, "rule_form": rule_form,
                      "templates": forms, "new": new}, status=status)  # fmt: skip

    if sent == "rule":
        return submit(request, rule_form, lambda d: services.matter_rule_set(
            actor=actor, matter=code, time_limit_workdays=d["time_limit_workdays"] or 0,
            high_risk=d["high_risk"], high_risk_basis=d["high_risk_basis"],
            block_months=d["block_months"] or 0,
        ), page=page, done=_("事项承诺规则已保存"), then=here, refused=403)  # fmt: skip
    chosen = new if sent == "new" else next((f for _t, f in forms if f.prefix == sent), None)
    if chosen is None:
        return page(400 if request.method == "POST" else 200)
    return submit(request, chosen, lambda d: services.template_save(
        actor=actor, matter=code, kind=d["kind"], name=d["name"], text=d["text"],
        check_method=d["check_method"], legal_basis=d["legal_basis"],
        validity_months=d["validity_months"] or 0, check_workdays=d["check_workdays"],
        exempt_reason=d["exempt_reason"], active=d["active"],
    ), page=page, done=lambda t: _("承诺书模板“%(name)s”已保存") % {"name": t.name},
        then=here, refused=403)  # fmt: skip


# -- recording a paper commitment ----------------------------------------------------------


@login_required
def record(request: HttpRequest):
    """录入纸质承诺: find the subject (the back office's lookup), then the form."""
    actor = staff_actor(request)
    if not access.allowed(actor, Action.COMMITMENT_HANDLE):
        raise Forbidden
    today = timezone.localdate()
    terms = office.record_terms(today)
    matters = [(t["code"], t["name"]) for t in terms]
    search = SubjectSearchForm(request.GET if "q" in request.GET else None)
    found, status = None, 200
    if search.is_bound and search.is_valid():
        d = search.cleaned_data
        try:
            found = subject_lookup(actor=actor, by=d["by"], q=d["q"], id_type=d["id_type"])
        except ValidationFailed as e:
            search.fail(e)
    if search.is_bound and search.errors:
        status = 400
    if request.method == "POST":
        form = RecordForm(request.POST, request.FILES, matters=matters)
    else:
        form = RecordForm(initial={"subject": request.GET.get("subject")}, matters=matters)
    subject_id = whole_number(form.data.get("subject") if form.is_bound else
                              request.GET.get("subject"))  # fmt: skip
    subject = Subject.objects.filter(pk=subject_id).first() if subject_id else None

    def page(code):
        return render(request, T + "record.html", {"search_form": search, "found": found,
                      "form": form, "subject": subject, "terms": terms},
                      status=max(code, status))  # fmt: skip

    def call(d):
        return services.commitment_record(
            actor=actor, subject_id=d["subject"], matter=d["matter"], kind=d["kind"],
            reason=d["reason"], signatory=d["signatory"], scan=d["scan"],
            missing=form.missing(), supply_due=d["supply_due"],
            late_consequence=d["late_consequence"],
        )  # fmt: skip

    return submit(request, form, call, page=page, refused=403,
                  done=lambda c: _("纸质承诺已录入，承诺编号 %(number)s") % {"number": c.number},
                  then=lambda c: reverse("backoffice:commitment", args=[c.pk]))  # fmt: skip


# -- the review queue ----------------------------------------------------------------------


@login_required
def queue(request: HttpRequest):
    """信用承诺复核: the department's open commitments, late ones first (every
    department's for the operator and the auditor, one of them if chosen)."""
    actor = staff_actor(request)
    status = request.GET.get("status", "")
    if status not in (*office.QUEUE_STATUSES, "all"):
        status = ""
    department = access.department_filter(actor, whole_number(request.GET.get("department")))
    rows = office.queue(actor=actor, today=timezone.localdate(), status=status,
                        department=department)  # fmt: skip
    statuses = [
        ("", _("全部待办")),
        *((s, CommitmentStatus(s).label) for s in office.QUEUE_STATUSES),
        ("all", _("全部承诺")),
    ]
    return render(request, T + "queue.html", {
        "rows": rows, "status": status, "statuses": statuses, "department": department,
        "departments": office.filter_departments(actor),
        "may_record": access.allowed(actor, Action.COMMITMENT_HANDLE),
        "may_settings": access.allowed(actor, Action.ADMINISTER),
    })  # fmt: skip


# -- one commitment ------------------------------------------------------------------------

STEPS = {"keep": KeepForm, "propose": ProposeForm, "decide": DecideForm}


@login_required
def detail(request: HttpRequest, pk: int):
    """One commitment: everything about it, and the forms of the steps the reader may take
    now (``step``: keep, propose, decide)."""
    actor = staff_actor(request)
    today = timezone.localdate()
    try:
        data = office.commitment_detail(actor=actor, commitment_id=pk, today=today)
    except NotFound:
        raise Http404 from None
    step = request.POST.get("step", "") if request.method == "POST" else ""
    forms = {
        name: cls(request.POST, request.FILES) if step == name else cls()
        for name, cls in STEPS.items()
    }
    here = reverse("backoffice:commitment", args=[pk])

    def page(status):
        return render(request, T + "detail.html", {**data, "forms": forms, "step": step},
                      status=status)  # fmt: skip

    if request.method == "POST" and step not in STEPS:
        return page(400)
    calls = {
        "keep": lambda d: services.commitment_keep(actor=actor, commitment_id=pk, note=d["note"]),
        "propose": lambda d: services.commitment_breach_propose(
            actor=actor, commitment_id=pk, breach_kind=d["breach_kind"], reasons=d["reasons"],
            evidence=d["evidence"]),
        "decide": lambda d: services.commitment_decide(
            actor=actor, commitment_id=pk, breach=d["decision"] == "breach", reason=d["reason"]),
    }  # fmt: skip
    done = {"keep": _("已确认履约"), "propose": _("已告知拟认定违诺，等待主体陈述申辩"),
            "decide": _("违诺认定已作出")}  # fmt: skip
    form = forms.get(step, forms["keep"])
    return submit(request, form, calls.get(step, calls["keep"]), page=page, done=done.get(step),
                  then=here, refused=403)  # fmt: skip


@login_required
def commitment_file(request: HttpRequest, pk: int, which: str):
    """The paper commitment's scan or a breach's evidence (the read audited)."""
    actor = staff_actor(request)
    return stored_file_response(
        lambda: office.commitment_file(actor=actor, commitment_id=pk, which=which)
    )
