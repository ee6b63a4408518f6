"""Items 1, 2 and 7 of the brief: the association acts as a provider only — records about
its members in its authorised items — and has none of a government department's powers;
ending the authorisation ends them all at once."""

import datetime

import pytest

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.associations import services
from xinyong.associations.limits import ITEM_RULE, MEMBER_RULE
from xinyong.associations.models import Authorisation, Membership
from xinyong.associations.tests.conftest import OUTSIDER, honor_row
from xinyong.conftest import HUAWEI
from xinyong.core.errors import PermissionDenied
from xinyong.ingest.models import Batch, BatchRow
from xinyong.ingest.services import batch_process, batch_submit_rows
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def _push(actor, rows, item="honor"):
    batch = batch_submit_rows(actor=actor, item_code=item, rows=rows, channel="api")
    return batch_process(batch_id=batch.pk)


def test_member_row_in_authorised_item_becomes_a_record(association):
    batch = _push(association["actor"], [honor_row()])
    assert (batch.created, batch.rejected) == (1, 0)
    record = Record.objects.get(item_code="honor", source_id="H-1")
    assert record.provider_id == association["dept"].pk
    assert record.subject.uscc == HUAWEI


def test_non_member_row_refused_with_its_reason_and_the_rest_accepted(association):
    rows = [honor_row(), honor_row(OUTSIDER, "信安市外来食品有限公司", "H-2")]
    batch = _push(association["actor"], rows)
    assert (batch.created, batch.rejected) == (1, 1)
    refused = BatchRow.objects.get(batch=batch, row_no=2)
    assert refused.errors[0]["rule"] == MEMBER_RULE
    assert refused.errors[0]["field"] == "XDR_SHXYM"
    assert "不是本协会会员" in refused.errors[0]["message"]
    assert not Record.objects.filter(source_id="H-2").exists()


def test_row_dated_before_joining_or_after_leaving_refused(association):
    services.member_leave(
        actor=association["actor"],
        membership_id=association["member"].pk,
        left_on=datetime.date(2026, 2, 1),
    )
    rows = [honor_row(number="H-1", day="2024-12-31"), honor_row(number="H-2", day="2026-03-01")]
    rows.append(honor_row(number="H-3", day="2026-01-31"))
    batch = _push(association["actor"], rows)
    assert (batch.created, batch.rejected) == (1, 2)
    assert Record.objects.get().source_id == "H-3"


def test_other_item_refused_outright_nothing_stored(association):
    row = {**honor_row(), "HT_BH": "C1"}
    with pytest.raises(PermissionDenied, match="未获授权"):
        batch_submit_rows(
            actor=association["actor"], item_code="contract_performance", rows=[row], channel="api"
        )
    assert not Batch.objects.exists()


def test_sanction_items_cannot_be_uploaded(association):
    with pytest.raises(PermissionDenied, match="惩戒程序"):
        batch_submit_rows(
            actor=association["actor"],
            item_code="industry_censure",
            rows=[honor_row()],
            channel="api",
        )


def test_authorisation_ended_between_receipt_and_processing_refuses_each_row(association, actors):
    batch = batch_submit_rows(
        actor=association["actor"], item_code="honor", rows=[honor_row()], channel="api"
    )
    services.authorisation_end(
        actor=actors["market_clerk"], authorisation_id=association["grant"].pk, reason="协会整改"
    )
    batch = batch_process(batch_id=batch.pk)
    assert (batch.created, batch.rejected) == (0, 1)
    assert BatchRow.objects.get(batch=batch).errors[0]["rule"] == ITEM_RULE


def test_powers_end_when_the_authorisation_ends(association, actors):
    actor = association["actor"]
    assert access.allowed(actor, Action.RECORD_SUBMIT)
    assert access.allowed(actor, Action.ASSOCIATION_ACT)
    services.authorisation_end(
        actor=actors["market_clerk"], authorisation_id=association["grant"].pk, reason="到期前终止"
    )
    assert not access.allowed(actor, Action.RECORD_SUBMIT)
    assert not access.allowed(actor, Action.ASSOCIATION_ACT)
    with pytest.raises(PermissionDenied):
        batch_submit_rows(actor=actor, item_code="honor", rows=[honor_row()], channel="api")
    with pytest.raises(PermissionDenied):
        services.member_add(actor=actor, uscc=OUTSIDER, joined_on=datetime.date(2026, 1, 1))
    assert Membership.objects.count() == 1


def test_authorisation_in_the_future_or_expired_gives_no_power(association, actors):
    Authorisation.objects.update(valid_from=datetime.date.today() + datetime.timedelta(days=1))
    assert not access.allowed(association["actor"], Action.RECORD_SUBMIT)
    Authorisation.objects.update(
        valid_from=datetime.date(2024, 1, 1), valid_to=datetime.date.today() - datetime.timedelta(1)
    )
    assert not access.allowed(association["actor"], Action.RECORD_SUBMIT)


@pytest.mark.parametrize(
    "action",
    [
        Action.CREDIT_CHECK,
        Action.PERSON_REVEAL,
        Action.REPORT_REVIEW,
        Action.REPORT_BATCH,
        Action.SUBJECT_REGISTER,
        Action.ADMINISTER,
        Action.AUDIT_READ,
        Action.REMEDY_QUEUE,
        Action.SUPERVISION_MANAGE,
        Action.COMMITMENT_HANDLE,
        Action.ASSOCIATION_AUTHORISE,
        Action.WEBHOOK_MANAGE,
    ],
)
def test_no_power_of_a_government_department(association, action):
    assert not access.allowed(association["actor"], action)


def test_no_credit_check(association):
    from xinyong.sanctions import services as sanctions

    with pytest.raises(PermissionDenied):
        sanctions.credit_check(
            actor=association["actor"], uscc=HUAWEI, matter="administrative_licensing"
        )


def test_no_persons_data(association, org_with_rep):
    from xinyong.subjects.models import RelatedPerson

    actor = association["actor"]
    assert not actor.reads_person_data
    assert not RelatedPerson.objects.visible_to(actor).exists()
    assert RelatedPerson.objects.exists()


def test_no_list_designation(association):
    from xinyong.lists import services as lists

    with pytest.raises(PermissionDenied):
        lists.entry_open(
            actor=association["actor"],
            list_code="serious_dishonesty",
            subject_id=Subject.objects.get(uscc=HUAWEI).pk,
            grounds="违规",
            legal_basis="某条",
        )


def test_no_special_or_review_report(association):
    subject = Subject.objects.get(uscc=HUAWEI)
    assert not access.allowed(association["actor"], Action.REPORT_SPECIAL, subject)
    assert not access.allowed(association["actor"], Action.REPORT_REVIEW)


def test_no_other_departments_data(association, actors):
    _push(actors["market_clerk"], [honor_row(number="M-1")])
    _push(association["actor"], [honor_row(number="H-1")])
    actor = association["actor"]
    assert set(Record.objects.visible_to(actor).values_list("source_id", flat=True)) == {"H-1"}
    assert Batch.objects.visible_to(actor).count() == 1
    # the department that authorised it sees nothing of the association's own rows either
    assert not Membership.objects.visible_to(actors["tax_clerk"]).exists()
