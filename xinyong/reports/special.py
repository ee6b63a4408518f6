"""The special credit report (专项信用报告, 发改财金〔2025〕565号): for each domain the applicant
chose, the records found in the period — penalties including those decided by summary
procedure (not published, but what a certificate of no violation speaks of),
administrative coercion, serious-dishonesty designations, judgments where the catalog
holds them — or the statement that none was found, which is what replaces the department's
certificate. Withdrawn (revoked) decisions and overturned designations do not count;
repaired ones are listed and marked 已修复."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import F, Q
from django.utils.translation import gettext as _

from xinyong.accounts.models import Department
from xinyong.catalog.selectors import catalog_items
from xinyong.core.errors import ValidationFailed
from xinyong.lists.choices import EntryStatus, ListEffect, RemovalReason
from xinyong.lists.models import ListEntry
from xinyong.records.choices import RecordStatus
from xinyong.records.models import Record
from xinyong.records.selectors import records_under_objection
from xinyong.reports.content import (
    SECTION_MAX,
    entry_entry,
    entry_flags,
    record_entry,
    record_flags,
    repaired_record_ids,
)
from xinyong.reports.models import ReportDomain
from xinyong.reports.schemas import SectionOut

MAX_DOMAINS = 100


REQUIRED_ITEM = "administrative_penalty"  # every domain searches penalties at least


def domain_problem(departments: list[str], items: list[str], *, known_items: set[str],
                   known_departments: set[str]) -> tuple[str, str] | None:  # fmt: skip
    """Why a domain cannot state "none found" (field, message), or None when it can: it must search
    penalties (its items are the whole list searched, each a catalog item) and every one
    of its departments must exist here — "none found" speaks for all of them. The one
    rule of the report and of the credit office's form."""
    unknown = [i for i in items if i not in known_items]
    if unknown:
        return "items", _("目录中没有信息项 %(items)s") % {"items": "、".join(unknown[:5])}
    if REQUIRED_ITEM not in items:
        return "items", _("查询的信息项必须包含行政处罚信息（administrative_penalty）")
    if not departments:
        return "departments", _("至少需要一个数据提供部门")
    missing = [d for d in departments if d not in known_departments]
    if missing:
        return "departments", _("本地没有（或未启用）部门 %(codes)s") % {
            "codes": "、".join(missing[:5])
        }
    return None


def catalog_item_codes() -> set[str]:
    return {d.code for _item, d in catalog_items()}


def available_domains() -> list[tuple[ReportDomain, list[Department]]]:
    """The domains offered here, each with its departments: only those that can honestly
    state "none found" (:func:`domain_problem`)."""
    domains = list(ReportDomain.objects.filter(active=True))
    codes = {c for d in domains for c in d.departments}
    departments = {d.code: d for d in Department.objects.filter(code__in=codes, is_active=True)}
    items = catalog_item_codes()
    return [
        (d, [departments[c] for c in d.departments])
        for d in domains
        if domain_problem(
            d.departments, d.items, known_items=items, known_departments=set(departments)
        )
        is None
    ]


def domains_pick(codes: list[str]) -> list[tuple[ReportDomain, list[Department]]]:
    """The chosen domains in the table's order; an unknown or unavailable one is refused."""
    if not codes:
        raise ValidationFailed.one("domains", "required", _("请至少选择一个领域"))
    if len(codes) > MAX_DOMAINS:
        raise ValidationFailed.one("domains", "too_many", _("领域过多"))
    offered = {d.code: (d, deps) for d, deps in available_domains()}
    unknown = [c for c in codes if c not in offered]
    if unknown:
        raise ValidationFailed.one(
            "domains", "unknown_domain",
            _("领域 %(codes)s 不在本平台专项信用报告的领域表中（或本地尚无该领域的数据提供部门）")
            % {"codes": "、".join(str(c)[:48] for c in unknown[:5])},
        )  # fmt: skip
    wanted = set(codes)
    return [offered[d.code] for d, _deps in available_domains() if d.code in wanted]


