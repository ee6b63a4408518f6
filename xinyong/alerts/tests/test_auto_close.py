"""Auto-close: a run that finds a rule no longer holding for a subject closes its open or
acknowledged alert — outcome ``lapsed``, a system note naming why, one UPDATE for the whole
rule, one audit event with the count — and a closed alert holds back the same evidence only
while the rule keeps holding: when it holds again later, a new alert is raised. The grade
evaluator reads the platform in a fixed number of statements, whatever the subjects."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xinyong.alerts import selectors, services
from xinyong.alerts.evaluators import EVALUATORS
from xinyong.alerts.models import Alert
from xinyong.alerts.run import alerts_run
from xinyong.alerts.tests.conftest import entry, grades, rule
from xinyong.audit.models import AuditEvent
from xinyong.commitments.models import Commitment
from xinyong.commitments.tests.conftest import sign
from xinyong.core.errors import ValidationFailed
from xinyong.lists.models import ListEntry

pytestmark = pytest.mark.django_db
LAPSED = EVALUATORS["abnormal_listed"].lapsed


def _listed(org, depts, **over):
    rule("abnormal_listed", params={"days": 30}, **over)
    return entry(org, "abnormal_operations", depts["market"])


def _sql(queries, verb: str, table: str) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith(verb) and table in q["sql"]]


def test_a_checked_commitment_closes_its_acknowledged_alert_with_a_note(company, today, actors):
    actor, subject = company
    c = sign(actor, subject)
    rule("commitment_due", params={"days": 7})
    Commitment.objects.filter(pk=c.pk).update(check_due=today + datetime.timedelta(days=3))
    alerts_run()
    alert = Alert.objects.get()
    services.alert_acknowledge(actor=actors["market_clerk"], alert_id=alert.pk)
    Commitment.objects.filter(pk=c.pk).update(checked_at=timezone.now())
    (run,) = alerts_run()
    alert.refresh_from_db()
    assert run.closed == [alert.pk] and run.raised == []
    assert (alert.status, alert.outcome, alert.closed_by) == ("closed", "lapsed", "system")
    assert alert.note.startswith("规则不再成立，系统自动关闭：")
    assert EVALUATORS["commitment_due"].lapsed in alert.note and alert.lapsed_at
    assert [e.action for e in alert.events.all()] == ["raised", "acknowledged", "auto_closed"]
    event = AuditEvent.objects.get(action="alerts.auto_close")
    assert event.object_id == "commitment_due" and event.actor_label == "system"
    assert event.detail["closed"] == 1 and event.detail["ids"] == [alert.pk]
    (again,) = alerts_run()  # nothing left to close: no event
    assert again.closed == [] and AuditEvent.objects.filter(action="alerts.auto_close").count() == 1


def test_one_update_closes_every_alert_of_the_rule(org_with_rep, departments):
    e = _listed(org_with_rep, departments, recipients="named", departments=["SCJG", "SW", "ZJ"])
    alerts_run()
    assert Alert.objects.filter(status="open").count() == 3
    ListEntry.objects.filter(pk=e.pk).update(status="removed")
    with CaptureQueriesContext(connection) as ctx:
        (run,) = alerts_run()
    assert len(run.closed) == 3 and not Alert.objects.filter(status="open").exists()
    assert len(_sql(ctx.captured_queries, "UPDATE", "alerts_alert")) == 1
    assert len(_sql(ctx.captured_queries, "INSERT", "alerts_alertevent")) == 1
    (event,) = AuditEvent.objects.filter(action="alerts.auto_close")
    assert event.detail["closed"] == 3 and sorted(event.detail["ids"]) == run.closed
    assert {a.note for a in Alert.objects.all()} == {f"规则不再成立，系统自动关闭：{LAPSED}"}


def test_an_auto_closed_alert_comes_back_as_a_new_one_when_the_rule_holds_again(
    org_with_rep, departments
):
    e = _listed(org_with_rep, departments)
    alerts_run()
    first = Alert.objects.get()
    ListEntry.objects.filter(pk=e.pk).update(status="removed")
    alerts_run()
    ListEntry.objects.filter(pk=e.pk).update(status="published")  # in force again: same entry
    (run,) = alerts_run()
    (new,) = Alert.objects.filter(status="open")
    assert run.raised == [new.pk] and new.pk != first.pk
    assert new.evidence == Alert.objects.get(pk=first.pk).evidence  # the same facts
    assert Alert.objects.get(pk=first.pk).status == "closed"


def test_a_department_closed_alert_holds_back_its_facts_only_while_the_rule_holds(
    org_with_rep, departments, actors
):
    e = _listed(org_with_rep, departments)
    alerts_run()
    alert = Alert.objects.get()
    services.alert_close(actor=actors["market_clerk"], alert_id=alert.pk,
                         outcome="false_alarm", note="已核实，名录登记有误")  # fmt: skip
    (run,) = alerts_run()  # still holds: the department's judgement stands
    assert run.raised == [] and Alert.objects.count() == 1
    ListEntry.objects.filter(pk=e.pk).update(status="removed")
    (run,) = alerts_run()
    alert.refresh_from_db()
    assert run.closed == [] and run.forgotten == 1
    assert (alert.outcome, alert.note, alert.closed_by) == (
        "false_alarm", "已核实，名录登记有误", "market_clerk",
    )  # fmt: skip
    assert alert.lapsed_at is not None
    assert AuditEvent.objects.get(action="alerts.auto_close").detail["released"] == 1
    ListEntry.objects.filter(pk=e.pk).update(status="published")
    (run,) = alerts_run()
    assert len(run.raised) == 1 and Alert.objects.filter(status="open").count() == 1


def test_a_department_may_not_close_with_the_runs_outcome(alert, actors, client, users):
    with pytest.raises(ValidationFailed) as e:
        services.alert_close(actor=actors["market_clerk"], alert_id=alert.pk,
                             outcome="lapsed", note="规则不再成立")  # fmt: skip
    assert e.value.errors[0].field == "outcome"
    page = Client()
    page.force_login(users["market_clerk"])
    assert 'value="lapsed"' not in page.get(f"/backoffice/alerts/{alert.pk}/").content.decode()


def test_pages_and_api_tell_the_automatic_closing_by_name(
    org_with_rep, departments, users, market_token
):
    e = _listed(org_with_rep, departments)
    alerts_run()
    alert = Alert.objects.get()
    ListEntry.objects.filter(pk=e.pk).update(status="removed")
    alerts_run()
    clerk = Client()
    clerk.force_login(users["market_clerk"])
    html = clerk.get(f"/backoffice/alerts/{alert.pk}/").content.decode()
    assert "规则不再成立（自动关闭）" in html and "自动关闭" in html and LAPSED in html
    assert "平台（自动）" in html and "system" not in html.split("<main", 1)[1]
    assert 'id="close-form"' not in html
    queue = clerk.get("/backoffice/alerts/", {"outcome": "lapsed"}).content.decode()
    assert alert.number in queue
    figures = clerk.get("/backoffice/alerts/precision/").content.decode()
    row = figures.split('id="precision-abnormal_listed"')[1].split("</tr>")[0]
    assert row.count("<td>") == 7 and "<td>1</td><td>—</td>" in row  # auto-closed: 1, no precision
    api = Client(headers={"Authorization": f"Bearer {market_token}"})
    body = api.get(f"/api/v1/alerts/{alert.pk}").json()
    assert body["outcome"] == "lapsed" and LAPSED in body["note"]
    bad = api.post(f"/api/v1/alerts/{alert.pk}/close", {"outcome": "lapsed", "note": "x"},
                   content_type="application/json")  # fmt: skip
    assert bad.status_code == 422


def test_precision_leaves_auto_closed_alerts_out(org_with_rep, departments, actors):
    e = _listed(org_with_rep, departments)
    alerts_run()
    ListEntry.objects.filter(pk=e.pk).update(status="removed")
    alerts_run()
    (per_rule,), _ = selectors.precision(actor=actors["operator"])
    assert (per_rule.raised, per_rule.closed, per_rule.lapsed) == (1, 0, 1)
    assert per_rule.precision is None


def test_a_falling_grade_that_recovers_is_closed(org_with_rep):
    rule("grade_fall", params={"steps": 1, "days": 30}, recipients="registering")
    grades(org_with_rep, "A", "B")
    alerts_run()
    alert = Alert.objects.get()
    grades(org_with_rep, "A", "B", "A")  # re-evaluated: back to A
    (run,) = alerts_run()
    assert run.closed == [alert.pk]
    assert EVALUATORS["grade_fall"].lapsed in Alert.objects.get(pk=alert.pk).note


def _orgs(actors, n: int, first: int = 0):
    from xinyong.subjects import services as subjects
    from xinyong.subjects.demo import CITY_REGION, make_uscc

    clerk = actors["market_clerk"]
    return [
        subjects.organization_register(
            actor=clerk, uscc=make_uscc("91", CITY_REGION, 5000 + i), name=f"信安市测试{i}有限公司"
        )
        for i in range(first, first + n)
    ]


def test_the_grade_evaluator_reads_in_a_fixed_number_of_statements(actors):
    """No query per subject: three falling subjects and twelve take as many statements."""
    ev = EVALUATORS["grade_fall"]
    params = ev.params.model_validate({"steps": 1, "days": 30})
    counts = []
    for n, first in ((3, 0), (12, 3)):
        for org in _orgs(actors, n, first):
            grades(org, "A", "C")
        with CaptureQueriesContext(connection) as ctx:
            found = ev.fn(params, timezone.localdate())
        assert len(found) == first + n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 2
