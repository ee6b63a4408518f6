"""Public pages. No models here: the portal renders output schemas from selectors, so it
can only ever show what those schemas publish."""

from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from xinyong.accounts import access
from xinyong.accounts.actors import ANONYMOUS, Actor
from xinyong.associations.selectors import public_memberships
from xinyong.commitments.portal import subject_commitments
from xinyong.core import cache as page_cache
from xinyong.core.errors import NotFound, ValidationFailed
from xinyong.disclosure import selectors as disclosure
from xinyong.evaluation.selectors import evaluation_public
from xinyong.lists.schemas import PublicEntryOut
from xinyong.lists.selectors import (
    in_force_counts,
    latest_rolls,
    public_entries,
    public_list_types,
    roll_entries,
    rolls,
)
from xinyong.records.schemas import file_query
from xinyong.records.selectors import public_records
from xinyong.remedies.schemas import CorrectionNoticeOut
from xinyong.remedies.selectors import correction_notices
from xinyong.subjects import selectors
from xinyong.subjects.choices import SubjectKind
from xinyong.subjects.schemas import SubjectDetailOut, SubjectOut
from xinyong.supervision.selectors import subject_results_public

# The home page's search tabs: what each searches (links, no script: ``?tab=``).
HOME_TABS = (
    ("organization", _("法人和非法人组织")),
    ("individual_business", _("个体工商户")),
    ("lists", _("信用名单")),
    ("publicity", _("双公示")),
)
ANNOUNCEMENTS = 6


def _announcements() -> list[dict]:
    """The latest correction notices and roll publications, newest first, each linked;
    cached until one of them changes (:mod:`xinyong.core.cache`)."""
    return page_cache.cached(f"portal:announcements:{get_language()}", "public", _latest)


def _latest() -> list[dict]:
    out = [
        {
            "at": n.revoked_at,
            "kind": str(_("更正公告")),
            "title": str(_("撤销对%(subject)s的%(list)s认定"))
            % {"subject": n.subject, "list": n.list},
            "url": f"{reverse('portal:corrections')}#correction-{n.id}",
        }
        for n in (CorrectionNoticeOut.of(o) for o in correction_notices(limit=ANNOUNCEMENTS))
    ]
    out += [
        {
            "at": r.published_at,
            "kind": str(_("红黑榜")),
            "title": str(_("%(period)s 诚信红黑榜发布")) % {"period": r.period},
            "url": f"{reverse('portal:roll')}?period={r.period}",
        }
        for r in latest_rolls(limit=ANNOUNCEMENTS)
    ]
    return sorted(out, key=lambda a: a["at"], reverse=True)[:ANNOUNCEMENTS]


def home(request: HttpRequest):
    """Search tabs, headline figures (cached aggregates) and announcements."""
    tab = request.GET.get("tab")
    if tab not in dict(HOME_TABS):
        tab = "organization"
    return render(
        request,
        "portal/home.html",
        {
            "tab": tab,
            "tabs": HOME_TABS,
            "counts": selectors.subject_counts(),
            "published": disclosure.published_counts(),
            "in_force": in_force_counts(),
            "list_types": public_list_types() if tab == "lists" else [],
            "announcements": _announcements(),
        },
    )


def search(request: HttpRequest):
    """Subjects by name or USCC, in tabs by kind with how many each finds."""
    q = request.GET.get("q", "")
    kind = request.GET.get("kind") or ""
    if kind not in selectors.PUBLIC_KINDS:
        kind = ""
    try:
        page_no = int(request.GET.get("page", "1"))
    except ValueError:
        page_no = 0
    ctx: dict = {"q": q, "kind": kind}
    try:
        page = selectors.subject_search(q=q, page=page_no, kind=kind or None)
    except ValidationFailed as e:
        ctx["errors"] = e.errors
        return render(request, "portal/search.html", ctx, status=400)
    counts = selectors.subject_search_counts(page)
    ctx.update(
        page=page,
        counts=counts,
        kind_tabs=[
            ("", _("全部"), counts.organization + counts.individual_business),
            (SubjectKind.ORGANIZATION.value, _("法人和非法人组织"), counts.organization),
            (SubjectKind.INDIVIDUAL_BUSINESS.value, _("个体工商户"), counts.individual_business),
        ],
        results=[SubjectOut.from_orm(s) for s in page.results],
    )
    return render(request, "portal/search.html", ctx)


