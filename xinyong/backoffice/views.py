"""Back-office pages: thin views over selectors; role checks here only decide which page a
user may open, the selectors decide what data they see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.choices import Role
from xinyong.associations.selectors import subject_associations
from xinyong.audit.choices import OBJECT_LABELS, AuditAction
from xinyong.audit.schemas import FILTER_LABELS, audit_filter
from xinyong.audit.selectors import audit_chain_verify, audit_object_label
from xinyong.audit.selectors import audit_events as audit_event_list
from xinyong.backoffice.access import refused, staff_actor
from xinyong.backoffice.forms import SubjectSearchForm
from xinyong.backoffice.todo import todo_lists
from xinyong.catalog.selectors import item_names
from xinyong.core import workdays
from xinyong.core.errors import PermissionDenied, ValidationFailed
from xinyong.core.fieldlabels import error_lines
from xinyong.core.labels import choice_label
from xinyong.core.params import offset_param
from xinyong.disclosure.selectors import withdrawals_overdue
from xinyong.evaluation.office import subject_evaluation
from xinyong.lists.procedure import may_open_case
from xinyong.lists.schemas import EntryOut
from xinyong.lists.selectors import subject_entries
from xinyong.records.schemas import file_query
from xinyong.records.selectors import credit_file
from xinyong.remedies.selectors import subject_remedies
from xinyong.sanctions.selectors import subject_actions
from xinyong.subjects import selectors, services
from xinyong.subjects.choices import DefectKind
from xinyong.subjects.lookup import subject_lookup
from xinyong.subjects.schemas import RelatedPersonOut, SubjectOut


@login_required
def dashboard(request: HttpRequest):
    """工作台: the reader's to-do lists (only what its role may act on, late ones first,
    each step linking to where it is taken), the platform's alarms and figures."""
    actor = staff_actor(request)
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "actor": actor,
            "role_label": choice_label(Role, actor.role),
            "counts": selectors.subject_counts(),
            "defects": selectors.code_defect_summary(),
            # Only who may enter the calendar is told it is missing (issue #14).
            "calendar_alarm": workdays.alarm_years(timezone.localdate())
            if access.allowed(actor, Action.ADMINISTER)
            else [],
            "withdrawals_overdue": _withdrawals_overdue(actor),
            "todo": todo_lists(actor=actor, today=timezone.localdate()),
            "search_form": SubjectSearchForm(),
        },
    )


def _withdrawals_overdue(actor) -> int:
    """Withdrawn decisions still public past their 3-working-day deadline, in the reader's
    scope (an alarm on the dashboard)."""
    try:
        return withdrawals_overdue(actor=actor, today=timezone.localdate())
    except PermissionDenied:
        return 0


@login_required
def code_defects(request: HttpRequest):
    actor = staff_actor(request)
    if request.method == "POST":
        try:
            counts = services.code_defects_scan(actor=actor)
        except PermissionDenied as e:
            refused(request, e)
        else:
            done = _("重错码检查完成：%(n)d 项问题") % {"n": sum(counts.values())}
            messages.success(request, done)
        return redirect("backoffice:code_defects")
    kind = request.GET.get("kind") or None
    if kind not in (None, *DefectKind.values):
        kind = None
    return render(
        request,
        "backoffice/code_defects.html",
        {
            "summary": selectors.code_defect_summary(),
            "kinds": DefectKind.choices,
            "kind": kind,
            "defects": selectors.code_defects_shown(kind=kind),
            "can_scan": access.allowed(actor, Action.ADMINISTER),
        },
    )


@login_required
def subject_detail(request: HttpRequest, pk: int):
    actor = staff_actor(request)
    subject = selectors.subject_get(pk=pk, public=False)
    try:
        rows = selectors.related_persons_visible(actor=actor, subject=subject)
        related = [RelatedPersonOut.of(r) for r in rows]
    except PermissionDenied:
        related = None
    category, offset = file_query(request.GET)
    try:
        file = credit_file(actor=actor, subject=subject, category=category, offset=offset)
        entries = [EntryOut.full(e) for e in subject_entries(actor=actor, subject_id=subject.pk)]
    except PermissionDenied:
        file, entries = None, []
    return render(
        request,
        "backoffice/subject.html",
        {
            "subject": SubjectOut.from_orm(subject),
            "related": related,
            "file": file,
            "entries": entries,
            "follow_up": subject_actions(actor=actor, subject_id=subject.pk)
            if file is not None
            else None,
            "remedies": subject_remedies(actor=actor, subject=subject, today=timezone.localdate())
            if file is not None
            else None,
            "can_open_case": may_open_case(actor),
            # Public credit evaluation (issue #16): the full explanation (the reading audited).
            "evaluation": subject_evaluation(actor, subject, office=True)
            if subject.kind != "person"
            else None,
            "evaluated_kind": subject.kind != "person",
            # Industry associations: memberships and the sanctions decided about it.
            "associations": subject_associations(actor=actor, subject=subject),
        },
    )


PAGE = 200  # audit events per page


@login_required
def audit_events(request: HttpRequest):
    """审计日志: filtered by actor, action, object and dates (the query string; a bad value
    answers 400 with the field named), newest first, 200 a page."""
    actor = staff_actor(request)
    offset, ctx, status = offset_param(request.GET), {}, 200
    try:
        wanted = audit_filter(request.GET)
    except ValidationFailed as e:
        events, status = [], 400
        ctx["errors"] = error_lines(e.errors, FILTER_LABELS)
        audit_event_list(actor=actor)  # the read rule still decides who sees the page
    else:
        events = list(audit_event_list(actor=actor, **wanted.kwargs())[offset : offset + PAGE + 1])
    items = item_names()
    rows = [(e, audit_object_label(e, items)) for e in events[:PAGE]]
    query = request.GET.copy()
    query.pop("offset", None)
    query.pop("verify", None)
    if len(events) > PAGE:
        ctx["next_query"] = f"{query.urlencode()}&offset={offset + PAGE}".lstrip("&")
    ctx |= {
        "rows": rows,
        "q": request.GET,
        "actions": AuditAction.choices,
        "object_types": sorted(OBJECT_LABELS.items(), key=lambda kv: str(kv[1])),
        "verify": audit_chain_verify() if request.GET.get("verify") else None,
    }
    return render(request, "backoffice/audit.html", ctx, status=status)


@login_required
def subject_search(request: HttpRequest):
    """后台主体查询: by name, USCC, a person's identifier (hashed) or a decision number,
    leading to the back-office subject page; each search is audited."""
    actor = staff_actor(request)
    form = SubjectSearchForm(request.GET or None)
    found, status = None, 200
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            found = subject_lookup(actor=actor, by=d["by"], q=d["q"], id_type=d["id_type"])
        except ValidationFailed as e:
            form.fail(e)
    if form.is_bound and form.errors:
        status = 400
    return render(request, "backoffice/subject_search.html",
                  {"form": form, "found": found}, status=status)  # fmt: skip
