"""The evaluators of early warning (失信预警): small functions, each reading the platform's
data set-based (one or two queries for every subject at once, never a query per subject)
and returning, for each subject it fires on, the evidence behind it. Each one's docstring
is the explanation shown to the clerk who handles its alerts (in the manner of
nomenklatura's scoring rules): it says in plain words when it fires. The parameters of
each are a small schema: a rule's JSON is validated against it, and an error names the
parameter.

Evidence is a list of ``{"kind", "id", "label", "department", "on"}``: what the record,
commitment, entry or result is, its id (the pages link it), a label a person reads,
the department it belongs to (for rules that alert the departments behind the evidence)
and its date."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field

from xinyong.alerts.choices import EvidenceKind

Found = dict[int, list[dict]]  # subject id → its evidence


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Evaluator:
    code: str
    label: str
    params: type[_Params]
    fn: Callable[..., Found]

    @property
    def explanation(self) -> str:
        """The docstring, as one paragraph: what users read about the rule (Chinese: the
        lines join without spaces)."""
        return "".join(line.strip() for line in (self.fn.__doc__ or "").splitlines())


EVALUATORS: dict[str, Evaluator] = {}


def evaluator(code: str, label: str, params: type[_Params]):
    def register(fn):
        EVALUATORS[code] = Evaluator(code, label, params, fn)
        return fn

    return register


def _ev(kind, pk, label, department, on) -> dict:
    on = on.isoformat() if on else ""
    return {"kind": str(kind), "id": pk, "label": label, "department": department, "on": on}


def _day(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


# -- (a) a commitment due soon and not yet checked ------------------------------------------
class CommitmentDue(_Params):
    days: int = Field(7, ge=1, le=90, description="核查期限前多少天提示")


@evaluator("commitment_due", "信用承诺临近核查期限未核查", CommitmentDue)
def commitment_due(p: CommitmentDue, today: datetime.date) -> Found:
    """信用承诺的核查期限将在规定天数内到期（或已过期），而受理部门尚未核查：请在期限前
    核查承诺内容是否属实、是否履约，以免失信行为未被发现。"""
    from xinyong.commitments.choices import CommitmentStatus
    from xinyong.commitments.models import Commitment

    rows = Commitment.objects.filter(
        status=CommitmentStatus.IN_FORCE,
        checked_at__isnull=True,
        check_due__isnull=False,
        check_due__lte=today + datetime.timedelta(days=p.days),
    ).values_list("pk", "subject_id", "number", "matter__name", "check_due", "department_id")
    found: Found = defaultdict(list)
    for pk, subject, number, matter, due, dept in rows:
        label = f"信用承诺 {number}（{matter}），核查期限 {due:%Y-%m-%d}，尚未核查"
        found[subject].append(_ev(EvidenceKind.COMMITMENT, pk, label, dept, due))
    return found


# -- (b) repeated penalties in a period -----------------------------------------------------
class RepeatedPenalties(_Params):
    count: int = Field(3, ge=2, le=100, description="处罚次数不少于")
    days: int = Field(365, ge=1, le=3650, description="统计期间（天）")
    item_code: str = Field(
        "administrative_penalty",
        min_length=1,
        max_length=64,
        description="目录项（默认行政处罚信息）",
    )


@evaluator("repeated_penalties", "一定期间内多次受到行政处罚", RepeatedPenalties)
def repeated_penalties(p: RepeatedPenalties, today: datetime.date) -> Found:
    """主体在规定期间内（按处罚决定日期计）受到的行政处罚达到规定次数（只计有效的记录，
    不计已撤销或保存期满的）：屡罚屡犯说明违法风险较高，建议加强监管或约谈提醒。"""
    from xinyong.records.choices import RecordStatus
    from xinyong.records.models import Record

    since = today - datetime.timedelta(days=p.days)
    base = Record.objects.filter(
        item_code=p.item_code,
        status=RecordStatus.ACTIVE,
        decision_date__gte=since,
        decision_date__lte=today,
    )
    many = (
        base.values("subject_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=p.count)
        .values("subject_id")
    )
    rows = (
        base.filter(subject_id__in=Subquery(many))
        .values_list(
            "pk", "subject_id", "source_id", "decision_date", "provider_id", "provider__name"
        )
        .order_by("subject_id", "decision_date", "pk")
    )
    found: Found = defaultdict(list)
    for pk, subject, source_id, on, dept, dept_name in rows:
        label = f"行政处罚 {source_id}（{dept_name}，{on:%Y-%m-%d}）"
        found[subject].append(_ev(EvidenceKind.RECORD, pk, label, dept, on))
    return found


# -- (c) a related person's new serious-dishonesty entry ------------------------------------
class RelatedPersonListed(_Params):
    days: int = Field(30, ge=1, le=365, description="列入后多少天内提示")
    lists: list[str] = Field(
        ["serious_dishonesty"], min_length=1, max_length=10, description="名单编码"
    )


@evaluator("related_person_listed", "关联人新被列入严重失信主体名单", RelatedPersonListed)
def related_person_listed(p: RelatedPersonListed, today: datetime.date) -> Found:
    """主体现任的法定代表人、主要负责人、实际控制人或经营者，在规定天数内新被列入严重失信
    主体名单（已公示且在有效期内）：关联人失信往往影响企业的经营和履约，建议关注该主体。"""
    from xinyong.lists.models import ListEntry, in_force_q
    from xinyong.subjects.choices import RelatedRole

    since = timezone.now() - datetime.timedelta(days=p.days)
    held = "subject__roles_held__"
    rows = ListEntry.objects.filter(
        in_force_q(today),
        Q(**{f"{held}valid_to__isnull": True}) | Q(**{f"{held}valid_to__gte": today}),
        list_type__code__in=p.lists,
        published_at__gte=since,
        subject__kind="person",
        **{f"{held}valid_from__lte": today},
    ).values_list(
        f"{held}organization_id",
        f"{held}role",
        "subject__name",
        "pk",
        "list_type__name",
        "published_at",
        "department_id",
    )
    found: Found = defaultdict(list)
    for org, role, person, entry, list_name, published, dept in rows:
        label = f"{RelatedRole(role).label}{person}于{_day(published):%Y-%m-%d}被列入{list_name}"
        found[org].append(_ev(EvidenceKind.ENTRY, entry, label, dept, _day(published)))
    return found


# -- (d) a new abnormal-operations listing --------------------------------------------------
class AbnormalListed(_Params):
    days: int = Field(30, ge=1, le=365, description="列入后多少天内提示")
    list_code: str = Field(
        "abnormal_operations", min_length=1, max_length=48, description="名单编码"
    )


@evaluator("abnormal_listed", "新被列入经营异常名录", AbnormalListed)
def abnormal_listed(p: AbnormalListed, today: datetime.date) -> Found:
    """主体在规定天数内新被列入经营异常名录（已公示且在有效期内）：经营异常往往先于失信，
    建议核实其经营状况，在办理事项时予以关注。"""
    from xinyong.lists.models import ListEntry, in_force_q

    since = timezone.now() - datetime.timedelta(days=p.days)
    rows = ListEntry.objects.filter(
        in_force_q(today), list_type__code=p.list_code, published_at__gte=since
    ).values_list(
        "pk", "subject_id", "list_type__name", "published_at", "department_id", "department__name"
    )
    found: Found = defaultdict(list)
    for pk, subject, list_name, published, dept, dept_name in rows:
        label = f"{_day(published):%Y-%m-%d}由{dept_name}列入{list_name}"
        found[subject].append(_ev(EvidenceKind.ENTRY, pk, label, dept, _day(published)))
    return found


# -- (e) a falling grade ---------------------------------------------------------------------
class GradeFall(_Params):
    steps: int = Field(1, ge=1, le=10, description="等级下降不少于几档")
    days: int = Field(30, ge=1, le=365, description="评价后多少天内提示")


def _ranks(definition: dict) -> dict[str, int]:
    """A model's grades, best first, by rank (0 the best)."""
    return {g["grade"]: n for n, g in enumerate(definition.get("grades", []))}