def period_check(
    start: datetime.date | None, end: datetime.date | None, *, today: datetime.date, max_years: int
) -> tuple[datetime.date, datetime.date]:
    """The period searched: by default the last ``max_years`` years up to today; a period
    reaching further back, ending after today or ending before it starts is refused."""
    earliest = today - relativedelta(years=max_years)
    end = end or today
    start = start or earliest
    if end > today:
        raise ValidationFailed.one("period_to", "future", _("查询期止不能晚于今天"))
    if start > end:
        raise ValidationFailed.one("period_from", "after_end", _("查询期起不能晚于查询期止"))
    if start < earliest:
        raise ValidationFailed.one(
            "period_from", "beyond_limit",
            _("查询期最长为近 %(years)d 年（不早于 %(date)s）")
            % {"years": max_years, "date": earliest.isoformat()},
        )  # fmt: skip
    return start, end


def special_sections(
    subject, picked: list[tuple[ReportDomain, list[Department]]], start: datetime.date,
    end: datetime.date,
) -> list[SectionOut]:  # fmt: skip
    """One section per domain: what was found, or the statement that nothing was."""
    dept_ids = {dep.pk for _d, deps in picked for dep in deps}
    items = {i for d, _deps in picked for i in d.items}
    # A decision of the period; one without a date counts when it was received by the end
    # of the period (its date unknown, it cannot be said to lie outside it).
    dated = Q(decision_date__gte=start, decision_date__lte=end)
    undated = Q(decision_date__isnull=True, created_at__date__lte=end)
    records = list(
        Record.objects.filter(
            dated | undated,
            subject_id=subject.pk,
            provider_id__in=dept_ids,
            item_code__in=items,
            status=RecordStatus.ACTIVE,
        ).order_by(F("decision_date").desc(nulls_first=True), "-id")
    )
    # An entry counts when it was in force at any time of the period: decided by its end,
    # its term not ended and not removed before its start (a listing decided four years ago
    # and still in force is a record of the period).
    entries = list(
        ListEntry.objects.filter(
            Q(status=EntryStatus.PUBLISHED)
            | Q(status=EntryStatus.REMOVED,
                removal_reason__in=(RemovalReason.EXPIRED, RemovalReason.REPAIRED)),
            Q(term_end__isnull=True) | Q(term_end__gte=start),
            Q(removed_at__isnull=True) | Q(removed_at__date__gte=start),
            subject_id=subject.pk,
            department_id__in=dept_ids,
            list_type__effect=ListEffect.NEGATIVE,
            decided_on__lte=end,
        )
        .select_related("list_type", "department")
        .order_by("-decided_on", "-id")
    )  # fmt: skip
    doubted = records_under_objection([r.pk for r in records])
    repaired = repaired_record_ids([subject.pk]) if records else set()
    names = {dep.pk: dep.name for _d, deps in picked for dep in deps}
    sections = []
    for domain, deps in picked:
        own = {dep.pk for dep in deps}
        found = []
        for r in records:
            if r.provider_id in own and r.item_code in domain.items:
                flags = record_flags(r, doubted=doubted, repaired=repaired)
                if r.decision_date is None:
                    flags.append(_("决定日期不详"))
                found.append(record_entry(r, level=0, department=names[r.provider_id], flags=flags))
        if domain.lists:
            for e in entries:
                if e.department_id in own:
                    found.append(entry_entry(e, flags=entry_flags(e)))
        who = "、".join(dep.name for dep in deps)
        sections.append(
            SectionOut(
                key=domain.code,
                title=domain.name,
                note=_("替代：%(cert)s。数据提供部门：%(who)s。")
                % {"cert": domain.replaces, "who": who},
                empty=_(
                    "经查询%(who)s报送本平台的信息，%(start)s 至 %(end)s 期间，该主体在"
                    "%(domain)s领域未发现%(what)s。"
                )
                % {
                    "who": who,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "domain": domain.name,
                    "what": _searched(domain),
                },
                entries=found[:SECTION_MAX],
                total=len(found),
                found=bool(found),
            )
        )
    return sections


def _searched(domain: ReportDomain) -> str:
    """What "none found" covers, named from the domain's items and lists."""
    names = {d.code: d.name.removesuffix("信息") for _item, d in catalog_items()}
    what = [names.get(i, i) for i in domain.items]
    if REQUIRED_ITEM in domain.items:
        what[domain.items.index(REQUIRED_ITEM)] = _("行政处罚（含简易程序）")
    if domain.lists:
        what.append(_("严重失信主体名单等失信约束名单"))
    return "、".join(what) + _("等违法违规记录")
