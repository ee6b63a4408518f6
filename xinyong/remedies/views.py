"""Pages of objections and repair. This part: the portal account (register, sign in, bind
a subject with proof, see one's own file) and the back-office review of bindings. Thin:
services write, selectors read."""

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts.actors import Actor
from xinyong.accounts.services import portal_account_register
from xinyong.backoffice.access import staff_actor, take_step
from xinyong.core.downloads import file_response, stored_file
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.forms import submit
from xinyong.core.params import id_param
from xinyong.lists.selectors import account_documents
from xinyong.records.schemas import file_query
from xinyong.records.selectors import own_file
from xinyong.remedies import selectors, services
from xinyong.remedies.choices import ObjectionDecision
from xinyong.remedies.forms import (
    BindingRequestForm,
    BindingReviewForm,
    ObjectionFileForm,
    ObjectionStepForm,
    RegisterForm,
    RepairApplyForm,
    RepairDecisionForm,
)
from xinyong.remedies.printing import correction_notice_pdf
from xinyong.reports.views.account import account_section

PORTAL_LOGIN = "portal:account_login"


class PortalLoginView(LoginView):
    template_name = "remedies/login.html"

    def get_success_url(self):
        return self.get_redirect_url() or reverse("portal:account")


def register(request: HttpRequest):
    form = RegisterForm(request.POST if request.method == "POST" else None)

    def sign_up(d):
        user = portal_account_register(
            username=d["username"], password=d["password"], display_name=d["display_name"],
            email=d["email"],
        )  # fmt: skip
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")

    return submit(
        request, form, sign_up,
        page=lambda status: render(request, "remedies/register.html", {"form": form},
                                   status=status),
        done=_("账号已创建。绑定信用主体后即可查看本主体的信用档案、提出异议和申请信用修复。"),
        then=reverse("portal:account"),
    )  # fmt: skip


@login_required(login_url=PORTAL_LOGIN)
def account(request: HttpRequest):
    """The account's subjects, and a request to bind another one."""
    actor = Actor.for_user(request.user)
    post = request.method == "POST"
    form = BindingRequestForm(request.POST, request.FILES) if post else BindingRequestForm()
    ctx = {"bindings": selectors.my_bindings(actor=actor), "form": form,
           "notifications": selectors.notifications(actor=actor)}  # fmt: skip
    return submit(
        request, form,
        lambda d: services.binding_request(
            actor=actor, uscc=d["uscc"], id_type=d["id_type"], id_number=d["id_number"],
            applicant=d["applicant"], phone=d["phone"], evidence=d["evidence"],
        ),
        page=lambda status: render(request, "remedies/account.html", ctx, status=status),
        done=_("绑定申请已提交，平台或登记部门审核后生效"),
        then=reverse("portal:account"),
        refused=403,
    )  # fmt: skip


@login_required(login_url=PORTAL_LOGIN)
def subject_file(request: HttpRequest, pk: int):
    """A bound subject's own file: every record (public and shared fields) and its list
    entries from the prior notice on."""
    actor = Actor.for_user(request.user)
    subject = selectors.bound_subject(actor=actor, subject_id=pk)
    category, offset = file_query(request.GET)
    today = timezone.localdate()
    file = own_file(actor=actor, subject=subject, category=category, offset=offset)
    return render(
        request,
        "remedies/own_file.html",
        {
            "subject": subject,
            "file": file,
            "objectable_records": selectors.objectable_records(
                record_ids=[r.id for r in file.records]
            ),
            "entries": selectors.own_entries_file(subject=subject, today=today),
            "objections": selectors.subject_objections(actor=actor, subject=subject, today=today),
            "objection_base": reverse("portal:account_objection_new", args=[subject.pk]),
            "repairs": selectors.subject_repairs(actor=actor, subject=subject),
            "reports": account_section(actor, subject),
            "case_documents": account_documents(actor=actor, subject=subject, today=today),
        },
    )


@login_required
def binding_queue(request: HttpRequest):
    """Back office: bindings waiting for the operator or the registering department."""
    actor = staff_actor(request)
    form = BindingReviewForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        step = lambda d: services.binding_review(  # noqa: E731
            actor=actor, binding_id=d["binding"], approve=d["decision"] == "approve",
            reason=d["reason"],
        )  # fmt: skip
        if take_step(request, form, step, _("已审核")):
            return redirect("backoffice:bindings")
    pending = selectors.pending_bindings(actor=actor)
    elsewhere = form.errors_elsewhere(b.pk for b in pending)
    return render(request, "remedies/bindings.html",
                  {"bindings": pending, "form": form, "form_elsewhere": elsewhere},
                  status=400 if form.is_bound else 200)  # fmt: skip


@login_required
def binding_evidence(request: HttpRequest, pk: int):
    actor = staff_actor(request)
    return _stored_file(lambda: selectors.binding_evidence(actor=actor, binding_id=pk))


@login_required
def objection_evidence(request: HttpRequest, pk: int):
    """Back office: an objection's evidence, for the operator and the deciding department."""
    actor = staff_actor(request)
    return _stored_file(lambda: selectors.objection_evidence(actor=actor, objection_id=pk))


