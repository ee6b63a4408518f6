"""What a report says, assembled from the credit file by the same selectors the portal and
the back office read through — a report never shows more than its reader may see.

The public report follows the national report standard (公共信用信息报告标准, 2022): cover,
notes, overview, then the sections below in this order, then suggestions. The own report
(自查版) has the same sections over the subject's whole file; the review report those a
department may see. The special report (专项信用报告) is built in :mod:`special`."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from xinyong.accounts.actors import Actor
from xinyong.accounts.selectors import department_names
from xinyong.catalog import selectors as catalog
from xinyong.evaluation.selectors import evaluations_for_report
from xinyong.lists.choices import EntryStatus, ListEffect, RemovalReason
from xinyong.lists.models import ListEntry
from xinyong.lists.schemas import term_text
from xinyong.records.choices import RecordStatus
from xinyong.records.models import Record
from xinyong.records.selectors import (
    field_level,
    public_records_qs,
    records_under_objection,
    visible_fields,
)
from xinyong.reports.choices import ReportKind
from xinyong.reports.precomputed import BY_ID, report_data_fresh, report_files_fresh
from xinyong.reports.schemas import EntryOut, LabelValue, SectionOut, SubjectBlock
from xinyong.subjects.choices import SubjectKind, SubjectStatus

ABNORMAL_LIST = "abnormal_operations"
# Entries a section lists at most (the newest); beyond, it says how many there are in all.
# Typesetting costs about 8 ms an entry: a chain store's thousands of licences made a
# 22-second, thousand-page report, and 100 a section still 6 s (bench/RESULTS.md). The
# whole file stays on the portal and in the subject's own file.
SECTION_MAX = 20


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: tuple[str, ...]  # catalog items whose records it holds
    note: str
    empty: str


# The sections of the standard, in its order. Lists (and abnormal operations) come from
# list entries, not from records, so that an entry imported from a record shows once.
SECTIONS = (
    Section("licences", "行政许可信息", ("administrative_licence",),
            "有效期内的行政许可。", "未查询到有效期内的行政许可信息。"),
    Section("penalties", "行政处罚信息", ("administrative_penalty",),
            "公示期内的行政处罚；公示期满或信用修复后不再展示。",
            "未查询到公示期内的行政处罚信息。"),
    Section("coercion", "行政强制信息", ("administrative_enforcement",),
            "行政机关依法实施的行政强制措施和行政强制执行。", "未查询到行政强制信息。"),
    Section("lists", "严重失信主体名单及其他失信约束名单", (),
            "有效期内的名单（认定部门、依据、期限）。",
            "未列入严重失信主体名单或其他失信约束名单。"),
    Section("abnormal", "经营异常名录信息", (),
            "市场监管部门列入的经营异常名录。", "未列入经营异常名录。"),
    Section("judicial", "司法裁判及执行信息", ("judicial_judgment",),
            "人民法院公开的生效裁判及执行信息（失信被执行人见名单部分）。",
            "未查询到司法裁判及执行信息。"),
    Section("honors", "守信激励及良好信息", ("honor", "administrative_reward", "self_declaration"),
            "诚实守信相关荣誉、行政奖励、守信激励名单和经核实的自主申报信息。",
            "未查询到守信激励及良好信息。"),
    Section("commitments", "信用承诺及履行情况", ("commitment_performance", "commitment_breach"),
            "主体作出的信用承诺及其履行情况；经听取陈述申辩后认定的违背承诺信息。",
            "未查询到信用承诺信息。"),
    Section("evaluation", "信用评价结果", ("credit_evaluation_result",),
            "公共信用综合评价及行业信用评价结果。", "未查询到可展示的信用评价结果。"),
    Section("other", "其他信用信息", (),
            "行政确认、行政检查、知识产权等其他信用信息。", "未查询到其他信用信息。"),
)  # fmt: skip
_BY_ITEM = {item: s.key for s in SECTIONS for item in s.items}
SKIP_ITEMS = ("registration_basic",)  # on the cover; lists come from their entries
# Records of the subject's own declarations, verified (only verified ones are records).
SELF_DECLARED = "self_declaration"
LIST_ITEMS = ("serious_dishonesty_entry", "court_dishonest_debtor", "abnormal_operations_entry")


def subject_block(subject) -> SubjectBlock:
    person = subject.kind == SubjectKind.PERSON
    return SubjectBlock(
        name=subject.name,
        kind=str(SubjectKind(subject.kind).label),
        code_name=_("身份证件号码") if person else _("统一社会信用代码"),
        code=subject.id_masked if person else subject.uscc,
        status=str(SubjectStatus(subject.status).label),
        legal_form=subject.legal_form or "",
        established_on=subject.established_on.isoformat() if subject.established_on else "",
        address=subject.address or "",
    )


def repaired_record_ids(subject_ids: list[int]) -> set[int]:
    """Records of the subjects a repair was granted for (shown 已修复 where still shown)."""
    RepairApplication = _repair_model()
    return set(
        RepairApplication.records.through.objects.filter(
            repairapplication__subject_id__in=subject_ids, repairapplication__status="approved"
        ).values_list("record_id", flat=True)
    )


def _repair_model():
    from django.apps import apps

    return apps.get_model("remedies", "RepairApplication")


# How a commitment reads best: what was pledged where, then until when and how it was kept
# (catalog version 2 appended the matter and the validity after the status).
_FIELD_ORDER = {
    "commitment_performance": ("CN_LX", "CN_SX", "CN_NR", "CN_YXQZ", "CN_LXZT"),
    "commitment_breach": ("WN_LX", "WN_SX", "WN_QX", "WN_SS", "WN_XZQZ"),
}
# Fields naming the department the entry's 部门 line already names (said once).
_SAME_AS_DEPARTMENT = ("CN_SLDW", "WN_RDBM")


def record_entry(r, *, level: int, department: str, flags: list[str]) -> EntryOut:
    """A record as a report shows it: the item's own fields this reader sees (the subject
    block is the report's cover), titled by the item and the decision number."""
    item = catalog.version_definition(r.item_version_id)
    values = visible_fields(r, level)
    number = values.get(item.source_id_field) or ""
    shown = (item.source_id_field, item.decision_date_field)  # the title and 日期 say them
    order = _FIELD_ORDER.get(r.item_code, ())
    fields = [
        LabelValue(name=f.name, value=_text(values[f.code]))
        for f in sorted(item.fields, key=lambda f: order.index(f.code) if f.code in order else 99)
        if values.get(f.code) not in (None, "", [])
        and f.code not in shown
        and not (f.code in _SAME_AS_DEPARTMENT and values[f.code] == department)
    ]
    return EntryOut(
        title=f"{item.name} {number}".strip(),
        date=r.decision_date.isoformat() if r.decision_date else "",
        department=department,
        flags=flags,
        fields=fields,
    )


