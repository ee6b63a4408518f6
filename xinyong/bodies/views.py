"""Back-office pages of public bodies (issue #18, item 6): the queue of notices to
acknowledge and outstanding (待签收通报), one notice with its acknowledgement, the staff
misconduct notices, and the public bodies' credit files. Thin: services write,
selectors read, the access layer decides who."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.backoffice.access import act, staff_actor, take_step
from xinyong.bodies import misconduct, selectors, services
from xinyong.bodies.forms import MisconductForm, PaperReceiptForm, ProfileForm
from xinyong.catalog.rowschema import printable
from xinyong.core.errors import NotFound
from xinyong.core.forms import submit


@login_required
def receipts(request: HttpRequest):
    """待签收通报: what the reader's department must acknowledge, what it sent that is
    outstanding (late ones marked), and the latest acknowledged."""
    actor = staff_actor(request)
    return render(request, "bodies/receipts.html", selectors.receipts_queue(actor=actor))


@login_required
def receipt(request: HttpRequest, pk: int):
    """One notice: its text, its addressee and deadline, and — as the reader may — the
    online acknowledgement or the paper acknowledgement's form."""
    actor = staff_actor(request)
    try:
        # a page shown is a read (audited); a step posted is audited as the step
        r = selectors.receipt_get(actor=actor, receipt_id=pk, audit=request.method == "GET")
    except NotFound:
        raise Http404 from None
    form = PaperReceiptForm(request.POST if request.POST.get("step") == "paper" else None)
    if request.method == "POST":
        if request.POST.get("step") == "acknowledge":
            act(request, lambda: services.receipt_acknowledge(actor=actor, receipt_id=pk),
                _("已签收"))  # fmt: skip
            return redirect("backoffice:notice_receipt", pk=pk)
        if take_step(request, form, lambda d: services.receipt_record_paper(
                actor=actor, receipt_id=pk, signer=d["signer"], proof=d["proof"],
                received_on=d["received_on"]), _("已登记纸质签收")):  # fmt: skip
            return redirect("backoffice:notice_receipt", pk=pk)
    ctx = {"r": r, "text": selectors.receipt_text(r), "form": form}
    return render(request, "bodies/receipt.html", ctx, status=400 if form.is_bound else 200)


@login_required
def misconduct_page(request: HttpRequest):
    """Staff misconduct notices: the department's own, and the form to record one."""
    actor = staff_actor(request)
    departments = selectors.discipline_departments()
    form = MisconductForm(request.POST or None, departments=departments)
    ctx = {"form": form, "rows": selectors.misconduct_list(actor=actor)}
    return submit(
        request, form,
        lambda d: misconduct.misconduct_record(actor=actor, **d),
        page=lambda status: render(request, "bodies/misconduct.html", ctx, status=status),
        done=lambda m: _("已通报（%(n)s），已送达所在单位和纪检监察机关") % {"n": m.number},
        then=reverse("backoffice:staff_misconduct"), refused=403,
    )  # fmt: skip


@login_required
def bodies(request: HttpRequest):
    """Public institutions and state-owned enterprises, with their entries and notices."""
    actor = staff_actor(request)
    q = printable(request.GET.get("q", "").strip()[:64]).replace("\ufffd", "")
    return render(request, "bodies/bodies.html",
                  {"q": q, "bodies": selectors.public_bodies(actor=actor, q=q)})  # fmt: skip


@login_required
def body(request: HttpRequest, pk: int):
    """A public body's credit file: entries, notices with acknowledgements, staff
    misconduct notices, and who its notices go to (editable by its registrar)."""
    actor = staff_actor(request)
    form = ProfileForm(request.POST or None, departments=selectors.discipline_departments())
    if form.is_bound and take_step(request, form, lambda d: services.public_body_profile_save(
            actor=actor, subject_id=pk, **d), _("已保存通报对象")):  # fmt: skip
        return redirect("backoffice:public_body", pk=pk)
    try:
        ctx = selectors.public_body_file(actor=actor, subject_id=pk)
    except NotFound:
        raise Http404 from None
    if not form.is_bound and ctx["profile"]:
        p = ctx["profile"]
        form = ProfileForm(initial={
            "superior_code": p.superior_department.code if p.superior_department else "",
            "superior_name": p.superior_name,
            "audit_code": p.audit_department.code if p.audit_department else "",
            "audit_name": p.audit_name,
        }, departments=selectors.discipline_departments())  # fmt: skip
    ctx["form"] = form
    return render(request, "bodies/body.html", ctx, status=400 if form.is_bound else 200)
