import pytest

from xinyong.ingest.tests.conftest import penalty, push
from xinyong.lists import services
from xinyong.records.models import Record

GROUNDS = "在商品包装上作虚假宣传，情节严重，造成恶劣社会影响"
BASIS = "《中华人民共和国反不正当竞争法》第二十条；国办发〔2020〕49号"


@pytest.fixture
def penalty_record(client, market_token, org_with_rep) -> Record:
    """The market regulator's penalty decision against 华为技术有限公司 (2026-11-02)."""
    assert push(client, market_token, "administrative_penalty", [penalty(1)]).json()["created"]
    return Record.objects.get(source_id="信市监罚〔2026〕1号")


def open_case(actors, record, who="market_clerk", **over):
    kw = {
        "list_code": "serious_dishonesty",
        "subject_id": record.subject_id,
        "grounds": GROUNDS,
        "legal_basis": BASIS,
        "basis_kind": "penalty",
        "basis_record_ids": [record.pk],
        "national_category": "market_order",
    }
    kw.update(over)
    return services.entry_open(actor=actors[who], **kw)


def designate(actors, record, *, statement="", **over):
    """A serious-dishonesty entry through every step, published."""
    import datetime

    from django.utils import timezone

    from xinyong.lists.models import ListEntry

    entry = open_case(actors, record, **over)
    services.entry_notify(
        actor=actors["market_clerk"], entry_id=entry.pk, notice_no="信市监告〔2026〕1号"
    )
    if not statement:  # the statement period has ended without one
        ListEntry.objects.filter(pk=entry.pk).update(
            statement_due=timezone.localdate() - datetime.timedelta(days=1)
        )
    services.entry_hear(actor=actors["market_clerk"], entry_id=entry.pk, statement=statement)
    services.entry_decide(
        actor=actors["market_reviewer"],
        entry_id=entry.pk,
        decision_no="信市监认〔2026〕1号",
        statement_adoption="rejected" if statement else "",
        statement_reply="所述整改发生在违法行为之后，不影响认定" if statement else "",
    )
    return services.entry_publish(actor=actors["market_reviewer"], entry_id=entry.pk)