def record_flags(r, *, doubted: set[int], repaired: set[int]) -> list[str]:
    """What a report marks on a record: under objection, repaired, self-declared (the
    subject's own declaration a department verified)."""
    flags = [_("异议中")] if r.pk in doubted else []
    if r.pk in repaired:
        flags.append(_("已修复"))
    if r.item_code == SELF_DECLARED:
        flags.append(_("自主申报（已核实）"))
    return flags


def entry_flags(e) -> list[str]:
    """What a report marks on a list entry: under objection, removed by repair."""
    flags = [_("异议中")] if e.under_objection else []
    if e.removal_reason == RemovalReason.REPAIRED:
        flags.append(_("已修复"))
    return flags


def entry_entry(e, *, flags: list[str]) -> EntryOut:
    fields = [
        LabelValue(name=_("认定事由"), value=e.grounds),
        LabelValue(name=_("认定依据"), value=e.legal_basis),
        LabelValue(name=_("有效期"), value=term_text(e)),
    ]
    if e.decision_no:
        fields.insert(0, LabelValue(name=_("认定决定书文号"), value=e.decision_no))
    if e.status == EntryStatus.REMOVED:
        fields.append(LabelValue(name=_("移出"), value=_entry_removal(e)))
    if e.list_type.removal_conditions and e.status != EntryStatus.REMOVED:
        fields.append(LabelValue(name=_("移出条件"), value=e.list_type.removal_conditions))
    return EntryOut(
        title=e.list_type.name,
        date=e.decided_on.isoformat() if e.decided_on else "",
        department=e.department.name,
        flags=flags,
        fields=[f for f in fields if f.value],
    )


def _entry_removal(e) -> str:
    reason = RemovalReason(e.removal_reason).label if e.removal_reason else ""
    when = e.removed_at.date().isoformat() if e.removed_at else ""
    return " ".join(str(x) for x in (when, reason) if x)


