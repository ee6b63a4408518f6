"""Pages of the credit service agencies. Portal: the public directory and an agency's
entry, report verification, the bound account's agency page (filing, practitioners,
tokens, registered reports, its statement on a removal notice, the notice and decision
as PDFs) and a subject's authorisations (grant, revoke, the reads log, reports agencies
registered about it). Back office: the queue and list, an agency's page (review,
misconduct, removal), a filing's material, a removal case's documents and statement
attachment, verification. Thin: services write, selectors read; whether a step is
allowed is the access layer's (a refused one is not found, or said in its words)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.agencies import forms, selectors, services
from xinyong.agencies.choices import VerifyResult
from xinyong.backoffice.access import refused, staff_actor
from xinyong.core.downloads import file_response, stored_file_response
from xinyong.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from xinyong.remedies.views import PORTAL_LOGIN


def _take(request, form, call, done):
    """A step from a form: the result when taken, None when the input was refused (the
    errors next to their fields); another's object is not found (404)."""
    if not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except Conflict as e:
        form.fail(ValidationFailed([e.error]))
        return None
    except ValidationFailed as e:
        form.fail(e)
        return None
    except (NotFound, PermissionDenied):
        raise Http404 from None
    messages.success(request, done(result) if callable(done) else done)
    return result


# -- portal: public ---------------------------------------------------------------------
def directory(request: HttpRequest):
    q = request.GET.get("q", "")
    return render(request, "agencies/directory.html",
                  {"agencies": selectors.directory(q=q), "q": q[:50]})  # fmt: skip


def entry(request: HttpRequest, pk: int):
    try:
        agency = selectors.directory_entry(agency_id=pk)
    except NotFound:
        raise Http404 from None
    return render(request, "agencies/entry.html", {"agency": agency})


def _verify(request: HttpRequest, template: str):
    post = request.method == "POST"
    form = forms.VerifyForm(request.POST, request.FILES) if post else forms.VerifyForm()
    result, status = None, 200
    if post:
        try:
            if form.is_valid():
                d = form.cleaned_data
                result = services.report_verify(number=d["number"], sha256=d["sha256"],
                                                upload=d["file"])  # fmt: skip
                result["label"] = VerifyResult(result["result"]).label
        except ValidationFailed as e:
            form.fail(e)
        if result is None:
            status = 400
    return render(request, template, {"form": form, "result": result}, status=status)


def verify(request: HttpRequest):
    return _verify(request, "agencies/verify.html")


# -- portal: the bound account ------------------------------------------------------------
def _agency_steps(request, actor, pk):
    P, F = request.POST, request.FILES
    return {
        "file": (lambda: forms.FilingForm(P, F), lambda form, d: services.agency_file(
            actor=actor, subject_id=pk, scope=d["scope"], qualifications=d["qualifications"],
            contact_phone=d["contact_phone"], persons=form.persons(),
            conflicts_rules=d["conflicts_rules"], security_rules=d["security_rules"],
            qualification_files=d["qualification_files"], conflicts_files=d["conflicts_files"],
            security_files=d["security_files"]), _("备案申请已提交，审核结果将通知您")),
        "practitioner": (lambda: forms.PractitionerForm(P),
                         lambda form, d: services.practitioner_add(
            actor=actor, subject_id=pk, name=d["name"], id_type=d["id_type"],
            id_number=d["id_number"], position=d["position"]), _("已登记从业人员")),
        "practitioner_end": (lambda: forms.RowStepForm(P),
                             lambda form, d: services.practitioner_end(
            actor=actor, subject_id=pk, person_id=d["id"]), _("已终止该从业人员")),
        "token": (lambda: forms.TokenForm(P), lambda form, d: services.token_issue(
            actor=actor, subject_id=pk, name=d["name"], scopes=d["scopes"],
            expires_on=d["expires_on"]), _("令牌已签发：请立即复制保存，离开本页后无法再次查看")),
        "token_revoke": (lambda: forms.RowStepForm(P), lambda form, d: services.token_revoke(
            actor=actor, subject_id=pk, token_id=d["id"]), _("令牌已停用")),
        "report": (lambda: forms.ReportForm(P, F), lambda form, d: services.report_register(
            actor=actor, subject_id=pk, number=d["number"],
            subject_kind=d["subject_kind"] or "organization", subject_uscc=d["subject"],
            person_id_type=d["person_id_type"], person_id_number=d["person_id_number"],
            kind=d["kind"], issued_on=d["issued_on"], sha256=d["sha256"], upload=d["file"]),
            _("报告已登记，任何人可凭编号和文件核验")),
        "statement": (lambda: forms.StatementForm(P, F),
                      lambda form, d: services.agency_removal_statement(
            actor=actor, subject_id=pk, removal_id=d["removal"], statement=d["statement"],
            attachment=d["attachment"]), _("陈述申辩已提交，信用主管部门将复核后作出决定")),
    }  # fmt: skip


