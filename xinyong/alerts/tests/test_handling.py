"""De-duplication across runs, acknowledge and close (audited, the field named on bad
input and nothing written), a closed alert that does not come back, the precision
figures, the warning notice's PDF, and who sees what."""

import pytest
from django.core.management import call_command

from xinyong.accounts.actors import Actor
from xinyong.alerts import selectors, services
from xinyong.alerts.models import Alert, AlertEvent, WarningNotice
from xinyong.alerts.run import alerts_run
from xinyong.alerts.tests.conftest import entry, rule
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.reports.tests.conftest import look

pytestmark = pytest.mark.django_db

LISTS = {"days": 30, "lists": ["serious_dishonesty", "watch"]}


def _events(action):
    return AuditEvent.objects.filter(action=action).count()


def test_a_second_run_with_the_same_evidence_writes_nothing(alert):
    before = (AlertEvent.objects.count(), AuditEvent.objects.count())
    (run,) = alerts_run()
    assert (run.raised, run.updated, run.unchanged) == ([], [], 1)
    assert (AlertEvent.objects.count(), AuditEvent.objects.count()) == before
    assert Alert.objects.count() == 1 and WarningNotice.objects.count() == 1


def test_new_evidence_updates_the_open_alert(alert, actors, person, departments):
    services.alert_acknowledge(actor=actors["market_clerk"], alert_id=alert.pk)
    entry(person, "watch", departments["tax"])
    (run,) = alerts_run()
    assert run.updated == [alert.pk] and run.raised == []
    alert.refresh_from_db()
    assert len(alert.evidence) == 2 and alert.status == "acknowledged"
    assert Alert.objects.count() == 1 and WarningNotice.objects.count() == 1
    assert alert.events.filter(action="updated").exists()


def test_acknowledge_then_close_with_outcome_and_note_each_audited(alert, actors):
    clerk = actors["market_clerk"]
    services.alert_acknowledge(actor=clerk, alert_id=alert.pk)
    assert _events("alert.acknowledge") == 1
    closed = services.alert_close(
        actor=clerk, alert_id=alert.pk, outcome="confirmed", note="已约谈法定代表人，列入重点监管"
    )
    assert (closed.status, closed.outcome, closed.closed_by) == (
        "closed",
        "confirmed",
        "market_clerk",
    )
    assert _events("alert.close") == 1
    assert [e.action for e in closed.events.all()] == ["raised", "acknowledged", "closed"]


def test_a_closed_alert_does_not_reopen_for_the_same_evidence(alert, actors, person, departments):
    services.alert_close(
        actor=actors["market_clerk"],
        alert_id=alert.pk,
        outcome="false_alarm",
        note="系同名人员，已核实",
    )
    (run,) = alerts_run()
    assert run.raised == [] and Alert.objects.count() == 1
    entry(person, "watch", departments["tax"])  # something new: a new alert
    (run,) = alerts_run()
    assert len(run.raised) == 1 and Alert.objects.filter(status="open").count() == 1


@pytest.mark.parametrize(
    ("outcome", "note", "field"),
    [
        ("", "说明", "outcome"),
        ("maybe", "说明", "outcome"),
        ("confirmed", "  ", "note"),
        ("confirmed", "x" * 2001, "note"),
        ("confirmed", "坏\x00字符", "note"),
    ],
)
def test_bad_close_names_the_field_and_writes_nothing(alert, actors, outcome, note, field):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as e:
        services.alert_close(
            actor=actors["market_clerk"], alert_id=alert.pk, outcome=outcome, note=note
        )
    assert [err.field for err in e.value.errors] == [field]
    alert.refresh_from_db()
    assert alert.status == "open" and AuditEvent.objects.count() == before


def test_closing_twice_or_acknowledging_a_closed_alert_is_refused(alert, actors):
    clerk = actors["market_clerk"]
    services.alert_close(actor=clerk, alert_id=alert.pk, outcome="confirmed", note="已处理")
    with pytest.raises(ValidationFailed) as e:
        services.alert_close(actor=clerk, alert_id=alert.pk, outcome="confirmed", note="再次")
    assert e.value.errors[0].field == "status"
    with pytest.raises(ValidationFailed):
        services.alert_acknowledge(actor=clerk, alert_id=alert.pk)