def _text(value) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


class FileReader:
    """The reads behind the standard's sections, for one subject's report or a batch's
    many, set-based: each kind of row (counts, newest records, names, objections, repairs,
    what the public sees, list entries) is read once for all the subjects given — a batch
    of 1,000 review reports reads in chunks instead of 14 queries a report, a single report
    is a chunk of one. The kind decides what is read, at which level:

    - public: what the rules publish, the portal's records and the public lists in force;
    - own: the subject's whole file as it sees it (public and shared fields), every list
      entry in force, records no longer published marked;
    - review: what ``actor``'s department may see — its own records in full, shared
      records of departments sharing with it, public records of others; the lists in
      force it sees; marked as in the own report.

    ``precomputed`` (a batch of public or review reports): the counts and newest records of
    the subjects whose data computed on a batch engine is fresh (``precomputed.py``) are
    taken from it — the records then read by id — and only the others' from the records
    table; the report is the same either way (``engines/tests/test_reports.py``). A review
    report's data is its subjects' large files in groups (provider, disclosure) that the
    read rule decides on as a whole: of them, the groups ``actor`` sees
    (``report_files_fresh`` asks ``_file_records``, the database path's own queryset). The
    own report (one subject, at the subject's request) always reads the database."""

    def __init__(self, kind: str, actor: Actor, subject_ids: list[int], today: datetime.date,
                 precomputed: bool = False):  # fmt: skip
        ids = list(subject_ids)
        entries = ListEntry.objects.in_force(today)
        self.counts: dict[int, dict[str, int]] = {}
        self.rows: dict[int, list] = {}
        self.precomputed: set[int] = set()  # the subjects read from the engine's data
        if kind == ReportKind.PUBLIC:
            if precomputed:
                self._precomputed(report_data_fresh(ids, today))
            rest = [i for i in ids if i not in self.precomputed]
            records = public_records_qs(subject_ids=rest) if rest else None
            entries = entries.filter(list_type__public=True)
            self.level, self.own = (lambda r: 0), False
        else:
            if kind == ReportKind.REVIEW:
                if precomputed:
                    self._precomputed(report_files_fresh(ids, lambda s: _file_records(actor, s)))
                entries = ListEntry.objects.visible_to(actor).in_force(today)
                self.level = field_level(actor)
            else:
                self.level = lambda r: 1
            rest = [i for i in ids if i not in self.precomputed]
            records = _file_records(actor, rest) if rest else None
            self.own = True
        if records is not None:
            self._read(records.exclude(item_code__in=SKIP_ITEMS + LIST_ITEMS))
        every = [r for rows in self.rows.values() for r in rows]
        self.names = department_names()  # a few dozen rows: the requester's name too
        self.doubted = records_under_objection([r.pk for r in every])
        self.repaired = repaired_record_ids(ids) if every else set()
        self.shown = _shown_ids(every, ids) if self.own else None
        self.entries: dict[int, list] = {}
        for e in (
            entries.filter(subject_id__in=ids)
            .select_related("list_type", "department")
            .order_by("subject_id", "-decided_on", "-id")
        ):
            self.entries.setdefault(e.subject_id, []).append(e)
        # The public credit evaluation (issue #16): full in the own and review reports,
        # only what the credit office publishes in the public one.
        self.evaluations = evaluations_for_report(ids, full=kind != ReportKind.PUBLIC)

    def _read(self, records: QuerySet) -> None:
        """Counts per item and newest records of the subjects of ``records``."""
        for sid, item, n in (
            records.values_list("subject_id", "item_code").annotate(n=Count("id")).order_by()
        ):
            self.counts.setdefault(sid, {})[item] = n
        for r in _newest(records):
            self.rows.setdefault(r.subject_id, []).append(r)

    def _precomputed(self, data: dict[int, dict]) -> None:
        """Counts and newest records of the subjects in ``data`` (fresh engine data: per
        item, groups of (records, ids of the newest)): the newest ``SECTION_MAX`` of an
        item's groups read by id, in the order ``_newest`` gives them."""
        of: dict[int, int] = {}  # record id → the subject it was computed for
        parts, part = [], []  # a subject's ids in one query: the database orders them
        for sid, items in data.items():
            ids = [pk for groups in items.values() for _n, ids in groups for pk in ids]
            of.update(dict.fromkeys(ids, sid))
            part += ids
            if len(part) >= BY_ID:
                parts.append(part)
                part = []
        rows: dict[int, list] = {}
        for ids in [*parts, part] if part else parts:
            # by subject too: the records are partitioned by subject (a probe, not 16)
            subjects = sorted({of[pk] for pk in ids})
            for r in _newest(Record.objects.filter(subject_id__in=subjects, pk__in=ids)):
                rows.setdefault(of[r.pk], []).append(r)
        # Belt and braces to the freshness check: a record now another subject's, or one
        # gone (an item's newest fewer than its groups hold), sends its subject to the
        # database path.
        moved = {of[r.pk] for rs in rows.values() for r in rs if r.subject_id != of[r.pk]}
        for sid, items in data.items():
            read = Counter(r.item_code for r in rows.get(sid, ()))
            if any(read[item] != min(SECTION_MAX, sum(len(ids) for _n, ids in groups))
                   for item, groups in items.items()):  # fmt: skip
                moved.add(sid)
        self.precomputed = set(data) - moved
        for sid in self.precomputed:
            self.counts[sid] = {
                item: sum(n for n, _ids in groups) for item, groups in data[sid].items() if groups
            }
            if sid in rows:
                self.rows[sid] = rows[sid]

    def sections(self, subject_id: int) -> list[SectionOut]:
        """The standard's sections of one of the subjects read."""
        totals: dict[str, int] = {}
        for item, n in self.counts.get(subject_id, {}).items():
            key = _BY_ITEM.get(item, "other")
            totals[key] = totals.get(key, 0) + n
        by_key: dict[str, list[EntryOut]] = {s.key: [] for s in SECTIONS}
        for r in self.rows.get(subject_id, []):
            flags = record_flags(r, doubted=self.doubted, repaired=self.repaired)
            if (
                self.shown is not None
                and r.pk not in self.repaired
                and r.item_code in _SWEPT
                and r.pk not in self.shown
            ):
                flags.append(_("已不再公示"))
            entry = record_entry(
                r, level=self.level(r), department=self.names.get(r.provider_id, ""), flags=flags
            )
            by_key[_BY_ITEM.get(r.item_code, "other")].append(entry)
        for e in self.entries.get(subject_id, []):
            if e.list_type.effect == ListEffect.POSITIVE:
                key = "honors"
            elif e.list_type.code == ABNORMAL_LIST:
                key = "abnormal"
            else:
                key = "lists"
            by_key[key].append(entry_entry(e, flags=entry_flags(e)))
            totals[key] = totals.get(key, 0) + 1
        ev = self.evaluations.get(subject_id)
        if ev is not None:
            by_key["evaluation"].insert(0, evaluation_entry(ev))
            totals["evaluation"] = totals.get("evaluation", 0) + 1
        return [section(s, by_key[s.key], totals.get(s.key, 0), whole=self.own) for s in SECTIONS]