# The subject page's tabs (``?tab=``, links: no script).
SUBJECT_TABS = (
    ("overview", _("概况")),
    ("basic", _("基本信息")),
    ("licences", _("行政许可")),
    ("penalties", _("行政处罚")),
    ("lists", _("信用名单")),
    ("reports", _("信用报告")),
    ("commitments", _("信用承诺")),
    ("inspections", _("抽查检查")),
    ("evaluation", _("信用评价")),
)
# Records per page of the public file: a visitor reads the newest first and pages on (the
# back office, which works through a file, shows 50).
PORTAL_PAGE = 20
_TAB_ITEMS = {
    "licences": [disclosure.COLUMN_ITEMS["licence"]],
    "penalties": [disclosure.COLUMN_ITEMS["penalty"]],
}


def subject_detail(request: HttpRequest, pk: int):
    try:
        subject = selectors.subject_get(pk=pk)
    except NotFound:
        raise Http404(gettext("主体不存在")) from None
    tab = request.GET.get("tab")
    if tab not in dict(SUBJECT_TABS):
        tab = "overview"
    ctx: dict = {"subject": SubjectDetailOut.from_orm(subject), "tab": tab, "tabs": SUBJECT_TABS}
    if tab in ("overview", "licences", "penalties"):
        category, offset = file_query(request.GET)
        ctx["file"] = public_records(
            subject=subject, category=category, offset=offset, items=_TAB_ITEMS.get(tab),
            limit=PORTAL_PAGE,
        )  # fmt: skip
    if tab == "commitments":
        actor = Actor.for_user(request.user) if request.user.is_authenticated else ANONYMOUS
        ctx["commitments"], ctx["more_commitments"] = subject_commitments(
            actor=actor, subject=subject
        )
    if tab == "evaluation":  # what the credit office publishes, and nothing else
        ctx["evaluation"] = evaluation_public(subject.pk)
        actor = Actor.for_user(request.user) if request.user.is_authenticated else ANONYMOUS
        ctx["own_evaluation"] = access.acts_for_subject(actor, subject.pk)
    if tab == "inspections":
        ctx["inspections"] = subject_results_public(subject.pk)
    if tab == "overview":  # memberships and public censures (xinyong/associations)
        ctx["associations"] = public_memberships(subject.pk)
    if tab in ("overview", "lists"):
        ctx["entries"] = [
            PublicEntryOut.of(e)
            for e in public_entries(subject_id=subject.pk, today=timezone.localdate())
        ]
    return render(request, "portal/subject.html", ctx)


def publicity(request: HttpRequest):
    """信用双公示: published licences and penalties, searchable and filterable."""
    ctx: dict = {"params": request.GET, "departments": disclosure.column_departments()}
    try:
        query = disclosure.column_query(request.GET)
    except ValidationFailed as e:
        ctx.update(errors=e.errors, query=None)
        return render(request, "portal/publicity.html", ctx, status=400)
    rows, has_next = disclosure.column_search(query)
    ctx.update(query=query, rows=rows, has_next=has_next)
    return render(request, "portal/publicity.html", ctx)


def publicity_detail(request: HttpRequest, pk: int):
    try:
        detail = disclosure.column_detail(record_id=pk)
    except NotFound:
        raise Http404(gettext("该信息不存在或已不在公示期内")) from None
    return render(request, "portal/publicity_detail.html", {"d": detail})


def roll(request: HttpRequest):
    """红黑榜: the honor and dishonor roll of a month, with each entry's legal basis."""
    period = request.GET.get("period") or None
    found, red, black = roll_entries(period=period, today=timezone.localdate())
    if period and found is None:
        raise Http404(gettext("该期红黑榜未发布"))
    return render(
        request,
        "portal/roll.html",
        {
            "roll": found,
            "periods": rolls(),
            "red": [PublicEntryOut.of(e) for e in red],
            "black": [PublicEntryOut.of(e) for e in black],
        },
    )


def corrections(request: HttpRequest):
    """更正公告: entries revoked after a successful objection, to restore reputations."""
    rows = [CorrectionNoticeOut.of(o) for o in correction_notices()]
    return render(request, "portal/corrections.html", {"rows": rows})
