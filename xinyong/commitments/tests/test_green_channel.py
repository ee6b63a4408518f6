"""Green channel (issue #15 item 7): a subject with no negative record for three years gets
the configured incentives in the credit check — green channel and deficiency-tolerant
acceptance in licensing, fewer inspections — each with its legal basis; a recent penalty,
or a company too young to have a three-year record, gets none."""

import datetime

import pytest

from xinyong.ingest.tests.conftest import penalty, push
from xinyong.sanctions.tests.test_check import check
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def _incentives(client, token, uscc, matter):
    r = check(client, token, subject=uscc, matter=matter)
    assert r.status_code == 200, r.content
    return {m["code"]: m for m in r.json()["incentives"]}


def test_clean_record_incentives(client, market_token, org_with_rep):
    org = org_with_rep
    # Unknown establishment date: nothing proves a three-year record.
    assert _incentives(client, market_token, org.uscc, "administrative_licensing") == {}
    Subject.objects.filter(pk=org.pk).update(established_on=datetime.date(2015, 3, 1))
    got = _incentives(client, market_token, org.uscc, "administrative_licensing")
    assert set(got) == {"green_channel", "accept_with_gaps"}
    assert got["green_channel"]["trigger"] == "clean_record"
    assert got["green_channel"]["clean_years"] == 3
    assert "连续三年以上无不良信用记录" in got["green_channel"]["legal_basis"]
    assert set(_incentives(client, market_token, org.uscc, "inspection")) == {"lower_inspection"}
    assert _incentives(client, market_token, org.uscc, "government_procurement") == {}
    # A young company: no three-year record yet.
    young = datetime.date.today() - datetime.timedelta(days=400)
    Subject.objects.filter(pk=org.pk).update(established_on=young)
    assert _incentives(client, market_token, org.uscc, "administrative_licensing") == {}
    # A penalty this year ends it.
    Subject.objects.filter(pk=org.pk).update(established_on=datetime.date(2015, 3, 1))
    assert push(client, market_token, "administrative_penalty", [penalty(1)]).json()["created"]
    assert _incentives(client, market_token, org.uscc, "administrative_licensing") == {}