def evaluation_entry(ev: dict) -> EntryOut:
    """The public credit evaluation as a report shows it: the grade (and the score where the
    reader may see it), then each indicator's contribution where the report is the
    subject's own or a department's (``evaluation.selectors.evaluations_for_report``)."""
    fields = []
    if ev.get("score") is not None:
        fields.append(LabelValue(name=_("得分"), value=f"{ev['score']} / {ev['scale']}"))
    fields.append(LabelValue(name=_("评价模型"), value=ev["model"]))
    if "contributions" in ev:
        fields.append(LabelValue(name=_("基础分"), value=str(ev["base"])))
        fields += [
            LabelValue(name=c["name"] if c["name"] == c["dimension"]
                       else f"{c['dimension']} · {c['name']}",
                       value=f"{c['points']:+d}：{c['reason']}")
            for c in ev["contributions"]
        ]  # fmt: skip
    return EntryOut(
        title=_("公共信用综合评价 %(grade)s") % {"grade": ev["grade_label"]},
        date=ev["as_of"].isoformat(),
        department=_("信用主管部门"),
        fields=fields,
    )


# A section's order, newest first: by decision date (no date: first on PostgreSQL, last on
# SQLite, each database's own rule — the batch engines follow the database's), then id.
_NEWEST = (F("decision_date").desc(), F("id").desc())


