"""Each evaluator against fixtures: it fires when it should, not when it should not, and
names the records behind it (the run raises one alert per department, with the evidence)."""

import datetime

import pytest
from django.utils import timezone

from xinyong.alerts.evaluators import EVALUATORS
from xinyong.alerts.models import Alert
from xinyong.alerts.run import alerts_run
from xinyong.alerts.tests.conftest import entry, grades, penalties, rule
from xinyong.commitments.models import Commitment
from xinyong.commitments.tests.conftest import sign
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db


def _alerts():
    return list(Alert.objects.select_related("department").order_by("department__code"))


def test_every_evaluator_explains_itself_in_chinese():
    for ev in EVALUATORS.values():
        assert len(ev.explanation) > 30 and "\n" not in ev.explanation, ev.code


def test_a_commitment_due_soon_and_unchecked_alerts_its_accepting_department(company, today):
    actor, subject = company
    c = sign(actor, subject)
    rule("commitment_due", params={"days": 7})
    Commitment.objects.filter(pk=c.pk).update(check_due=today + datetime.timedelta(days=30))
    alerts_run()
    assert _alerts() == []  # due in a month: not yet
    Commitment.objects.filter(pk=c.pk).update(check_due=today + datetime.timedelta(days=3))
    alerts_run()
    (alert,) = _alerts()
    assert alert.department.code == "SCJG" and alert.subject_id == subject.pk
    assert alert.evidence[0]["kind"] == "commitment" and alert.evidence[0]["id"] == c.pk
    assert c.number in alert.evidence[0]["label"] and "尚未核查" in alert.evidence[0]["label"]


def test_a_checked_commitment_raises_nothing(company, today):
    actor, subject = company
    c = sign(actor, subject)
    rule("commitment_due", params={"days": 7})
    Commitment.objects.filter(pk=c.pk).update(check_due=today, checked_at=timezone.now())
    alerts_run()
    assert _alerts() == []


def test_repeated_penalties_fire_at_the_count_within_the_period(actors, org_with_rep, today):
    rule("repeated_penalties", params={"count": 3, "days": 365}, recipients="holders")
    days = [today - datetime.timedelta(days=d) for d in (400, 100, 10)]
    penalties(actors["market_clerk"], *days)
    alerts_run()
    assert _alerts() == []  # only two within the year
    penalties(actors["market_clerk"], today - datetime.timedelta(days=5), first=4)
    alerts_run()
    (alert,) = _alerts()
    assert alert.department.code == "SCJG"  # the one department holding its records
    ids = {e["id"] for e in alert.evidence}
    inside = Record.objects.filter(decision_date__gte=today - datetime.timedelta(days=365))
    assert ids == set(inside.values_list("pk", flat=True)) and len(ids) == 3
    assert all("信市监罚" in e["label"] for e in alert.evidence)


def test_withdrawn_penalties_do_not_count(actors, org_with_rep, today):
    rule("repeated_penalties", params={"count": 2, "days": 365})
    penalties(actors["market_clerk"], today, today - datetime.timedelta(days=1))
    Record.objects.filter(source_id="信市监罚〔2026〕2号").update(status="withdrawn")
    alerts_run()
    assert _alerts() == []


def test_a_related_persons_new_serious_dishonesty_entry_alerts_the_organisation(
    org_with_rep, person, departments
):
    rule("related_person_listed", params={"days": 30}, recipients="registering")
    entry(person, "serious_dishonesty", departments["tax"], days_ago=60)
    alerts_run()
    assert _alerts() == []  # listed two months ago: not new
    Alert.objects.all().delete()
    from xinyong.lists.models import ListEntry

    ListEntry.objects.all().delete()
    e = entry(person, "serious_dishonesty", departments["tax"], days_ago=2)
    alerts_run()
    (alert,) = _alerts()
    assert alert.subject_id == org_with_rep.pk and alert.department.code == "SCJG"
    assert alert.evidence[0] | {"label": ""} == alert.evidence[0] | {
        "kind": "entry",
        "id": e.pk,
        "label": "",
    }
    assert "法定代表人张三" in alert.evidence[0]["label"]
    assert "严重失信主体名单" in alert.evidence[0]["label"]


def test_a_former_representatives_entry_raises_nothing(org_with_rep, person, departments, today):
    rule("related_person_listed", params={"days": 30})
    org_with_rep.related_persons.update(valid_to=today - datetime.timedelta(days=10))
    entry(person, "serious_dishonesty", departments["tax"])
    alerts_run()
    assert _alerts() == []


def test_a_new_abnormal_operations_listing_alerts_the_listing_department(org_with_rep, departments):
    rule("abnormal_listed", params={"days": 30})
    entry(org_with_rep, "watch", departments["market"])  # another list: nothing
    alerts_run()
    assert _alerts() == []
    e = entry(org_with_rep, "abnormal_operations", departments["market"])
    alerts_run()
    (alert,) = _alerts()
    assert alert.department.code == "SCJG" and alert.evidence[0]["id"] == e.pk
    assert "经营异常名录" in alert.evidence[0]["label"]


def test_a_removed_abnormal_listing_raises_nothing(org_with_rep, departments):
    rule("abnormal_listed", params={"days": 30})
    entry(org_with_rep, "abnormal_operations", departments["market"], status="removed")
    alerts_run()
    assert _alerts() == []


def test_a_falling_grade_alerts_the_registering_department(org_with_rep, person):
    rule("grade_fall", params={"steps": 1, "days": 30}, recipients="registering")
    grades(person, "B", "A")  # rising: nothing
    alerts_run()
    assert _alerts() == []
    old, new = grades(org_with_rep, "A", "B")
    alerts_run()
    (alert,) = _alerts()
    assert alert.subject_id == org_with_rep.pk and alert.department.code == "SCJG"
    assert [e["id"] for e in alert.evidence] == [new.pk, old.pk]
    assert "评价等级为B（上一次为A）" in alert.evidence[0]["label"]


def test_a_fall_smaller_than_the_rules_steps_raises_nothing(org_with_rep):
    rule("grade_fall", params={"steps": 2, "days": 30})
    grades(org_with_rep, "A", "B")
    alerts_run()
    assert _alerts() == []
    grades(org_with_rep, "A", "C")
    alerts_run()
    assert len(_alerts()) == 1