@login_required(login_url=PORTAL_LOGIN)
def account_agency(request: HttpRequest, pk: int):
    """The agency page of an account bound to an organisation: its filing (or the form to
    file, or to file a change), practitioners, API tokens and registered reports."""
    actor = Actor.for_user(request.user)
    try:
        ctx = selectors.account_agency(actor=actor, subject_id=pk)
    except NotFound:
        raise Http404 from None
    blank = {"file": forms.FilingForm(), "practitioner": forms.PractitionerForm(),
             "token": forms.TokenForm(), "report": forms.ReportForm(),
             "statement": forms.StatementForm()}  # fmt: skip
    status = 200
    if request.method == "POST":
        steps = _agency_steps(request, actor, pk)
        step = request.POST.get("step", "")
        if step not in steps:
            messages.error(request, _("未知的办理事项"))
            return redirect("portal:account_agency", pk)
        make, call, done = steps[step]
        form = make()
        result = _take(request, form, lambda d: call(form, d), done)
        if result is None:
            blank[step] = form
            status = 400
        elif step == "token":
            ctx = selectors.account_agency(actor=actor, subject_id=pk)
            ctx["new_token"] = result[1]
        else:
            return redirect("portal:account_agency", pk)
    return render(request, "agencies/account.html", {**ctx, "forms": blank}, status=status)


@login_required(login_url=PORTAL_LOGIN)
def account_authorisations(request: HttpRequest, pk: int):
    """A subject's authorisations of agencies: give one, revoke one, and every read the
    agencies made under them."""
    actor = Actor.for_user(request.user)
    try:
        ctx = selectors.subject_authorisations(actor=actor, subject_id=pk)
    except NotFound:
        raise Http404 from None
    agencies = selectors.filed_agencies()
    form = forms.AuthoriseForm(agencies=agencies)
    status = 200
    if request.method == "POST":
        if request.POST.get("step") == "revoke":
            step = forms.RowStepForm(request.POST)
            done = _take(request, step, lambda d: services.authorisation_revoke(
                actor=actor, subject_id=pk, authorisation_id=d["id"]),
                _("授权已撤回，该机构不能再获取本主体信息"))  # fmt: skip
            if done is None:
                messages.error(request, " ".join(str(e) for e in step.errors.get("__all__", []))
                               or _("撤回未办理：授权无效或已撤回"))  # fmt: skip
            return redirect("portal:account_authorisations", pk)
        form = forms.AuthoriseForm(request.POST, agencies=agencies)
        if (
            _take(
                request,
                form,
                lambda d: services.authorisation_grant(
                    actor=actor,
                    subject_id=pk,
                    agency_id=d["agency"],
                    purpose=d["purpose"],
                    covers=d["covers"],
                    valid_until=d["valid_until"],
                ),
                _("授权已生效"),
            )
            is not None
        ):
            return redirect("portal:account_authorisations", pk)
        status = 400
    return render(request, "agencies/authorisations.html", {**ctx, "form": form},
                  status=status)  # fmt: skip


# -- back office ---------------------------------------------------------------------------
@login_required
def office_queue(request: HttpRequest):
    actor = staff_actor(request)
    try:
        ctx = selectors.office_queue(actor=actor)
    except PermissionDenied:
        raise Http404 from None
    return render(request, "agencies/office_queue.html", ctx)


