"""A company's reports on the portal (its bound account): the public report, its own full
report (自查版) and the special report (专项信用报告) with the domains and period chosen, and
every report issued about it with who verified it and when. A person's own and special
reports go to its bound account only (the access rules)."""

from dateutil.relativedelta import relativedelta
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts.actors import Actor
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.core.inputs import form_date
from xinyong.remedies.selectors import bound_subject
from xinyong.reports import selectors, services, special, throttle
from xinyong.reports.choices import ReportKind
from xinyong.reports.views.portal import result_url, throttled
from xinyong.subjects.choices import SubjectKind

PORTAL_LOGIN = "portal:account_login"
ACCOUNT_KINDS = (ReportKind.PUBLIC, ReportKind.OWN, ReportKind.SPECIAL)


def account_section(actor: Actor, subject, *, form=None, errors=None) -> dict:
    """What the 信用报告 section of a bound subject's page shows (and its forms)."""
    today = timezone.localdate()
    years = services.policy().special_max_years
    errors = errors or []
    chosen = set(form.getlist("domains")) if form is not None else set()
    return {
        "subject": subject,
        "offers_public": subject.kind != SubjectKind.PERSON,
        "domains": [
            {
                "code": d.code,
                "name": d.name,
                "replaces": d.replaces,
                "checked": d.code in chosen,
                "departments": "、".join(dep.name for dep in deps),
            }
            for d, deps in special.available_domains()
        ],
        "period_from": (form.get("period_from") if form is not None else None)
        or (today - relativedelta(years=years)).isoformat(),
        "period_to": (form.get("period_to") if form is not None else None) or today.isoformat(),
        "purpose": form.get("purpose", "") if form is not None else "",
        "max_years": years,
        "errors": errors,
        "field_errors": {e.field: e.message for e in errors},
        "rows": selectors.subject_reports(actor=actor, subject=subject),
    }


@login_required(login_url=PORTAL_LOGIN)
def account_reports(request: HttpRequest, pk: int):
    """GET: the section on a page of its own; POST: issue the report asked for and show it
    (its page has the files), or the form again with each error next to its field."""
    actor = Actor.for_user(request.user)
    subject = bound_subject(actor=actor, subject_id=pk)
    if request.method != "POST":
        return render(request, "reports/account.html", {"r": account_section(actor, subject)})
    p = request.POST
    kind = p.get("kind", "")
    try:
        if kind not in ACCOUNT_KINDS:
            raise ValidationFailed([FieldError("kind", "unknown_kind", _("请选择要获取的报告"))])
        special_kw = {}
        if kind == ReportKind.SPECIAL:
            errors = []
            dates = {}
            for name in ("period_from", "period_to"):
                try:
                    dates[name] = form_date(p.get(name), name)
                except ValidationFailed as e:
                    errors += e.errors
            if errors:
                raise ValidationFailed(errors)
            special_kw = {"domains": p.getlist("domains"), **dates}
        wait = throttle.issue_wait(request, anonymous=False)
        if wait:
            return throttled(request, wait)
        issued = services.report_issue(
            actor=actor, kind=kind, subject=subject, purpose=p.get("purpose", ""), **special_kw
        )
    except ValidationFailed as e:
        ctx = {"r": account_section(actor, subject, form=p, errors=e.errors)}
        return render(request, "reports/account.html", ctx, status=400)
    return redirect(result_url(issued.report.number, issued.code))
