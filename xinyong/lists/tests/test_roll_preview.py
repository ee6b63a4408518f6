"""红黑榜 previewed before publication (issue #14 item 8): the credit office sees the entries
a month's roll would publish; an entry is left out only with a reason, kept with the roll
and in the audit log; what is published is what the preview showed."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.audit.models import AuditEvent
from xinyong.core.tests.visible import assert_no_codes
from xinyong.lists import services
from xinyong.lists.models import Roll, RollExclusion
from xinyong.subjects import services as subjects

pytestmark = pytest.mark.django_db
OTHER = "91339900MA1X2Y3B1X"  # valid, a second honored company


@pytest.fixture
def two_honored(actors, org_with_rep):
    other = subjects.organization_register(
        actor=actors["market_clerk"], uscc=OTHER, name="信安测试有限公司"
    )
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=10)
    entries = []
    for n, subject in enumerate((org_with_rep, other)):
        entry = services.entry_open(
            actor=actors["market_clerk"],
            list_code="honor",
            subject_id=subject.pk,
            grounds="连续三年无不良信用记录",
            legal_basis="国发〔2016〕33号：诚信典型联合激励",
            act_date=last_month,
        )
        services.entry_decide(
            actor=actors["market_reviewer"],
            entry_id=entry.pk,
            decision_no=f"信市监荣〔2026〕{n + 1}号",
            decided_on=last_month,
        )
        services.entry_publish(actor=actors["market_reviewer"], entry_id=entry.pk)
        entries.append(entry)
    return entries, last_month.strftime("%Y-%m")


def _office(users) -> Client:
    c = Client()
    c.force_login(users["operator"])
    return c


def test_the_preview_then_publication_with_an_entry_left_out(users, two_honored):
    (kept, left), period = two_honored
    office = _office(users)
    page = office.get(f"/backoffice/roll/?period={period}")
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        "华为技术有限公司" in html and "信安测试有限公司" in html and "信市监荣〔2026〕2号" in html
    )
    assert "诚信典型名单" in html or "红榜" in html
    assert_no_codes(html)
    assert not Roll.objects.exists()  # a preview writes nothing

    shown = [kept.pk, left.pk]
    # Left out without a reason: refused, nothing written, the subject named.
    r = office.post(
        "/backoffice/roll/",
        {"period": period, "shown": shown, f"exclude_{left.pk}": "on", f"reason_{left.pk}": " "},
    )
    assert r.status_code == 400 and "“信安测试有限公司”不予发布须写明理由" in r.content.decode()
    assert not Roll.objects.exists() and not RollExclusion.objects.exists()

    before = AuditEvent.objects.count()
    r = office.post(
        "/backoffice/roll/",
        {
            "period": period,
            "shown": shown,
            f"exclude_{left.pk}": "on",
            f"reason_{left.pk}": "获奖后发生安全事故，待核实",
        },
    )
    assert r.status_code == 302
    roll = Roll.objects.get(period=period)
    assert list(roll.entries.all()) == [kept]
    assert roll.exclusions.get().reason == "获奖后发生安全事故，待核实"
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "roll.publish"
    assert event.detail["excluded"] == [{"entry": left.pk, "reason": "获奖后发生安全事故，待核实"}]
    html = office.get("/backoffice/roll/").content.decode()
    assert "不予发布：信安测试有限公司" in html and "获奖后发生安全事故，待核实" in html
    public = Client().get(f"/roll/?period={period}").content.decode()
    assert "华为技术有限公司" in public and "信安测试有限公司" not in public


def test_publication_is_refused_when_the_entries_changed_since_the_preview(
    users, actors, two_honored
):
    (first, second), period = two_honored
    services.entry_remove(
        actor=actors["market_reviewer"], entry_id=second.pk, reason="revoked", note="获奖资格被撤销"
    )
    r = _office(users).post("/backoffice/roll/", {"period": period, "shown": [first.pk, second.pk]})
    assert r.status_code == 400 and "请重新预览" in r.content.decode()
    assert not Roll.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"period": "2026-13"},
        {"period": "\x00"},
        {
            "period": "{period}",
            "shown": ["{kept}", "{left}"],
            "exclude_{left}": "on",
            "reason_{left}": "长" * 501,
        },
        {"period": "{period}", "shown": ["{kept}", "{left}", "99999999999999999999"]},
        {"period": "{period}", "shown": ["{kept}", "{left}"], "exclude_424242": "on"},
    ],
)
def test_hostile_publication_writes_nothing(users, two_honored, body):
    (kept, left), period = two_honored
    fill = {"period": period, "kept": kept.pk, "left": left.pk}

    def f(v):
        return [f(x) for x in v] if isinstance(v, list) else str(v).format(**fill)

    body = {f(k): f(v) for k, v in body.items()}
    before = AuditEvent.objects.count()
    r = _office(users).post("/backoffice/roll/", body)
    if r.status_code == 302:  # a value that is no entry is ignored: the preview is published
        assert "exclude_424242" in body or "99999999999999999999" in body.get("shown", [])
        assert Roll.objects.get().entries.count() == 2
        return
    assert r.status_code == 400
    assert not Roll.objects.exists() and not RollExclusion.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_month_not_ended_is_previewed_without_the_publish_button(users):
    this_month = timezone.localdate().strftime("%Y-%m")
    html = _office(users).get(f"/backoffice/roll/?period={this_month}").content.decode()
    assert "尚未结束，月末后发布" in html and "确认发布" not in html


def test_a_clerk_sees_no_preview_and_cannot_publish(users, two_honored):
    _entries, period = two_honored
    c = Client()
    c.force_login(users["market_clerk"])
    assert "预览" not in c.get(f"/backoffice/roll/?period={period}").content.decode()
    c.post("/backoffice/roll/", {"period": period})
    assert not Roll.objects.exists()