def test_another_department_the_public_and_the_subject_never_see_the_alert(alert, actors):
    for who in ("tax_clerk",):
        assert selectors.alert_queue(actor=actors[who]) == []
        with pytest.raises(NotFound):
            selectors.alert_get(actor=actors[who], alert_id=alert.pk)
        with pytest.raises(NotFound):
            services.alert_close(
                actor=actors[who], alert_id=alert.pk, outcome="confirmed", note="不是我的"
            )
    from xinyong.accounts.actors import ANONYMOUS

    with pytest.raises(PermissionDenied):
        selectors.alert_queue(actor=ANONYMOUS)
    assert [a.pk for a in selectors.alert_queue(actor=actors["market_clerk"])] == [alert.pk]
    assert [a.pk for a in selectors.alert_queue(actor=actors["auditor"])] == [alert.pk]
    with pytest.raises(PermissionDenied):  # the auditor reads, never handles
        services.alert_acknowledge(actor=actors["auditor"], alert_id=alert.pk)


def test_precision_per_rule_and_per_department(alert, actors, org_with_rep, departments):
    clerk = actors["market_clerk"]
    services.alert_close(actor=clerk, alert_id=alert.pk, outcome="confirmed", note="属实")
    rule("abnormal_listed", params={"days": 30}, recipients="named", departments=["SCJG", "SW"])
    entry(org_with_rep, "abnormal_operations", departments["market"])
    alerts_run()
    mine = Alert.objects.get(rule__code="abnormal_listed", department__code="SCJG")
    services.alert_close(actor=clerk, alert_id=mine.pk, outcome="false_alarm", note="已恢复")
    per_rule, per_dept = selectors.precision(actor=actors["operator"])
    rows = {r.rule: (r.raised, r.closed, r.confirmed, r.false_alarms, r.percent) for r in per_rule}
    assert rows == {
        "related_person_listed": (1, 1, 1, 0, "100.0%"),
        "abnormal_listed": (2, 1, 0, 1, "0.0%"),
    }
    depts = {(r.rule, r.department): r.percent for r in per_dept}
    assert depts[("abnormal_listed", "市税务局")] == "—"  # nothing closed yet
    own, _ = selectors.precision(actor=actors["tax_clerk"])  # its own alerts only
    assert [(r.rule, r.raised) for r in own] == [("abnormal_listed", 1)]


def test_the_warning_notice_is_a_pdf_with_cjk_text_for_the_bound_account(alert, actors):
    notice = WarningNotice.objects.get()
    assert notice.alert_id == alert.pk and notice.title == "规则related_person_listed"
    name, data = selectors.notice_read(actor=_bound_actor(alert.subject), notice_id=notice.pk)
    assert data.startswith(b"%PDF") and name.endswith(".pdf")
    text = look(data, "warning-notice")
    assert "失信预警提示书" in text and "华为技术有限公司" in text and "法定代表人张三" in text
    assert "不是行政处罚" in text
    assert _events("warning_notice.read") == 1
    with pytest.raises(NotFound):  # not the notice's department
        selectors.notice_read(actor=actors["tax_clerk"], notice_id=notice.pk)


def _bound_actor(subject):
    from django.utils import timezone

    from xinyong.accounts.services import portal_account_register
    from xinyong.remedies.models import SubjectBinding

    user = portal_account_register(
        username="huawei_agent",
        password="Credit-Office-2026!",
        display_name="李经办",
        email="agent@example.com",
    )
    SubjectBinding.objects.create(
        user=user,
        subject=subject,
        status="approved",
        applicant="李经办",
        phone="13800000000",
        evidence_path="x.pdf",
        evidence_name="x.pdf",
        evidence_sha256="0",
        requested_at=timezone.now(),
        via="operator",
        reviewed_by="operator",
    )
    return Actor.for_user(user)


def test_the_command_runs_the_rules_and_refuses_an_unknown_one(alert, capsys):
    call_command("alerts_run")
    assert "related_person_listed：命中主体 1，新增预警 0" in capsys.readouterr().out
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="没有预警规则"):
        call_command("alerts_run", "--rule", "nope")


def test_the_daily_upkeep_raises_alerts(org_with_rep, departments):
    from xinyong.records.tasks import upkeep_run

    rule("abnormal_listed", params={"days": 30})
    entry(org_with_rep, "abnormal_operations", departments["market"])
    upkeep_run()
    assert Alert.objects.filter(rule__code="abnormal_listed").count() == 1
