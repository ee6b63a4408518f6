"""A company's reports on the portal (its bound account): the public report, its own full
report (自查版) and the special report (专项信用报告) with the domains and period chosen, and
every report issued about it with who verified it and when. A person's own and special
reports go to its bound account only (the access rules)."""

from dateutil.relativedelta import relativedelta
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.core.errors import ValidationFailed
from xinyong.remedies.selectors import bound_subject
from xinyong.reports import selectors, services, special, throttle
from xinyong.reports.forms import AccountReportForm
from xinyong.reports.views.portal import result_url, throttled
from xinyong.subjects.choices import SubjectKind

PORTAL_LOGIN = "portal:account_login"


def account_section(actor: Actor, subject, *, form: AccountReportForm | None = None) -> dict:
    """What the 信用报告 section of a bound subject's page shows (and its forms: ``form``
    the one sent, with its errors)."""
    today = timezone.localdate()
    years = services.policy().special_max_years
    initial = {"period_from": today - relativedelta(years=years), "period_to": today}
    if form is None:
        form = AccountReportForm(initial=initial)
    else:
        form.initial = initial  # a date left empty shows the default it stands for
    chosen = set(form["domains"].value() or ())
    return {
        "subject": subject,
        "form": form,
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
        "max_years": years,
        "rows": selectors.subject_reports(actor=actor, subject=subject),
    }


@login_required(login_url=PORTAL_LOGIN)
def account_reports(request: HttpRequest, pk: int):
    """GET: the section on a page of its own; POST: issue the report asked for and show it
    (its page has the files), or the form again with each error next to its field (400).
    Not through ``core.forms.submit``: a throttled request gets the 429 page, and the
    report issued is shown on its own page, no message."""
    actor = Actor.for_user(request.user)
    subject = bound_subject(actor=actor, subject_id=pk)
    if request.method != "POST":
        return render(request, "reports/account.html", {"r": account_section(actor, subject)})
    form = AccountReportForm(request.POST)
    if form.is_valid():
        wait = throttle.issue_wait(request, anonymous=False)
        if wait:
            return throttled(request, wait)
        d = form.cleaned_data
        try:
            issued = services.report_issue(
                actor=actor, kind=d["kind"], subject=subject, purpose=d["purpose"],
                **form.special(),
            )  # fmt: skip
        except ValidationFailed as e:
            form.fail(e)
        else:
            return redirect(result_url(issued.report.number, issued.code))
    ctx = {"r": account_section(actor, subject, form=form)}
    return render(request, "reports/account.html", ctx, status=400)
