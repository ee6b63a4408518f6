"""Pages of practitioner credit files (issue #18, item 7): the credit office's professions,
the industry department's practitioners (and registration), a practitioner's file (each
read audited), and the person's own file in the portal. Thin: services write, selectors
read, the access layer decides who."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.backoffice.access import staff_actor
from xinyong.catalog.selectors import item_names
from xinyong.core.errors import NotFound
from xinyong.core.forms import submit
from xinyong.practitioners import selectors, services
from xinyong.practitioners.choices import PublicField
from xinyong.practitioners.forms import PractitionerForm, ProfessionForm
from xinyong.remedies.selectors import bound_subject
from xinyong.remedies.views import PORTAL_LOGIN


@login_required
def professions(request: HttpRequest):
    """重点职业: every staff member reads them; the credit office keeps them."""
    actor = staff_actor(request)
    if request.method == "POST" and not access.allowed(actor, Action.ADMINISTER):
        raise PermissionDenied
    from xinyong.bodies.selectors import discipline_departments

    form = ProfessionForm(
        request.POST or None,
        departments=discipline_departments(),
        items=sorted(item_names().items()),
    )
    names = item_names()
    rows = [
        (
            p,
            [names.get(i, i) for i in p.items],
            [str(PublicField(f).label) for f in p.public_fields if f in PublicField.values],
        )
        for p in selectors.professions()
    ]
    ctx = {"form": form, "rows": rows, "may_edit": access.allowed(actor, Action.ADMINISTER)}
    return submit(
        request,
        form,
        lambda d: services.profession_save(
            actor=actor,
            code=d["code"],
            name=d["name"],
            department_code=d["department"],
            items=d["items"],
            public_fields=d["public_fields"],
            publish_basis=d["publish_basis"],
        ),
        page=lambda status: render(request, "practitioners/professions.html", ctx, status=status),
        done=lambda p: _("已保存职业“%(name)s”") % {"name": p.name},
        then=reverse("backoffice:professions"),
        refused=403,
    )


@login_required
def practitioners(request: HttpRequest):
    """本职业从业人员: those the reader's department sees; registration for its own."""
    actor = staff_actor(request)
    mine = selectors.registrable(actor=actor)
    form = PractitionerForm(request.POST or None, professions=mine)
    ctx = {"form": form, "mine": mine, "rows": selectors.practitioners(actor=actor)}
    return submit(
        request,
        form,
        lambda d: services.practitioner_register(actor=actor, **d),
        page=lambda status: render(request, "practitioners/list.html", ctx, status=status),
        done=lambda p: _("已登记从业人员（%(no)s）") % {"no": p.licence_no},
        then=lambda p: reverse("backoffice:practitioner", args=[p.pk]),
        refused=403,
    )


@login_required
def practitioner(request: HttpRequest, pk: int):
    """A practitioner's file, for those the rules let read it (the read is audited)."""
    actor = staff_actor(request)
    try:
        f = selectors.practitioner_file(actor=actor, practitioner_id=pk)
    except NotFound:
        raise Http404 from None
    return render(request, "practitioners/file.html", f)


@login_required(login_url=PORTAL_LOGIN)
def own_file(request: HttpRequest, pk: int):
    """The person's own practitioner files, through its bound portal account."""
    actor = Actor.for_user(request.user)
    try:
        subject = bound_subject(actor=actor, subject_id=pk)
    except NotFound:
        raise Http404 from None
    files = selectors.own_files(actor=actor, subject=subject)
    return render(request, "practitioners/own.html", {"subject": subject, "files": files})
