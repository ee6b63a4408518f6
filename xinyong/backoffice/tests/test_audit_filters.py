"""The audit log page's filters: each one narrows the list; a bad value is answered naming
the field, never with a crash."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.audit.models import AuditEvent
from xinyong.subjects import services
from xinyong.subjects.demo import make_uscc


@pytest.fixture
def page(users, actors):
    """A clerk's two registrations after the platform's own events (users, departments),
    and the auditor's client on the log page."""
    for i in range(2):
        services.organization_register(
            actor=actors["market_clerk"], uscc=make_uscc("91", "440300", 300 + i), name=f"乙{i}"
        )
    c = Client()
    c.force_login(users["auditor"])
    return c


def _seqs(client, **params) -> list[int]:
    r = client.get("/backoffice/audit/", params)
    assert r.status_code == 200
    html = r.content.decode()
    return sorted(e.seq for e in AuditEvent.objects.all() if f"<tr><td>{e.seq}</td>" in html)


def test_each_filter_narrows_the_list(page):
    every = _seqs(page)
    created = AuditEvent.objects.filter(action="subject.create")
    first = created.order_by("seq").first()
    assert len(every) == AuditEvent.objects.count() > created.count() >= 2

    assert _seqs(page, action="subject.create") == sorted(created.values_list("seq", flat=True))
    by_actor = _seqs(page, actor="market_clerk")
    assert by_actor == sorted(
        AuditEvent.objects.filter(actor_label="market_clerk").values_list("seq", flat=True)
    )
    assert 0 < len(by_actor) < len(every)
    assert _seqs(page, object_type="subject", object_id=first.object_id) == sorted(
        AuditEvent.objects.filter(object_type="subject", object_id=first.object_id).values_list(
            "seq", flat=True
        )
    )
    today = timezone.localdate()
    assert _seqs(page, date_from=today.isoformat(), date_to=today.isoformat()) == every
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert _seqs(page, date_to=yesterday) == []
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert _seqs(page, date_from=tomorrow) == []


def test_form_shows_chinese_labels_and_keeps_the_query(page):
    html = page.get("/backoffice/audit/", {"action": "subject.create"}).content.decode()
    assert '<option value="subject.create" selected>登记主体</option>' in html
    assert "<label>起始日期" in html and "信用主体</option>" in html


@pytest.mark.parametrize(
    "params, label, message",
    [
        ({"date_from": "2026-13-01"}, "起始日期", "日期格式应为 YYYY-MM-DD"),
        ({"date_to": "昨天"}, "截止日期", "日期格式应为 YYYY-MM-DD"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "截止日期", "不能早于"),
        ({"action": "subject.explode"}, "操作", "没有这种操作"),
        ({"object_type": "spaceship"}, "对象类型", "没有这种对象类型"),
        ({"object_id": "9" * 65}, "对象ID", "过长"),
    ],
)
def test_bad_filter_named_not_a_crash(page, params, label, message):
    r = page.get("/backoffice/audit/", params)
    html = r.content.decode()
    assert r.status_code == 400
    assert f"<b>{label}</b>：" in html and message in html
    assert "没有符合条件的审计事件" in html


def test_next_page_keeps_the_filters(page, monkeypatch):
    monkeypatch.setattr("xinyong.backoffice.views.PAGE", 1)
    html = page.get("/backoffice/audit/", {"action": "subject.create"}).content.decode()
    assert "?action=subject.create&amp;offset=1" in html


def test_clerk_cannot_filter_the_log(users):
    c = Client()
    c.force_login(users["market_clerk"])
    assert c.get("/backoffice/audit/", {"action": "subject.create"}).status_code == 403
    assert c.get("/backoffice/audit/", {"date_from": "bad"}).status_code == 403
