"""Bad plans are refused with the field, the rule and a Chinese message, writing nothing;
results are published within 20 working days, and a negative one becomes a record."""

import datetime

import pytest
from django.utils import timezone

from xinyong.audit.models import AuditEvent
from xinyong.core import workdays
from xinyong.core.errors import ValidationFailed
from xinyong.records.models import Record
from xinyong.supervision import services
from xinyong.supervision.choices import TaskStatus
from xinyong.supervision.models import InspectionPlan, InspectionTask, PlanCandidate
from xinyong.supervision.tests.conftest import drawn, plan


def _refused(call, rule: str, field: str | None = None):
    plans, events = InspectionPlan.objects.count(), AuditEvent.objects.count()
    candidates, tasks = PlanCandidate.objects.count(), InspectionTask.objects.count()
    with pytest.raises(ValidationFailed) as e:
        call()
    rules = {(x.field, x.rule) for x in e.value.errors}
    assert any(r == rule and (field is None or f == field) for f, r in rules), rules
    assert all(x.message for x in e.value.errors)
    counts = (
        InspectionPlan.objects.count(),
        AuditEvent.objects.count(),
        PlanCandidate.objects.count(),
        InspectionTask.objects.count(),
    )
    assert counts == (plans, events, candidates, tasks)
    return e.value


def test_bad_plans_are_refused_writing_nothing(city, actors):
    clerk, item = actors["market_clerk"], city["item"]
    # A class's ratio outside the item's range (A ≤ 5 %)
    e = _refused(
        lambda: plan(clerk, [item], ratios={"A": 10, "B": 20, "C": 50, "D": 100}),
        "plan.ratio_range",
        "ratios.A",
    )
    assert "0%–5%" in e.errors[0].message
    # an unknown item
    _refused(
        lambda: services.plan_create(
            actor=clerk,
            name="x",
            item_ids=[item.pk, 999999],
            ratios={"A": 5, "B": 5, "C": 30, "D": 80},
            inspectors_per_department=2,
            period_start=timezone.localdate(),
            period_end=timezone.localdate(),
        ),
        "plan.item_unknown",
        "items",
    )
    # one inspector per task is not two; more per task than the pool holds
    _refused(lambda: plan(clerk, [item], per=1), "plan.inspectors_min")
    _refused(lambda: plan(clerk, [item], per=5), "plan.too_few_inspectors")
    # another department's item alone is not the clerk's plan
    _refused(lambda: plan(clerk, [city["tax_item"]]), "plan.no_own_item")


def test_steps_out_of_order_are_refused(city, actors):
    clerk = actors["market_clerk"]
    p = plan(clerk, [city["item"]])
    _refused(lambda: services.plan_draw(actor=clerk, plan_id=p.pk), "plan.not_frozen")
    _refused(lambda: services.plan_seed_publish(actor=clerk, plan_id=p.pk), "plan.not_frozen")
    services.plan_freeze(actor=clerk, plan_id=p.pk)
    # publishing the seed before the draw
    _refused(lambda: services.plan_seed_publish(actor=clerk, plan_id=p.pk), "plan.not_drawn")
    services.plan_draw(actor=clerk, plan_id=p.pk)
    # drawing twice, freezing again
    _refused(lambda: services.plan_draw(actor=clerk, plan_id=p.pk), "plan.drawn")
    _refused(lambda: services.plan_freeze(actor=clerk, plan_id=p.pk), "plan.drawn")


def test_too_few_eligible_inspectors_refuse_the_draw(city, actors):
    """Conflicts leave fewer eligible inspectors than a task needs: no task is written."""
    clerk, pool = actors["market_clerk"], city["market_pool"]
    from xinyong.subjects.models import Subject

    d_subject = Subject.objects.get(pk=city["ids"][30])  # class D: always drawn at 100 %
    for inspector in pool[:3]:
        services.conflict_declare(
            actor=clerk, inspector_id=inspector.pk, uscc=d_subject.uscc, reason="曾在该企业任职"
        )
    p = plan(clerk, [city["item"]])
    services.plan_freeze(actor=clerk, plan_id=p.pk)
    e = _refused(lambda: services.plan_draw(actor=clerk, plan_id=p.pk), "plan.too_few_eligible")
    assert d_subject.name in e.errors[0].message


def test_results_are_published_within_twenty_working_days(city, actors):
    clerk = actors["market_clerk"]
    p = drawn(clerk, [city["item"]])
    ok, bad = InspectionTask.objects.filter(plan=p).order_by("pk")[:2]
    today = timezone.localdate()
    t = services.task_result_record(
        actor=clerk, task_id=ok.pk, outcome="no_problem", inspected_on=today
    )
    assert t.publish_due == workdays.add_workdays(today, 20)
    assert t.status == TaskStatus.COMPLETED and not t.late
    # problems found: what was found is required
    with pytest.raises(ValidationFailed) as e:
        services.task_result_record(
            actor=clerk, task_id=bad.pk, outcome="rectified", inspected_on=today
        )
    assert e.value.errors[0].field == "findings"
    with pytest.raises(ValidationFailed):
        services.task_result_record(
            actor=clerk,
            task_id=bad.pk,
            outcome="no_problem",
            inspected_on=today + datetime.timedelta(days=1),
        )
    services.task_result_record(
        actor=clerk,
        task_id=bad.pk,
        outcome="rectified",
        inspected_on=today,
        findings="食品储存温度不符合要求",
    )
    # late: the deadline passed without publication — flagged on the dashboard's to-do list
    InspectionTask.objects.filter(pk=bad.pk).update(publish_due=today - datetime.timedelta(days=1))
    from xinyong.supervision.selectors import results_todo

    todo = results_todo(actor=clerk, today=today)
    assert todo.total == 2 and todo.items[0].late and todo.items[0].about == bad.number
    assert results_todo(actor=actors["tax_clerk"], today=today).total == 0
    # publishing: no problem → no record; a negative result → an administrative_inspection record
    services.task_result_publish(actor=clerk, task_id=ok.pk)
    assert not Record.objects.filter(item_code="administrative_inspection").exists()
    bad = services.task_result_publish(actor=clerk, task_id=bad.pk)
    record = Record.objects.get(item_code="administrative_inspection")
    assert bad.record_id == record.pk and record.subject_id == bad.subject_id
    assert record.data["JC_JG"] == "发现问题已责令改正" and record.data["JC_BH"] == bad.number
    assert bad.late  # published after its deadline
    with pytest.raises(ValidationFailed):
        services.task_result_publish(actor=clerk, task_id=bad.pk)
    with pytest.raises(ValidationFailed):
        services.task_result_record(
            actor=clerk, task_id=bad.pk, outcome="no_problem", inspected_on=today
        )


def test_another_department_cannot_act_on_the_plan(city, actors):
    from xinyong.core.errors import NotFound, PermissionDenied

    p = plan(actors["market_clerk"], [city["item"]])
    with pytest.raises(NotFound):
        services.plan_freeze(actor=actors["tax_clerk"], plan_id=p.pk)
    with pytest.raises(PermissionDenied):
        services.plan_freeze(actor=actors["auditor"], plan_id=p.pk)


def test_a_badge_registered_twice_is_told_beside_its_field(city, users):
    from django.test import Client

    c = Client()
    c.force_login(users["market_clerk"])
    r = c.post("/backoffice/inspections/inspectors/",
               {"form": "inspector", "name": "重复", "badge": "SJ0001"})  # fmt: skip
    assert r.status_code == 400 and "该执法证号已登记" in r.content.decode()
