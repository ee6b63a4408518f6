"""The steps on a case page say what is wrong beside the field it is about — the form's
own check or the service's refusal — show the case again (400) and write nothing."""

import pytest
from django.test import Client

from xinyong.audit.models import AuditEvent
from xinyong.core.tests.formerrors import field_error
from xinyong.lists.models import ListEntry
from xinyong.lists.tests.conftest import designate, open_case

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _refused(client, entry, data) -> str:
    """Send a step that must be refused: the page again, the case unchanged."""
    before = (ListEntry.objects.get(pk=entry.pk).status, AuditEvent.objects.count())
    r = client.post(f"/backoffice/lists/{entry.pk}/", data)
    assert r.status_code == 400
    assert (ListEntry.objects.get(pk=entry.pk).status, AuditEvent.objects.count()) == before
    return r.content.decode()


def test_notify_without_a_notice_number_is_named_beside_it(users, actors, penalty_record):
    entry = open_case(actors, penalty_record)
    html = _refused(_login(users["market_clerk"]), entry, {"action": "notify", "notice_no": " "})
    assert field_error(html, "notify_notice_no") == "告知书文号必填"
    html = _refused(_login(users["market_clerk"]), entry,
                    {"action": "notify", "notice_no": "号" * 101})  # fmt: skip
    assert "100" in field_error(html, "notify_notice_no")  # what the case holds
    assert field_error(html, "drop_note") == ""  # another step's field says nothing


def test_hearing_nothing_within_the_period_is_named_beside_the_statement(
    users, actors, penalty_record
):
    entry = open_case(actors, penalty_record)
    clerk = _login(users["market_clerk"])
    clerk.post(f"/backoffice/lists/{entry.pk}/", {"action": "notify", "notice_no": "告〔2026〕1号"})
    html = _refused(clerk, entry, {"action": "hear", "statement": ""})
    assert "期满后方可记录“未陈述申辩”" in field_error(html, "hear_statement")


def test_a_decision_with_a_bad_date_or_term_is_named_beside_each(users, actors, penalty_record):
    entry = open_case(actors, penalty_record)
    clerk, reviewer = _login(users["market_clerk"]), _login(users["market_reviewer"])
    clerk.post(f"/backoffice/lists/{entry.pk}/", {"action": "notify", "notice_no": "告〔2026〕1号"})
    clerk.post(f"/backoffice/lists/{entry.pk}/", {"action": "hear", "statement": "对事实无异议"})
    html = _refused(reviewer, entry, {
        "action": "decide", "decision_no": "认〔2026〕1号", "decided_on": "2026-13-01",
        "term_months": "三", "statement_adoption": "rejected", "statement_reply": "事实清楚",
    })  # fmt: skip
    assert field_error(html, "decide_decided_on") == "认定日期无效，格式应为 YYYY-MM-DD"
    assert field_error(html, "decide_term_months") == "期限应为整数（月）"
    assert 'value="认〔2026〕1号"' in html  # kept as written
    html = _refused(reviewer, entry, {"action": "decide", "decision_no": ""})
    assert field_error(html, "decide_decision_no") == "认定决定书文号必填"
    assert "采纳或不予采纳的理由" in field_error(html, "decide_statement_reply")
    assert "请选择采纳情况" in field_error(html, "decide_statement_adoption")


def test_a_step_the_page_no_longer_offers_is_refused_above_the_steps(users, actors, penalty_record):
    entry = open_case(actors, penalty_record)
    html = _refused(_login(users["market_reviewer"]), entry, {"action": "publish"})
    alert = html.split('<div role="alert"><ul class="errors">', 1)[1].split("</ul>", 1)[0]
    assert "认定程序的环节不能跳过" in alert


def test_dropping_a_case_needs_its_reason_beside_it(users, actors, penalty_record):
    entry = open_case(actors, penalty_record)
    html = _refused(_login(users["market_reviewer"]), entry, {"action": "drop", "note": ""})
    assert field_error(html, "drop_note") == "不予认定须写明理由"


def test_removal_needs_a_known_reason_and_for_revocation_a_note(users, actors, penalty_record):
    entry = designate(actors, penalty_record)
    reviewer = _login(users["market_reviewer"])
    html = _refused(reviewer, entry, {"action": "remove", "reason": "whim"})
    assert field_error(html, "remove_reason").startswith("移出原因应为")
    html = _refused(reviewer, entry, {"action": "remove", "reason": "revoked", "note": ""})
    assert field_error(html, "remove_note") == "撤销移出须写明理由或复议、诉讼文书号"


def test_marking_an_objection_with_a_long_note_is_named_beside_it(users, actors, penalty_record):
    entry = designate(actors, penalty_record)
    html = _refused(_login(users["market_clerk"]), entry,
                    {"action": "objection", "under": "1", "note": "长" * 501})  # fmt: skip
    assert "500" in field_error(html, "objection_note")
    assert not ListEntry.objects.get(pk=entry.pk).under_objection
