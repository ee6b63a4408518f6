"""Runs: every organisation's grade from its facts, the same every time; an incremental run
takes only what changed, and an objection or a repair changes the grade at the next run."""

import datetime

import pytest

from xinyong.evaluation.choices import RunKind, RunStatus
from xinyong.evaluation.models import EvaluationResult, SubjectGrade
from xinyong.evaluation.scoring import Compiled
from xinyong.evaluation.tests.conftest import TODAY, evaluate, penalties
from xinyong.subjects import services as subjects

pytestmark = pytest.mark.django_db
OTHER = "91339900MA1X2Y3B1X"


@pytest.fixture
def city(actors, org_with_rep):
    """华为 with a serious penalty this year and a general one two years ago; another
    company, established in 2019, with a clean file; a person (never evaluated)."""
    penalties(
        actors["market_clerk"],
        {"CF_JDRQ": "2026-06-01", "CF_YXQ": "2027-06-01", "CF_YZCD": "严重"},
        {"CF_JDRQ": "2024-10-01", "CF_YXQ": "2025-10-01"},
    )
    other = subjects.organization_register(
        actor=actors["market_clerk"], uscc=OTHER, name="福州清白科技有限公司",
        established_on=datetime.date(2019, 3, 1),
    )  # fmt: skip
    return org_with_rep, other


def test_a_full_run_grades_every_organisation_from_its_facts(operator, city):
    huawei, other = city
    run = evaluate(operator)
    assert run.status == RunStatus.DONE and run.subjects_done == 2 == run.subjects_total
    grades = {g.subject_id: g for g in SubjectGrade.objects.all()}
    assert set(grades) == {huawei.pk, other.pk}  # the legal representative is not graded
    # 700 − 150 (a serious penalty this year) − 10 (a general one 1–3 years ago) = 540: C
    assert (grades[huawei.pk].score, grades[huawei.pk].grade) == (540, "C")
    # 700 + 7 full years × 5 = 735: B
    assert (grades[other.pk].score, grades[other.pk].grade) == (735, "B")
    result = EvaluationResult.objects.get(pk=grades[huawei.pk].result_id)
    assert result.points == {"penalties": -160}
    assert len(result.facts["pen_s1_ids"]) == 1 and result.facts["pen_g3"] == 1
    assert run.grades_changed == 2


def test_the_same_data_and_model_give_the_same_results(operator, city):
    first = evaluate(operator)
    second = evaluate(operator, kind=RunKind.FULL)
    a = EvaluationResult.objects.filter(run_id=first.pk).order_by("subject_id")
    b = EvaluationResult.objects.filter(run_id=second.pk).order_by("subject_id")
    rows = lambda qs: [(r.subject_id, r.score, r.grade, r.points, r.facts) for r in qs]  # noqa: E731
    assert rows(a) == rows(b) and len(rows(a)) == 2
    assert second.grades_changed == 0


def test_a_stored_result_replays_to_its_points(operator, city):
    """The reasons and points are re-derived from the stored facts by the stored model."""
    evaluate(operator)
    for r in EvaluationResult.objects.select_related("model_version"):
        c = Compiled(r.model_version.definition)
        replay = c.score(r.facts)
        assert (replay.score, replay.grade, replay.points) == (r.score, r.grade, r.points)
        total = c.model.base + sum(d["points"] for d in c.explain(r.facts))
        assert total == r.score


def test_an_incremental_run_takes_only_the_changed_subjects(operator, actors, city):
    huawei, other = city
    evaluate(operator)
    penalties(actors["market_clerk"], {"CF_WSH": "信市监罚〔2026〕99号", "CF_JDRQ": "2026-11-20"})
    run = evaluate(operator, kind=RunKind.INCREMENTAL)
    assert run.kind == RunKind.INCREMENTAL and run.subjects_total == 1
    assert EvaluationResult.objects.filter(run=run).get().subject_id == huawei.pk
    assert SubjectGrade.objects.get(pk=huawei.pk).score == 540 - 30
    assert SubjectGrade.objects.get(pk=other.pk).grade == "B"  # not evaluated again


def test_the_calendar_alone_re_evaluates_a_subject(operator, city):
    """A year later the serious penalty is no longer recent: an incremental run finds it."""
    huawei, _other = city
    evaluate(operator)
    run = evaluate(operator, kind=RunKind.INCREMENTAL, as_of=datetime.date(2027, 6, 2))
    evaluated = EvaluationResult.objects.filter(run=run).values_list("subject_id", flat=True)
    assert huawei.pk in set(evaluated)
    # −60 (serious, 1–3 years) − 10 (general, 1–3 years) = 630: C still, but 90 better
    assert SubjectGrade.objects.get(pk=huawei.pk).score == 630


