"""The outbound feed of commitments as an upper-level platform reads it: by cursor, page
after page, with steps written between pages — each step once, none skipped; persons'
commitments and breaches not yet decided never in it; a decided breach with its bar, and
the bar's lifting. (Steps committed concurrently: ``exchange/tests/test_log.py``.)"""

import pytest
from django.test import Client

from xinyong.commitments import services
from xinyong.commitments.models import CommitmentEvent
from xinyong.commitments.tests.conftest import pdf
from xinyong.conftest import HUAWEI, RID
from xinyong.exchange.models import Change
from xinyong.ingest.services import record_withdraw
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

FEED = "/api/v1/feeds/commitments"


def _record(actor, subject, **over):
    kw = {
        "subject_id": subject.pk,
        "matter": "government_procurement",
        "kind": "scene",
        "reason": "参加政府采购活动",
        "signatory": "张三",
        "scan": pdf("承诺书.pdf"),
    }
    kw.update(over)
    return services.commitment_record(actor=actor, **kw)


def _read_all(client, after=0, limit=2) -> tuple[list[dict], int]:
    """Every page from ``after`` on: the entries and the cursor reached."""
    got = []
    while True:
        body = client.get(FEED, {"after": after, "limit": limit}).json()
        got += body["changes"]
        if body["next_after"] is None:
            return got, after
        assert body["next_after"] > after
        after = body["next_after"]


@pytest.mark.django_db
def test_pages_by_cursor_without_gaps_or_duplicates(actors, market_token, org_with_rep):
    clerk = actors["market_clerk"]
    client = Client(headers={"Authorization": f"Bearer {market_token}"})
    made = [_record(clerk, org_with_rep, reason=f"第 {n} 次申请") for n in range(3)]
    first = client.get(FEED, {"limit": 2}).json()
    assert [e["number"] for e in first["changes"]] == [c.number for c in made[:2]]
    # Written between pages: a check of the first one and a fourth commitment.
    services.commitment_keep(actor=clerk, commitment_id=made[0].pk, note="属实")
    made.append(_record(clerk, org_with_rep, reason="第四次申请"))
    rest, cursor = _read_all(client, first["next_after"])
    seqs = [e["seq"] for e in first["changes"] + rest]
    assert seqs == sorted(set(seqs))  # in order, each once
    logged = Change.objects.filter(feed="commitments").order_by("seq")
    assert seqs == list(logged.values_list("seq", flat=True))
    assert list(logged.values_list("object_id", flat=True)) == list(
        CommitmentEvent.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert [(e["number"], e["action"]) for e in rest] == [
        (made[2].number, "sign"), (made[0].number, "keep"), (made[3].number, "sign"),
    ]  # fmt: skip
    kept = rest[1]
    assert kept["status"] == "kept" and kept["step_status"] == "kept"
    assert kept["subject"] == {"name": "华为技术有限公司", "uscc": HUAWEI}
    assert kept["department"] == {"code": "SCJG", "name": "市市场监督管理局"}
    assert kept["matter"]["code"] == "government_procurement" and kept["breach_kind"] == ""
    assert client.get(FEED, {"after": cursor}).json() == {"changes": [], "next_after": None}


@pytest.mark.django_db
def test_persons_and_undecided_breaches_stay_out(actors, market_token, org_with_rep, company):
    portal, subject = company
    clerk, reviewer = actors["market_clerk"], actors["market_reviewer"]
    client = Client(headers={"Authorization": f"Bearer {market_token}"})
    person = Subject.objects.get(kind="person")  # 张三, 华为's legal representative
    theirs = _record(clerk, person, reason="个人参加采购")
    c = _record(clerk, subject)
    _entries, cursor = _read_all(client)
    services.commitment_breach_propose(
        actor=clerk, commitment_id=c.pk, breach_kind="false",
        reasons="所承诺的资质证书并不存在", evidence=pdf(),
    )  # fmt: skip
    services.commitment_statement(actor=portal, commitment_id=c.pk, statement="正在补办")
    body = client.get(FEED, {"after": cursor}).json()
    assert body["changes"] == [] and body["next_after"] > cursor  # read past, not shown
    cursor = body["next_after"]
    services.commitment_decide(actor=reviewer, commitment_id=c.pk, breach=True, reason="不予采纳")
    decided, cursor = _read_all(client, cursor)
    assert [(e["action"], e["status"]) for e in decided] == [("decide", "breached")]
    d = decided[0]
    assert d["breach_kind"] == "false" and d["bars_every_matter"] is True
    assert d["decided_at"] and d["bar_until"] and d["lifted_at"] is None
    # The breach record withdrawn: the bar lifted, told by the feed.
    record = Record.objects.get(item_code="commitment_breach", source_id=c.number)
    record_withdraw(actor=clerk, record_id=record.pk, reason="认定有误，撤销")
    lifted, cursor = _read_all(client, cursor)
    assert [e["action"] for e in lifted] == ["lift"] and lifted[0]["lifted_at"]
    # A breach proposed, heard and not found: nothing changed for the public.
    other = _record(clerk, subject, reason="另一次申请")
    _signed, cursor = _read_all(client, cursor)
    services.commitment_breach_propose(
        actor=clerk, commitment_id=other.pk, breach_kind="broken", reasons="未按期履行",
        evidence=pdf(),
    )  # fmt: skip
    services.commitment_statement(actor=portal, commitment_id=other.pk, statement="已按期履行")
    services.commitment_decide(actor=reviewer, commitment_id=other.pk, breach=False, reason="采纳")
    assert _read_all(client, cursor)[0] == []
    everything = client.get(FEED, {"limit": 1000}).content.decode()
    assert theirs.number not in everything and RID not in everything and "张三" not in everything
    assert "propose_breach" not in everything and "breach_proposed" not in everything
