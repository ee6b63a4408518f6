"""红黑榜: the credit office publishes a finished month's roll of honor and dishonor entries
with their legal basis; the portal shows only entries still in effect; the daily upkeep
publishes last month's roll when nobody did."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.core.errors import PermissionDenied, ValidationFailed
from xinyong.lists import services
from xinyong.lists.models import Roll

pytestmark = pytest.mark.django_db


@pytest.fixture
def honored(actors, org_with_rep):
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=10)
    entry = services.entry_open(
        actor=actors["market_clerk"], list_code="honor", subject_id=org_with_rep.pk,
        grounds="连续三年无不良信用记录", legal_basis="国发〔2016〕33号：诚信典型联合激励",
        act_date=last_month,
    )  # fmt: skip
    services.entry_decide(actor=actors["market_reviewer"], entry_id=entry.pk,
                          decision_no="信市监荣〔2026〕9号", decided_on=last_month)  # fmt: skip
    services.entry_publish(actor=actors["market_reviewer"], entry_id=entry.pk)
    return entry, last_month.strftime("%Y-%m")


def test_roll_is_published_once_for_a_finished_month(users, actors, honored):
    entry, period = honored
    with pytest.raises(PermissionDenied):
        services.roll_publish(actor=actors["market_clerk"], period=period)
    operator = Actor.for_user(users["operator"])
    this_month = timezone.localdate().strftime("%Y-%m")
    for bad, rule in ((this_month, "period.not_ended"), ("2026-13", "period.format")):
        with pytest.raises(ValidationFailed) as e:
            services.roll_publish(actor=operator, period=bad)
        assert e.value.errors[0].rule == rule
    roll = services.roll_publish(actor=operator, period=period)
    assert list(roll.entries.all()) == [entry]
    with pytest.raises(ValidationFailed) as e:
        services.roll_publish(actor=operator, period=period)
    assert e.value.errors[0].rule == "period.published"
    page = Client().get("/roll/").content.decode()
    assert "华为技术有限公司" in page and "国发〔2016〕33号：诚信典型联合激励" in page
    # Removed from the list: off the published roll at once.
    services.entry_remove(actor=actors["market_reviewer"], entry_id=entry.pk, reason="revoked",
                          note="获奖资格被撤销")  # fmt: skip
    assert "华为技术有限公司" not in Client().get(f"/roll/?period={period}").content.decode()
    assert Client().get("/roll/?period=1999-01").status_code == 404


def test_daily_upkeep_publishes_last_month(honored):
    from xinyong.records.tasks import upkeep_run

    upkeep_run()
    assert Roll.objects.get(period=honored[1]).entries.count() == 1
    upkeep_run()  # once only
    assert Roll.objects.count() == 1