def _office_steps(actor, pk):
    """The back office's steps on an agency: (form key, form class, service call, done)."""
    decide = forms.RemovalDecisionForm
    return {
        "review": ("review", forms.ReviewForm, lambda d: services.filing_review(
            actor=actor, filing_id=d["filing"], decision=d["decision"], reason=d["reason"]),
            _("备案审核已办理")),
        "misconduct": ("misconduct", forms.MisconductForm, lambda d: services.misconduct_record(
            actor=actor, agency_id=pk, facts=d["facts"], basis=d["basis"],
            decided_on=d["decided_on"]), _("失信行为已登记并记入机构信用档案")),
        "notify": ("notify", forms.RemovalNoticeForm, lambda d: services.agency_removal_notify(
            actor=actor, agency_id=pk, facts=d["facts"], basis=d["basis"],
            reasons=d["reasons"]), _("已告知拟移出名录，告知书已送达机构")),
        "remove": ("decide", decide, lambda d: services.agency_remove(
            actor=actor, agency_id=pk, reasons=d["reasons"],
            statement_adoption=d["statement_adoption"]), _("已决定移出信用服务机构名录")),
        "drop": ("decide", decide, lambda d: services.agency_removal_drop(
            actor=actor, agency_id=pk, reasons=d["reasons"],
            statement_adoption=d["statement_adoption"]), _("已终止移出名录程序，机构继续列于名录")),
    }  # fmt: skip


@login_required
def office_agency(request: HttpRequest, pk: int):
    """An agency: its filings (the pending one to review), persons (masked), misconduct,
    reports, removal cases; the credit office's review and removal (notice, then the
    decision or dropping the case), a department's misconduct."""
    actor = staff_actor(request)
    blank = {"review": forms.ReviewForm(), "misconduct": forms.MisconductForm(),
             "notify": forms.RemovalNoticeForm(),
             "decide": forms.RemovalDecisionForm()}  # fmt: skip
    status = 200
    if request.method == "POST":
        steps = _office_steps(actor, pk)
        step = request.POST.get("step", "")
        if step not in steps:
            messages.error(request, _("未知的办理事项"))
            return redirect("backoffice:agency", pk)
        key, make, call, done = steps[step]
        form = make(request.POST)
        if form.is_valid():
            try:
                call(form.cleaned_data)
                messages.success(request, done)
                return redirect("backoffice:agency", pk)
            except ValidationFailed as e:
                form.fail(e)
            except (NotFound, PermissionDenied) as e:
                refused(request, e)
                return redirect("backoffice:agency", pk)
        blank[key] = form
        status = 400
    try:
        ctx = selectors.office_agency_detail(actor=actor, agency_id=pk)
    except (NotFound, PermissionDenied):
        raise Http404 from None
    ctx.update(forms=blank, may_review=access.allowed(actor, Action.AGENCY_REVIEW),
               may_misconduct=access.allowed(actor, Action.AGENCY_MISCONDUCT))  # fmt: skip
    return render(request, "agencies/office_agency.html", ctx, status=status)


@login_required(login_url=PORTAL_LOGIN)
def account_removal_document(request: HttpRequest, pk: int, removal: int, which: str):
    """The notice or the decision of the agency's own removal case, as a PDF."""
    try:
        name, pdf = selectors.removal_document(actor=Actor.for_user(request.user),
                                               subject_id=pk, removal_id=removal,
                                               which=which)  # fmt: skip
    except (NotFound, PermissionDenied):
        raise Http404 from None
    return file_response(pdf, name)


@login_required
def office_removal_document(request: HttpRequest, pk: int, which: str):
    try:
        name, pdf = selectors.office_removal_document(actor=staff_actor(request), removal_id=pk,
                                                      which=which)  # fmt: skip
    except (NotFound, PermissionDenied):
        raise Http404 from None
    return file_response(pdf, name)


@login_required
def office_statement_file(request: HttpRequest, pk: int):
    """The attachment of an agency's statement on a removal notice (the read audited)."""
    return stored_file_response(
        lambda: selectors.office_statement_file(actor=staff_actor(request), removal_id=pk)
    )


@login_required
def office_file(request: HttpRequest, pk: int):
    actor = staff_actor(request)
    return stored_file_response(lambda: selectors.filing_file(actor=actor, file_id=pk))


@login_required
def office_verify(request: HttpRequest):
    staff_actor(request)
    return _verify(request, "agencies/office_verify.html")
