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

from django.db.models import Count, Q, Subquery
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
    # The system note of an alert a run closes because the rule no longer holds for its
    # subject: what must have changed, in the clerk's words.
    lapsed: str = ""

    @property
    def explanation(self) -> str:
        """The docstring, as one paragraph: what users read about the rule (Chinese: the
        lines join without spaces)."""
        return "".join(line.strip() for line in (self.fn.__doc__ or "").splitlines())


EVALUATORS: dict[str, Evaluator] = {}


def evaluator(code: str, label: str, params: type[_Params], *, lapsed: str):
    def register(fn):
        EVALUATORS[code] = Evaluator(code, label, params, fn, lapsed)
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


@evaluator(
    "commitment_due", "信用承诺临近核查期限未核查", CommitmentDue,
    lapsed="预警所涉信用承诺已核查，或已履约、违诺、失效，或核查期限已不在提示范围内",
)  # fmt: skip
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


@evaluator(
    "repeated_penalties", "一定期间内多次受到行政处罚", RepeatedPenalties,
    lapsed="统计期间内有效的行政处罚已少于规定次数（处罚已超出统计期间，或已撤销、保存期满）",
)  # fmt: skip
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


@evaluator(
    "related_person_listed", "关联人新被列入严重失信主体名单", RelatedPersonListed,
    lapsed="关联人的名单条目已移出、期满或超过提示天数，或其已不再担任该主体的职务",
)  # fmt: skip
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


@evaluator(
    "abnormal_listed", "新被列入经营异常名录", AbnormalListed,
    lapsed="经营异常名录条目已移出、期满或已超过提示天数",
)  # fmt: skip
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


@evaluator(
    "grade_fall", "公共信用综合评价等级下降", GradeFall,
    lapsed="最近一次评价的等级已不低于上一次（或下降档数不足），或评价已超过提示天数",
)  # fmt: skip
def grade_fall(p: GradeFall, today: datetime.date) -> Found:
    """主体最近一次公共信用综合评价的等级比上一次评价低（下降达到规定档数）：请查看评价
    依据中新增的失信信息，必要时提高监管频次。"""
    from django.db import connection

    from xinyong.evaluation.models import EvaluationResult, ModelVersion, SubjectGrade

    ranks = {pk: _ranks(d) for pk, d in ModelVersion.objects.values_list("pk", "definition")}
    # Only a grade at least ``steps`` below its model's best can have fallen that far: the
    # rest of the subjects (most of them, at the better grades) are not even looked at.
    can_fall = [(pk, [g for g, n in rank.items() if n >= p.steps]) for pk, rank in ranks.items()]
    can_fall = [(pk, grades) for pk, grades in can_fall if grades]
    if not can_fall:
        return {}
    since = connection.ops.adapt_datetimefield_value(
        timezone.now() - datetime.timedelta(days=p.days)
    )
    where = " OR ".join(
        f"(g.model_version_id = %s AND g.grade IN ({', '.join(['%s'] * len(grades))}))"
        for _, grades in can_fall
    )
    params = [since, *(v for pk, grades in can_fall for v in (pk, *grades))]
    # One statement: each candidate's previous result is found by one probe of the index
    # (subject, -id) — the latest result before the current one — and joined by its key;
    # a window over every result ever written would read the whole history instead.
    sql = f"""
        SELECT c.subject_id, c.result_id, c.grade, c.as_of, c.model_version_id, r.id, r.grade
        FROM (SELECT g.subject_id, g.result_id, g.grade, g.as_of, g.model_version_id,
                     (SELECT x.id FROM {EvaluationResult._meta.db_table} x
                      WHERE x.subject_id = g.subject_id AND x.id < g.result_id
                      ORDER BY x.id DESC LIMIT 1) AS prev_id
              FROM {SubjectGrade._meta.db_table} g
              WHERE g.evaluated_at >= %s AND ({where})) c
        JOIN {EvaluationResult._meta.db_table} r ON r.id = c.prev_id
        WHERE r.grade <> c.grade
    """  # noqa: S608 - table names from the models, values bound
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    found: Found = {}
    for subject, result, grade, as_of, version, prev_id, prev_grade in rows:
        rank = ranks.get(version, {})
        if grade not in rank or prev_grade not in rank:
            continue
        if rank[grade] - rank[prev_grade] < p.steps:
            continue
        as_of = as_of if isinstance(as_of, datetime.date) else datetime.date.fromisoformat(as_of)
        label = f"{as_of:%Y-%m-%d}评价等级为{grade}（上一次为{prev_grade}）"
        found[subject] = [
            _ev(EvidenceKind.RESULT, result, label, None, as_of),
            _ev(EvidenceKind.RESULT, prev_id, f"上一次评价等级{prev_grade}", None, None),
        ]
    return found
