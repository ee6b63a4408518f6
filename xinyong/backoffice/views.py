"""Back-office pages: thin views over selectors; role checks here only decide which page a
user may open, the selectors decide what data they see."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import render

from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import Role
from xinyong.audit.selectors import audit_chain_verify, audit_events as audit_event_list
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.subjects import selectors
from xinyong.subjects.schemas import RelatedPersonOut, SubjectOut


def _actor(request: HttpRequest) -> Actor:
    if not request.user.is_staff:
        raise DjangoPermissionDenied
    return Actor.for_user(request.user)


@login_required
def dashboard(request: HttpRequest):
    actor = _actor(request)
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "actor": actor,
            "role_label": Role(actor.role).label if actor.role in Role.values else actor.role,
            "counts": selectors.subject_counts(),
            "defects": {
                "invalid": selectors.invalid_codes().count(),
                "code_multiple_names": len(selectors.codes_with_several_names()),
                "name_multiple_codes": len(selectors.names_with_several_codes()),
            },
        },
    )


@login_required
def code_defects(request: HttpRequest):
    _actor(request)
    return render(
        request,
        "backoffice/code_defects.html",
        {
            "invalid": selectors.invalid_codes()[:500],
            "code_multiple_names": selectors.codes_with_several_names(),
            "name_multiple_codes": selectors.names_with_several_codes(),
        },
    )


@login_required
def subject_detail(request: HttpRequest, pk: int):
    actor = _actor(request)
    try:
        subject = selectors.subject_get(pk=pk)
    except NotFound:
        raise Http404 from None
    try:
        related = [RelatedPersonOut.of(r) for r in selectors.related_persons_visible(actor=actor, subject=subject)]
    except PermissionDenied:
        related = None
    return render(
        request,
        "backoffice/subject.html",
        {"subject": SubjectOut.from_orm(subject), "related": related},
    )


@login_required
def audit_events(request: HttpRequest):
    actor = _actor(request)
    if actor.role not in (Role.AUDITOR, Role.PLATFORM_OPERATOR):
        raise DjangoPermissionDenied
    verify = audit_chain_verify() if request.GET.get("verify") else None
    return render(
        request,
        "backoffice/audit.html",
        {"events": audit_event_list()[:200], "verify": verify},
    )