@evaluator("grade_fall", "公共信用综合评价等级下降", GradeFall)
def grade_fall(p: GradeFall, today: datetime.date) -> Found:
    """主体最近一次公共信用综合评价的等级比上一次评价低（下降达到规定档数）：请查看评价
    依据中新增的失信信息，必要时提高监管频次。"""
    from xinyong.evaluation.models import EvaluationResult, ModelVersion, SubjectGrade

    since = timezone.now() - datetime.timedelta(days=p.days)
    previous = EvaluationResult.objects.filter(
        subject_id=OuterRef("subject_id"), pk__lt=OuterRef("result_id")
    ).order_by("-pk")
    rows = (
        SubjectGrade.objects.filter(evaluated_at__gte=since)
        .annotate(
            prev_id=Subquery(previous.values("pk")[:1]),
            prev_grade=Subquery(previous.values("grade")[:1]),
        )
        .filter(prev_grade__isnull=False)
        .exclude(prev_grade=F("grade"))
        .values_list(
            "subject_id", "result_id", "grade", "as_of", "prev_id", "prev_grade", "model_version_id"
        )
    )
    rows = list(rows)
    ranks = {
        pk: _ranks(d)
        for pk, d in ModelVersion.objects.filter(pk__in={r[6] for r in rows}).values_list(
            "pk", "definition"
        )
    }
    found: Found = {}
    for subject, result, grade, as_of, prev_id, prev_grade, version in rows:
        rank = ranks.get(version, {})
        if grade not in rank or prev_grade not in rank:
            continue
        if rank[grade] - rank[prev_grade] < p.steps:
            continue
        label = f"{as_of:%Y-%m-%d}评价等级为{grade}（上一次为{prev_grade}）"
        found[subject] = [
            _ev(EvidenceKind.RESULT, result, label, None, as_of),
            _ev(EvidenceKind.RESULT, prev_id, f"上一次评价等级{prev_grade}", None, None),
        ]
    return found