def _newest(records: QuerySet) -> QuerySet:
    """The newest ``SECTION_MAX`` records of each subject and catalog item, newest first: a
    section's newest are among them (a chain holding thousands of licences is read 20
    deep, not whole)."""
    return (
        records.annotate(
            rank=Window(RowNumber(), partition_by=[F("subject_id"), F("item_code")],
                        order_by=_NEWEST)
        )
        .filter(rank__lte=SECTION_MAX)
        .order_by("subject_id", *_NEWEST)
    )  # fmt: skip


# What the licences and penalties sections hold in a whole-file report (own, review): every
# record in its retention, not only what the public sees.
WHOLE_FILE_NOTES = {
    "licences": ("全部行政许可（含有效期届满的）。", "未查询到行政许可信息。"),
    "penalties": ("全部行政处罚（含公示期满、依规不予公示和已修复的），各条标注其公示状态。",
                  "未查询到行政处罚信息。"),
}  # fmt: skip


def section(s: Section, entries: list[EntryOut], total: int, whole: bool = False) -> SectionOut:
    """A section with at most ``SECTION_MAX`` entries, saying how many there are in all;
    ``whole``: of a whole-file report (own, review), whose sections say so."""
    note, empty = WHOLE_FILE_NOTES.get(s.key, (s.note, s.empty)) if whole else (s.note, s.empty)
    return SectionOut(
        key=s.key, title=s.title, note=note, empty=empty, entries=entries[:SECTION_MAX],
        total=total,
    )  # fmt: skip


_SWEPT = ("administrative_licence", "administrative_penalty")


def _shown_ids(rows, subject_ids: list[int]) -> set[int]:
    """Which of these records the public sees now (for the own report's marks)."""
    swept = [r.pk for r in rows if r.item_code in _SWEPT]
    if not swept:
        return set()
    return set(
        public_records_qs(subject_ids=subject_ids).filter(pk__in=swept).values_list("pk", flat=True)
    )


def _file_records(actor: Actor, subject_ids: list[int]) -> QuerySet:
    """The records of a whole-file report (own, review): every record ``actor`` sees in its
    retention, withdrawn ones aside."""
    return (
        Record.objects.visible_to(actor)
        .filter(subject_id__in=subject_ids)
        .exclude(status__in=(RecordStatus.EXPIRED, RecordStatus.WITHDRAWN))
    )


def file_sections(kind: str, actor: Actor, subject, today: datetime.date) -> list[SectionOut]:
    """The sections of one subject's report of ``kind`` (public, own, review)."""
    return FileReader(kind, actor, [subject.pk], today).sections(subject.pk)


def overview(sections: list[SectionOut]) -> list[LabelValue]:
    """The summary the standard puts after the basic information: how many of each."""
    return [
        LabelValue(name=s.title, value=_("%(n)d 条") % {"n": s.total} if s.total else _("无"))
        for s in sections
    ]


_BREACH_TITLE = "违背信用承诺信息"  # the catalog item's name, a breach's entry title


def suggestions(sections: list[SectionOut]) -> list[str]:
    """What the subject can do about what the report shows (信用提升建议)."""
    by = {s.key: s for s in sections}
    out = []
    if by["penalties"].entries:
        out.append(
            _("对公示期内的行政处罚，在履行处罚决定、纠正失信行为并满足最短公示期后，"
              "可通过本平台“信用修复”在线申请提前结束公示。")
        )  # fmt: skip
    if by["lists"].entries:
        out.append(_("列入名单的，请按名单的移出条件纠正失信行为，期满或修复后移出名单。"))
    if by["abnormal"].entries:
        out.append(_("列入经营异常名录的，补报年度报告或更正公示信息后可向登记机关申请移出。"))
    if any(e.title.startswith(_BREACH_TITLE) for e in by["commitments"].entries):
        out.append(
            _("违背信用承诺的，纠正失信行为后可通过本平台“信用修复”在线申请修复；修复后不再"
              "公示，不适用告知承诺的限制随之解除。")
        )  # fmt: skip
    if by["coercion"].entries or by["judicial"].entries:
        out.append(_("请及时履行行政决定和生效裁判确定的义务，履行后可申请修复相关信用信息。"))
    if any(f == _("异议中") for s in sections for e in s.entries for f in e.flags):
        out.append(_("标注“异议中”的信息正在核查，结果将在办结后更新。"))
    if not out:
        out.append(_("未发现失信信息。可主动作出信用承诺、补充自愿提供的良好信息，保持良好信用。"))
    if not by["honors"].entries:
        out.append(_("可通过参与诚信建设、获得守信荣誉等方式积累良好信用信息。"))
    return out