@login_required(login_url=PORTAL_LOGIN)
def objection_new(request: HttpRequest, pk: int):
    """File an objection against one record or one entry of the bound subject's file."""
    actor = Actor.for_user(request.user)
    subject = selectors.bound_subject(actor=actor, subject_id=pk)
    linked = {k: request.GET.get(k) for k in ("record", "entry")}
    if request.method == "POST":
        form = ObjectionFileForm(request.POST, request.FILES)
    else:
        form = ObjectionFileForm(initial=linked)
    # The link's target first (the page was opened for it), else the one the form carried.
    target = {k: linked[k] or form[k].value() for k in linked}
    ctx = {"subject": subject, "target": target, "form": form}
    return submit(
        request, form,
        lambda d: services.objection_file(
            actor=actor, reasons=d["reasons"], record_id=id_param(target, "record", None),
            entry_id=id_param(target, "entry", None), evidence=d["evidence"],
        ),
        page=lambda status: render(request, "remedies/objection_new.html", ctx, status=status),
        done=_("异议已提交，可在本页查看办理进度"),
        then=reverse("portal:account_subject", args=[pk]),
    )  # fmt: skip


@login_required
def objection_queue(request: HttpRequest):
    """Back office: the operator marks and forwards; the providing department decides."""
    actor = staff_actor(request)
    form = ObjectionStepForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        steps = {
            "mark": lambda d: services.objection_mark(actor=actor, objection_id=d["objection"]),
            "forward": lambda d: services.objection_forward(
                actor=actor, objection_id=d["objection"]
            ),
            "decide": lambda d: services.objection_decide(
                actor=actor, objection_id=d["objection"], decision=d["decision"],
                reason=d["reason"],
            ),
        }  # fmt: skip
        step = lambda d: steps[d["step"]](d)  # noqa: E731
        if take_step(request, form, step, _("已办理")):
            return redirect("backoffice:objections")
    rows = selectors.objection_queue(actor=actor, today=timezone.localdate())
    return render(
        request,
        "remedies/objections.html",
        {
            "rows": rows,
            "decisions": ObjectionDecision.choices,
            "form": form,
            "form_elsewhere": form.errors_elsewhere(r.objection.pk for r in rows),
        },
        status=400 if form.is_bound else 200,
    )


@login_required(login_url=PORTAL_LOGIN)
def repair_new(request: HttpRequest, pk: int):
    """Apply for credit repair: the subject's penalties in view and entries in effect,
    each with whether and why it may be repaired; the materials to upload."""
    actor = Actor.for_user(request.user)
    subject = selectors.bound_subject(actor=actor, subject_id=pk)
    records, entries = services.repair_targets(subject, timezone.localdate())
    post = request.method == "POST"
    form = RepairApplyForm(request.POST, request.FILES) if post else RepairApplyForm()
    ctx = {"subject": subject, "records": records, "entries": entries, "form": form}
    return submit(
        request, form,
        lambda d: services.repair_apply(
            actor=actor, subject_id=pk, record_ids=d["record"], entry_ids=d["entry"],
            statement=d["statement"], materials=form.materials(),
            report_number=d["report_number"], report_code=d["report_code"],
        ),
        page=lambda status: render(request, "remedies/repair_new.html", ctx, status=status),
        done=_("信用修复申请已提交，可在本页查看办理进度"),
        then=reverse("portal:account_subject", args=[pk]),
    )  # fmt: skip


@login_required
def repair_queue(request: HttpRequest):
    """Back office: the department's repair applications to decide."""
    actor = staff_actor(request)
    form = RepairDecisionForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        step = lambda d: services.repair_decide(  # noqa: E731
            actor=actor, application_id=d["application"], approve=d["decision"] == "approve",
            reason=d["reason"], reapply=d["reapply"],
        )  # fmt: skip
        if take_step(request, form, step, _("已办结")):
            return redirect("backoffice:repairs")
    apps = selectors.repair_queue(actor=actor)
    elsewhere = form.errors_elsewhere(a.pk for a in apps)
    return render(request, "remedies/repairs.html",
                  {"applications": apps, "form": form, "form_elsewhere": elsewhere},
                  status=400 if form.is_bound else 200)  # fmt: skip


@login_required
def repair_material(request: HttpRequest, pk: int):
    actor = staff_actor(request)
    return _stored_file(lambda: selectors.repair_material(actor=actor, material_id=pk))


def _report_file(data: bytes, name: str) -> HttpResponse:
    """A platform report named as a material: its PDF as issued (the selector read it)."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _stored_file(read) -> FileResponse:
    """Send an uploaded file the selector `read` found (and audited); 404 for anything else."""
    try:
        path, name = read()
    except (NotFound, PermissionDenied):
        raise Http404 from None
    if isinstance(path, bytes):  # a platform report's PDF (see repair_material)
        return _report_file(path, name)
    return stored_file(path, name)


def correction_pdf(request: HttpRequest, pk: int):
    """A correction notice (更正公告) as PDF: public, like the corrections column."""
    try:
        notice = selectors.correction_notice(objection_id=pk)
    except NotFound:
        raise Http404 from None
    name, data = correction_notice_pdf(notice)
    return file_response(data, name, inline=True)
