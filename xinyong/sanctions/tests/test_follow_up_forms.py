"""The follow-up forms of a case page (joint action, rectification, interview, and their
outcome) say what is wrong beside the field it is about, show the case again (400) and
write nothing."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.audit.models import AuditEvent
from xinyong.core.tests.formerrors import field_error
from xinyong.lists.tests.conftest import designate
from xinyong.sanctions import services
from xinyong.sanctions.models import Interview, JointAction, RectificationOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(users, actors, penalty_record):
    entry = designate(actors, penalty_record)
    market = Client()
    market.force_login(users["market_clerk"])
    return entry, market


def _refused(client, entry, data) -> str:
    before = AuditEvent.objects.count()
    r = client.post(f"/backoffice/lists/{entry.pk}/follow-up/", data)
    assert r.status_code == 400
    assert AuditEvent.objects.count() == before  # nothing written
    return r.content.decode()


def test_joint_action_note_too_long_is_named_beside_it(case):
    entry, market = case
    html = _refused(market, entry, {"kind": "joint_action", "note": "长" * 501})
    assert "500" in field_error(html, "joint_action_note")
    assert not JointAction.objects.exists()


def test_rectification_without_requirement_or_term_names_each(case):
    entry, market = case
    html = _refused(market, entry, {"kind": "rectification", "content": "", "legal_basis": "",
                                    "workdays": "十"})  # fmt: skip
    assert field_error(html, "rectification_workdays") == "整改期限应为 1 至 180 个工作日"
    html = _refused(market, entry, {"kind": "rectification", "content": "", "legal_basis": "",
                                    "workdays": "500"})  # fmt: skip
    assert field_error(html, "rectification_content") == "整改要求必填"
    assert field_error(html, "rectification_legal_basis") == "整改依据必填"
    assert field_error(html, "rectification_workdays") == "整改期限应为 1 至 180 个工作日"
    assert not RectificationOrder.objects.exists()


def test_interview_with_a_bad_time_or_kind_names_each(case):
    entry, market = case
    html = _refused(market, entry, {"kind": "interview", "interview_kind": "warning",
                                    "scheduled_at": "2026-13-01 10:00",
                                    "participants": "法定代表人"})  # fmt: skip
    assert field_error(html, "interview_scheduled_at") == "约谈时间无效，格式应为 YYYY-MM-DD HH:MM"
    assert 'value="法定代表人"' in html  # kept as written
    when = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    html = _refused(market, entry, {"kind": "interview", "interview_kind": "tea",
                                    "scheduled_at": when, "participants": ""})  # fmt: skip
    assert field_error(html, "interview_interview_kind") == "约谈类型应为提示约谈或警示约谈"
    assert field_error(html, "interview_participants") == "请写明约谈对象（如法定代表人）"
    assert not Interview.objects.exists()


def test_outcomes_without_text_are_named_beside_their_row(case, actors):
    entry, market = case
    clerk = actors["market_clerk"]
    order = services.rectification_order_issue(
        actor=clerk, entry_id=entry.pk, content="补缴罚款", legal_basis="行政处罚决定",
        workdays_given=10,
    )  # fmt: skip
    talk = services.interview_schedule(
        actor=clerk, entry_id=entry.pk, kind="warning",
        scheduled_at=timezone.now() + datetime.timedelta(days=1), participants="法定代表人",
    )  # fmt: skip
    html = _refused(market, entry, {"kind": "rectification_done", "order": order.pk,
                                    "result": ""})  # fmt: skip
    assert field_error(html, f"rectification_done_{order.pk}_result") == "请填写整改结果"
    html = _refused(market, entry, {"kind": "interview_done", "interview": talk.pk,
                                    "minutes": ""})  # fmt: skip
    assert field_error(html, f"interview_done_{talk.pk}_minutes") == "请填写约谈记录"
    order.refresh_from_db()
    talk.refresh_from_db()
    assert order.status == "open" and not order.result and not talk.minutes
