"""The pages: a clerk's queue and an alert with its explanation and evidence, closing it
(a missing note is said next to the field, nothing written), the credit office's rules
(a bad parameter named next to the field), the precision page, and the subject's warning
notices on its account — while another department, the public and the subject never see
the alert queue."""

import pytest
from django.urls import reverse

from xinyong.alerts.models import AlertRule
from xinyong.alerts.tests.conftest import entry, rule
from xinyong.alerts.tests.test_handling import _bound_actor
from xinyong.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _portal(client, subject):
    from xinyong.accounts.models import User

    _bound_actor(subject)
    client.force_login(User.objects.get(username="huawei_agent"))


def test_a_clerk_sees_the_queue_filters_it_and_opens_an_alert(client, users, alert):
    client.force_login(users["market_clerk"])
    page = client.get(reverse("backoffice:alerts")).content.decode()
    assert alert.number in page and "华为技术有限公司" in page
    empty = client.get(reverse("backoffice:alerts"), {"status": "closed"}).content.decode()
    assert alert.number not in empty
    other = client.get(reverse("backoffice:alerts"), {"q": "腾讯"}).content.decode()
    assert alert.number not in other
    page = client.get(reverse("backoffice:alert", args=[alert.pk])).content.decode()
    assert "关联人失信往往影响企业的经营和履约" in page  # the rule's explanation
    assert "法定代表人张三" in page and reverse("backoffice:list_case", args=[
        alert.evidence[0]["id"]]) in page  # fmt: skip
    assert AuditEvent.objects.filter(action="alert.read").count() == 1


def test_closing_without_a_note_is_refused_next_to_the_field(client, users, alert):
    client.force_login(users["market_clerk"])
    url = reverse("backoffice:alert", args=[alert.pk])
    r = client.post(url, {"step": "close", "outcome": "confirmed", "note": ""})
    assert r.status_code == 400 and "请填写处理说明" in r.content.decode()
    alert.refresh_from_db()
    assert alert.status == "open"
    r = client.post(url, {"step": "close", "outcome": "confirmed", "note": "已约谈"})
    assert r.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.outcome) == ("closed", "confirmed")


def test_another_department_the_public_and_the_subject_never_see_alerts(client, users, alert):
    client.force_login(users["tax_clerk"])
    assert alert.number not in client.get(reverse("backoffice:alerts")).content.decode()
    assert client.get(reverse("backoffice:alert", args=[alert.pk])).status_code == 404
    r = client.post(reverse("backoffice:alert", args=[alert.pk]), {"step": "acknowledge"})
    alert.refresh_from_db()
    assert alert.status == "open" and r.status_code in (302, 404)
    client.logout()
    _portal(client, alert.subject)
    assert client.get(reverse("backoffice:alerts")).status_code in (302, 403)
    assert client.get(reverse("backoffice:alert", args=[alert.pk])).status_code in (302, 403)


def test_the_bound_account_sees_and_downloads_its_warning_notice(client, alert):
    _portal(client, alert.subject)
    page = client.get(reverse("portal:account_warnings", args=[alert.subject_id]))
    notice = alert.notice
    assert notice.number in page.content.decode()
    html = page.content.decode()  # the alert itself stays internal
    assert reverse("backoffice:alert", args=[alert.pk]) not in html and "预警依据" not in html
    pdf = client.get(reverse("portal:account_warning_pdf", args=[notice.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    own = client.get(reverse("portal:account_subject", args=[alert.subject_id])).content
    assert reverse("portal:account_warnings", args=[alert.subject_id]) in own.decode()


def test_the_bound_account_is_told_of_a_new_notice(org_with_rep, person, departments):
    from xinyong.alerts.run import alerts_run
    from xinyong.remedies.models import Notification

    user = _bound_actor(org_with_rep)
    rule(
        "related_person_listed", params={"days": 30}, recipients="registering", notify_subject=True
    )
    entry(person, "serious_dishonesty", departments["tax"])
    alerts_run()
    (n,) = Notification.objects.filter(user_id=user.user_id)
    assert "失信预警提示书" in n.text
    assert n.link == reverse("portal:account_warnings", args=[org_with_rep.pk])


def test_the_credit_office_edits_a_rule_and_a_bad_parameter_is_named(client, users):
    client.force_login(users["operator"])
    found = AlertRule.objects.get(code="repeated_penalties")
    url = reverse("backoffice:alert_rule", args=[found.pk])
    form = {"name": found.name, "evaluator": "repeated_penalties", "recipients": "holders",
            "params": '{"count": 1, "days": 365}', "active": "on"}  # fmt: skip
    r = client.post(url, form)
    assert r.status_code == 400 and "count（处罚次数不少于）" in r.content.decode()
    found.refresh_from_db()
    assert found.version == 1 and found.params["count"] == 3
    assert client.post(url, form | {"params": '{"count": 5}'}).status_code == 302
    found.refresh_from_db()
    assert (found.version, found.params["count"]) == (2, 5)
    listing = client.get(reverse("backoffice:alert_rules")).content.decode()
    assert "屡罚屡犯说明违法风险较高" in listing


def test_the_precision_page_shows_each_rules_figures(client, users, alert, actors):
    from xinyong.alerts.services import alert_close

    alert_close(actor=actors["market_clerk"], alert_id=alert.pk, outcome="false_alarm",
                note="同名")  # fmt: skip
    client.force_login(users["operator"])
    page = client.get(reverse("backoffice:alert_precision")).content.decode()
    assert 'id="precision-related_person_listed"' in page and "0.0%" in page
