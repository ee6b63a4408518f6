"""The back office's evaluation pages: the overview (grades, the model in use, the runs with
their progress, requesting a run), the model versions (each file readable; a new one loaded
by upload or pasted text, a refused file's line and rule shown beside it) and what the
public sees. Thin: a form, a service, a read of :mod:`.office`. Every staff member reads
them; only the platform operator changes anything (``Action.ADMINISTER``)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.backoffice.access import operator_actor, staff_actor
from xinyong.core.errors import NotFound
from xinyong.core.forms import submit
from xinyong.evaluation import office, selectors, services
from xinyong.evaluation.choices import RunKind
from xinyong.evaluation.office_forms import ModelLoadForm, PublicationForm, RunForm

T = "evaluation/backoffice/"


@login_required
def overview(request: HttpRequest):
    """公共信用综合评价: subjects per grade, the model in use, the last runs."""
    actor = staff_actor(request)
    form = RunForm(initial={"kind": RunKind.INCREMENTAL})
    return _overview(request, actor, form, 200)


def _overview(request, actor, form, status):
    may = access.allowed(actor, Action.ADMINISTER)
    return render(request, T + "overview.html", {**office.overview(), "form": form,
                  "may_administer": may}, status=status)  # fmt: skip


@login_required
def run_new(request: HttpRequest):
    """发起评价 (the overview's form): queued for the worker, one at a time."""
    actor = operator_actor(request)
    if request.method != "POST":
        return _overview(request, actor, RunForm(initial={"kind": RunKind.INCREMENTAL}), 200)
    form = RunForm(request.POST)
    return submit(
        request, form,
        lambda d: services.run_request(actor=actor, kind=d["kind"] or RunKind.INCREMENTAL,
                                       as_of=d["as_of"]),
        page=lambda status: _overview(request, actor, form, status),
        done=lambda run: _("已发起%(kind)s（批次 %(id)s），正在排队")
        % {"kind": run.get_kind_display(), "id": run.pk},
        then=reverse("backoffice:evaluation"), refused=403,
    )  # fmt: skip


@login_required
def models(request: HttpRequest):
    """评价模型: every version (its file readable), and loading a new one (the operator)."""
    actor = staff_actor(request)
    may = access.allowed(actor, Action.ADMINISTER)
    if request.method == "POST" and not may:
        raise Forbidden
    form = ModelLoadForm(request.POST or None, request.FILES or None,
                         initial={"activate": True})  # fmt: skip

    def page(status):
        return render(request, T + "models.html", {"versions": office.model_versions(),
                      "form": form, "may_administer": may}, status=status)  # fmt: skip

    return submit(
        request, form,
        lambda d: services.model_version_load(actor=actor, text=d["text"],
                                              activate=d["activate"]),
        page=page,
        done=lambda mv: _("已载入%(model)s") % {"model": str(mv)},
        then=lambda mv: reverse("backoffice:evaluation_model", args=[mv.pk]), refused=403,
    )  # fmt: skip


@login_required
def model(request: HttpRequest, pk: int):
    """One model version: its grades and the file exactly as loaded."""
    staff_actor(request)
    try:
        data = office.model_version(pk)
    except NotFound:
        raise Http404 from None
    return render(request, T + "model.html", data)


@login_required
def publication(request: HttpRequest):
    """评价结果公开设置 (the operator): by default the public sees grade A only."""
    actor = operator_actor(request)
    current = selectors.publication()
    grades = office.model_grade_choices()
    form = PublicationForm(
        request.POST or None, grades=grades,
        initial={"public_grades": current.public_grades, "public_score": current.public_score,
                 "checks_see_grade": current.checks_see_grade},
    )  # fmt: skip

    def page(status):
        return render(request, T + "publication.html", {"form": form, "current": current,
                      "grades": grades}, status=status)  # fmt: skip

    return submit(
        request, form,
        lambda d: services.publication_set(actor=actor, public_grades=d["public_grades"],
                                           public_score=d["public_score"],
                                           checks_see_grade=d["checks_see_grade"]),
        page=page, done=_("评价结果公开设置已保存"),
        then=reverse("backoffice:evaluation_publication"), refused=403,
    )  # fmt: skip