def test_a_penalty_under_objection_is_not_counted_and_a_repair_removes_it(
    operator, actors, users, city
):
    from xinyong.records.models import Record
    from xinyong.remedies import services as remedies

    huawei, _other = city
    evaluate(operator)
    serious = Record.objects.get(subject=huawei, data__CF_YZCD="严重")
    obj = remedies.objection_file(actor=actors["market_clerk"], reasons="处罚主体认定有误",
                                  record_id=serious.pk)  # fmt: skip
    remedies.objection_mark(actor=operator, objection_id=obj.pk)
    run = evaluate(operator, kind=RunKind.INCREMENTAL)
    assert run.subjects_total == 1
    grade = SubjectGrade.objects.get(pk=huawei.pk)
    assert (grade.score, grade.grade) == (690, "B")  # only the older general penalty counts
    result = EvaluationResult.objects.get(pk=grade.result_id)
    assert result.facts["doubt"] == 1 and "pen_s1" not in result.facts


def test_one_run_at_a_time_and_a_failed_run_changes_nothing(operator, city, monkeypatch):
    from xinyong.core.errors import ValidationFailed
    from xinyong.evaluation import engine, services

    evaluate(operator)
    before = {g.subject_id: (g.score, g.result_id) for g in SubjectGrade.objects.all()}
    run = services.run_request(actor=operator, kind=RunKind.FULL, as_of=TODAY)
    with pytest.raises(ValidationFailed) as err:
        services.run_request(actor=operator, kind=RunKind.FULL)
    assert err.value.errors[0].rule == "evaluation.busy"

    def boom(*a, **kw):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(engine, "_switch", boom)
    failed = engine.run_execute(run.pk)
    assert failed.status == RunStatus.FAILED and "磁盘已满" in failed.error
    assert not EvaluationResult.objects.filter(run=run).exists()
    assert {g.subject_id: (g.score, g.result_id) for g in SubjectGrade.objects.all()} == before


def test_an_objection_upheld_removes_the_record_and_is_never_held_against_the_subject(
    operator, actors, city
):
    from xinyong.evaluation.selectors import compiled
    from xinyong.records.models import Record
    from xinyong.remedies import services as remedies

    huawei, _other = city
    serious = Record.objects.get(subject=huawei, data__CF_YZCD="严重")
    obj = remedies.objection_file(actor=actors["market_clerk"], reasons="处罚对象错误",
                                  record_id=serious.pk)  # fmt: skip
    remedies.objection_mark(actor=operator, objection_id=obj.pk)
    remedies.objection_forward(actor=operator, objection_id=obj.pk)
    remedies.objection_decide(actor=actors["market_reviewer"], objection_id=obj.pk,
                              decision="revoked", reason="处罚对象错误，撤销该记录")  # fmt: skip
    evaluate(operator)
    grade = SubjectGrade.objects.get(pk=huawei.pk)
    assert grade.score == 690  # the revoked penalty is gone; objecting cost nothing
    result = EvaluationResult.objects.get(pk=grade.result_id)
    reasons = {
        i["code"]: i["reason"]
        for d in compiled(grade.model_version).explain(result.facts)
        for i in d["indicators"]
    }
    assert reasons["objections"] == "异议成立 1 件，相关信息已更正或撤销，不计入评价"


def test_a_serious_dishonesty_entry_caps_the_grade_until_its_repair(
    operator, actors, client, users, market_token, org_with_rep
):
    """Listed with due process → D whatever the score; the repair approved → the next
    incremental run lifts it."""
    from xinyong.lists.tests.conftest import penalty_record as _record_fixture
    from xinyong.remedies import services as remedies
    from xinyong.remedies.tests.test_repairs import bound as _bound

    actor, entry, record = _bound.__wrapped__(
        client, users, actors, _record_fixture.__wrapped__(client, market_token, org_with_rep)
    )
    evaluate(operator, as_of=_today())
    grade = SubjectGrade.objects.get(pk=record.subject_id)
    assert grade.grade == "D"
    app = remedies.repair_apply(actor=actor, subject_id=record.subject_id, entry_ids=[entry.pk],
                                statement="已缴清罚款并完成整改",
                                materials={"commitment": _pdf()})  # fmt: skip
    remedies.repair_decide(actor=actors["market_reviewer"], application_id=app.pk,
                           approve=True, reason="已履行义务，同意修复")  # fmt: skip
    run = evaluate(operator, kind=RunKind.INCREMENTAL, as_of=_today())
    assert run.subjects_total == 1
    after = SubjectGrade.objects.get(pk=record.subject_id)
    assert after.grade != "D" and after.score > grade.score


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _pdf():
    from xinyong.remedies.tests.test_repairs import pdf

    return pdf()


def test_a_run_left_running_by_a_dead_worker_does_not_block_the_next(operator, city):
    import datetime as dt

    from django.utils import timezone

    from xinyong.evaluation import services

    stuck = services.run_request(actor=operator, kind=RunKind.FULL, as_of=TODAY)
    from xinyong.evaluation.models import EvaluationRun

    EvaluationRun.objects.filter(pk=stuck.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now() - dt.timedelta(hours=7)
    )
    run = evaluate(operator)
    assert run.status == RunStatus.DONE
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.FAILED and "中断" in stuck.error
