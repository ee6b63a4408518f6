"""The special credit report (专项信用报告, 发改财金〔2025〕565号): for each domain the applicant
chose, the records found in the period — penalties including those decided by summary
procedure (not published, but what a certificate of no violation speaks of),
administrative coercion, serious-dishonesty designations, judgments where the catalog
holds them — or the statement that none was found, which is what replaces the department's
certificate. Withdrawn (revoked) decisions and overturned designations do not count;
repaired ones are listed and marked 已修复."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils.translation import gettext as _

from xinyong.accounts.models import Department
from xinyong.core.errors import ValidationFailed
from xinyong.lists.choices import EntryStatus, ListEffect, RemovalReason
from xinyong.lists.models import ListEntry
from xinyong.records.choices import RecordStatus
from xinyong.records.models import Record
from xinyong.records.selectors import records_under_objection
from xinyong.reports.content import (
    SECTION_MAX,
    entry_entry,
    record_entry,
    repaired_record_ids,
)
from xinyong.reports.models import ReportDomain
from xinyong.reports.schemas import SectionOut

MAX_DOMAINS = 100


def available_domains() -> list[tuple[ReportDomain, list[Department]]]:
    """The domains offered here, each with its departments that exist in this city; a
    domain with none is not offered (nobody's records would stand behind "none found")."""
    domains = list(ReportDomain.objects.filter(active=True))
    codes = {c for d in domains for c in d.departments}
    departments = {d.code: d for d in Department.objects.filter(code__in=codes, is_active=True)}
    out = []
    for d in domains:
        present = [departments[c] for c in d.departments if c in departments]
        if present:
            out.append((d, present))
    return out


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
    records = list(
        Record.objects.filter(
            subject_id=subject.pk,
            provider_id__in=dept_ids,
            item_code__in=items,
            status=RecordStatus.ACTIVE,
            decision_date__gte=start,
            decision_date__lte=end,
        ).order_by("-decision_date", "-id")
    )
    entries = list(
        ListEntry.objects.filter(
            Q(status=EntryStatus.PUBLISHED)
            | Q(status=EntryStatus.REMOVED,
                removal_reason__in=(RemovalReason.EXPIRED, RemovalReason.REPAIRED)),
            subject_id=subject.pk,
            department_id__in=dept_ids,
            list_type__effect=ListEffect.NEGATIVE,
            decided_on__gte=start,
            decided_on__lte=end,
        )
        .select_related("list_type", "department")
        .order_by("-decided_on", "-id")
    )  # fmt: skip
    doubted = records_under_objection([r.pk for r in records])
    repaired = repaired_record_ids(subject.pk) if records else set()
    names = {dep.pk: dep.name for _d, deps in picked for dep in deps}
    sections = []
    for domain, deps in picked:
        own = {dep.pk for dep in deps}
        found = []
        for r in records:
            if r.provider_id in own and r.item_code in domain.items:
                flags = [_("异议中")] if r.pk in doubted else []
                if r.pk in repaired:
                    flags.append(_("已修复"))
                found.append(record_entry(r, level=0, department=names[r.provider_id], flags=flags))
        if domain.lists:
            for e in entries:
                if e.department_id in own:
                    flags = [_("异议中")] if e.under_objection else []
                    if e.removal_reason == RemovalReason.REPAIRED:
                        flags.append(_("已修复"))
                    found.append(entry_entry(e, flags=flags))
        who = "、".join(dep.name for dep in deps)
        sections.append(
            SectionOut(
                key=domain.code,
                title=domain.name,
                note=_("替代：%(cert)s。数据提供部门：%(who)s。")
                % {"cert": domain.replaces, "who": who},
                empty=_(
                    "经查询，%(start)s 至 %(end)s 期间，该主体在%(domain)s领域"
                    "未发现行政处罚（含简易程序）、行政强制、严重失信主体名单等违法违规记录。"
                )
                % {"start": start.isoformat(), "end": end.isoformat(), "domain": domain.name},
                entries=found[:SECTION_MAX],
                total=len(found),
                found=bool(found),
            )
        )
    return sections
