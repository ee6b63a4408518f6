"""The evaluation on the portal: the company's own full explanation with what would
improve it, in its account area (the bound account only: another subject's is not found).
The public tab of the subject page shows only ``selectors.evaluation_public``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import render

from xinyong.accounts.actors import Actor
from xinyong.evaluation import office
from xinyong.remedies.selectors import bound_subject
from xinyong.remedies.views import PORTAL_LOGIN


@login_required(login_url=PORTAL_LOGIN)
def account_evaluation(request: HttpRequest, pk: int):
    """信用评价 of the bound subject: grade, score, every indicator with its reason and the
    records behind it, and the hints (the reading audited, as any non-public read)."""
    actor = Actor.for_user(request.user)
    subject = bound_subject(actor=actor, subject_id=pk)
    evaluation = office.subject_evaluation(actor, subject, office=False)
    return render(request, "evaluation/portal/account.html",
                  {"subject": subject, "evaluation": evaluation})  # fmt: skip
