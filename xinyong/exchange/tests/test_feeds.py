"""The outbound feeds as a department's system reads them: one change log for every feed,
each entry with what the portal would publish at that moment, and the daily digest that a
receiver recomputes from what it stored."""

import datetime
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.conftest import HUAWEI
from xinyong.disclosure.sweep import publication_sweep
from xinyong.evaluation.tests.conftest import evaluate
from xinyong.exchange.models import Change
from xinyong.lists.tests.conftest import designate, penalty_record  # noqa: F401 - fixture


def _all(client, feed, after=0):
    got = []
    while True:
        body = client.get(f"/api/v1/feeds/{feed}", {"after": after, "limit": 2}).json()
        got += body["changes"]
        if body["next_after"] is None:
            return got
        after = body["next_after"]


@pytest.mark.django_db
def test_every_feed_reads_one_log(client, actors, market_token, penalty_record, departments):  # noqa: F811
    publication_sweep(actor=SYSTEM)
    entry = designate(actors, penalty_record)
    evaluate(actors["operator"], as_of=timezone.localdate())
    api = Client(headers={"Authorization": f"Bearer {market_token}"})
    publicity, lists = _all(api, "publicity"), _all(api, "lists")
    grades = _all(api, "evaluations")
    assert [(e["action"], e["key"]) for e in publicity] == [
        ("publish", "SCJG/administrative_penalty/信市监罚〔2026〕1号")
    ]
    assert publicity[0]["fields"]["CF_WSH"] == "信市监罚〔2026〕1号"
    assert [(e["action"], e["status"], e["list"]) for e in lists] == [
        ("publish", "published", "serious_dishonesty")
    ]
    assert lists[0]["subject"] == {"name": "华为技术有限公司", "uscc": HUAWEI}
    assert lists[0]["decision_no"] == entry.decision_no and lists[0]["key"] == str(entry.pk)
    huawei = [g for g in grades if g["subject"]["uscc"] == HUAWEI]
    assert len(huawei) == 1 and huawei[0]["grade"] == "D"  # serious dishonesty caps at D
    # One numbering for every feed: unbroken from 1 to the head, each change in one feed.
    seqs = sorted(e["seq"] for e in publicity + lists + grades)
    logged = list(Change.objects.order_by("seq").values_list("seq", "feed"))
    assert [s for s, _ in logged] == list(range(1, len(logged) + 1))
    assert set(seqs) <= {s for s, _ in logged}
    # Grades are not public: the evaluations feed needs its scope, and reading it is audited.
    assert AuditEvent.objects.filter(action="evaluation.read", object_type="feed").exists()
    _c, token = accounts.api_client_issue(
        actor=SYSTEM, name="只读双公示", department=departments["market"],
        scopes=["publicity:read"],
    )  # fmt: skip
    narrow = Client(headers={"Authorization": f"Bearer {token}"})
    assert narrow.get("/api/v1/feeds/evaluations").status_code == 403
    assert narrow.get("/api/v1/feeds/lists").status_code == 200


@pytest.mark.django_db
def test_the_daily_digest_is_what_a_receiver_recomputes(
    client,
    actors,
    market_token,
    penalty_record,  # noqa: F811
):
    designate(actors, penalty_record)
    api = Client(headers={"Authorization": f"Bearer {market_token}"})
    today = timezone.localdate()
    stored = [e for e in _all(api, "lists")]
    lines = "".join(f"{e['seq']}|{e['action']}|{e['key']}\n" for e in stored)
    body = api.get("/api/v1/feeds/lists/digest", {"day": today.isoformat()}).json()
    assert body["count"] == len(stored) == 1
    assert body["sha256"] == hashlib.sha256(lines.encode()).hexdigest()
    assert body["first_seq"] == body["last_seq"] == stored[0]["seq"]
    yesterday = today - datetime.timedelta(days=1)
    empty = api.get("/api/v1/feeds/lists/digest", {"day": yesterday.isoformat()}).json()
    assert empty["count"] == 0 and empty["sha256"] == hashlib.sha256(b"").hexdigest()
    bad = api.get("/api/v1/feeds/lists/digest", {"day": "2026-13-01"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "day"
    assert api.get("/api/v1/feeds/nothing/digest", {"day": "2026-12-01"}).status_code in (404, 422)
    cursor = api.get("/api/v1/feeds/lists", {"after": -1})
    assert cursor.status_code == 422 and cursor.json()["detail"][0]["field"] == "after"
