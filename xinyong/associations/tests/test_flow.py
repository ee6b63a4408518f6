"""The workflows end to end: authorisation, members, campaigns, the sanction procedure to
its record in the member's file (and public censure on the portal, the others not)."""

import datetime

import pytest
from django.utils import timezone

from xinyong.associations import services
from xinyong.associations.choices import SanctionStatus
from xinyong.associations.models import Authorisation, Campaign, Membership, Sanction, Signature
from xinyong.associations.printing import notice_pdf
from xinyong.associations.tests.conftest import OUTSIDER
from xinyong.audit.models import AuditEvent
from xinyong.conftest import HUAWEI
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def _field(e) -> str:
    return e.value.errors[0].field


def test_credit_office_sees_every_authorisation_the_association_its_own(association, actors):
    assert Authorisation.objects.visible_to(actors["operator"]).count() == 1
    assert Authorisation.objects.visible_to(actors["auditor"]).count() == 1
    assert Authorisation.objects.visible_to(actors["market_clerk"]).count() == 1
    assert Authorisation.objects.visible_to(association["actor"]).count() == 1
    assert Authorisation.objects.visible_to(actors["tax_clerk"]).count() == 0


def test_only_the_granting_department_or_the_office_ends_it(association, actors):
    grant = association["grant"]
    with pytest.raises(NotFound):
        services.authorisation_end(actor=actors["tax_clerk"], authorisation_id=grant.pk, reason="x")
    with pytest.raises(PermissionDenied):  # it sees its authorisation, cannot end it
        services.authorisation_end(
            actor=association["actor"], authorisation_id=grant.pk, reason="x"
        )
    services.authorisation_end(actor=actors["operator"], authorisation_id=grant.pk, reason="撤销")
    assert Authorisation.objects.get().status == "ended"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"association_code": "NOPE"}, "association"),
        ({"association_code": "SCJG"}, "association"),  # a government department
        ({"items": []}, "items"),
        ({"items": ["no_such_item"]}, "items"),
        ({"items": ["industry_censure"]}, "items"),
        ({"items": ["intellectual_property"]}, "items"),  # the tax office does not provide it
        ({"basis": " "}, "basis"),
        ({"basis": "x" * 501}, "basis"),
        ({"valid_from": None}, "valid_from"),
        ({"valid_to": datetime.date(2024, 1, 1)}, "valid_to"),
    ],
)
def test_bad_authorisation_names_the_field_and_writes_nothing(association, actors, kw, field):
    events = AuditEvent.objects.count()
    args = {
        "association_code": "SPXH",
        "items": ["honor"],
        "basis": "决定",
        "valid_from": datetime.date(2025, 1, 1),
        **kw,
    }
    with pytest.raises(ValidationFailed) as e:
        services.authorisation_grant(actor=actors["tax_clerk"], **args)
    assert _field(e) == field
    assert Authorisation.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_association_cannot_authorise_and_auditor_neither(association, actors):
    for who in (association["actor"], actors["auditor"]):
        with pytest.raises(PermissionDenied):
            services.authorisation_grant(
                actor=who,
                association_code="SPXH",
                items=["honor"],
                basis="b",
                valid_from=datetime.date(2025, 1, 1),
            )


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"uscc": ""}, "uscc"),
        ({"uscc": "91339900MA1X2Y3B1X"}, "uscc"),  # valid, not registered
        ({"uscc": HUAWEI}, "uscc"),  # already a member
        ({"uscc": OUTSIDER, "joined_on": None}, "joined_on"),
        ({"uscc": OUTSIDER, "joined_on": datetime.date(2999, 1, 1)}, "joined_on"),
    ],
)
def test_bad_member_names_the_field(association, kw, field):
    args = {"uscc": OUTSIDER, "joined_on": datetime.date(2025, 1, 1), **kw}
    with pytest.raises(ValidationFailed) as e:
        services.member_add(actor=association["actor"], **args)
    assert _field(e) == field
    assert Membership.objects.count() == 1


def test_member_leaves_and_may_join_again(association):
    actor = association["actor"]
    with pytest.raises(ValidationFailed) as e:
        services.member_leave(
            actor=actor, membership_id=association["member"].pk, left_on=datetime.date(2024, 1, 1)
        )
    assert _field(e) == "left_on"
    services.member_leave(
        actor=actor, membership_id=association["member"].pk, left_on=datetime.date(2025, 6, 1)
    )
    services.member_add(actor=actor, uscc=HUAWEI, joined_on=datetime.date(2025, 9, 1))
    assert Membership.objects.filter(subject__uscc=HUAWEI).count() == 2


def test_campaign_signed_by_a_member_through_its_account(association, company):
    portal, huawei = company
    c = services.campaign_open(
        actor=association["actor"], title="食品安全诚信自律承诺", text="本单位承诺守法诚信经营。"
    )
    services.campaign_sign(actor=portal, campaign_id=c.pk, subject_id=huawei.pk)
    assert Signature.objects.visible_to(association["actor"]).get().subject == huawei
    with pytest.raises(ValidationFailed) as e:
        services.campaign_sign(actor=portal, campaign_id=c.pk, subject_id=huawei.pk)
    assert _field(e) == "campaign"
    outsider = Subject.objects.get(uscc=OUTSIDER)
    with pytest.raises(NotFound):
        services.campaign_sign(actor=portal, campaign_id=c.pk, subject_id=outsider.pk)
    services.campaign_close(actor=association["actor"], campaign_id=c.pk)
    assert Campaign.objects.get().status == "closed"


def _propose(association, kind="censure"):
    return services.sanction_propose(
        actor=association["actor"],
        subject_id=Subject.objects.get(uscc=HUAWEI).pk,
        kind=kind,
        facts="2026年3月抽检中发现使用过期原料。",
        basis="《市食品行业协会自律公约》第十二条",
        reasons="违反自律公约，情节较重。",
    )


def test_public_censure_procedure_ends_in_a_published_record(association, company):
    portal, _huawei = company
    actor = association["actor"]
    s = _propose(association)
    with pytest.raises(ValidationFailed):  # the member must be told first
        services.sanction_decide(
            actor=actor, sanction_id=s.pk, sanction=True, reasons="r", publish_months=6
        )
    s = services.sanction_notify(actor=actor, sanction_id=s.pk)
    _name, pdf = notice_pdf(Sanction.objects.select_related("association", "subject").get())
    assert pdf.startswith(b"%PDF") and b"FontFile" in pdf
    with pytest.raises(ValidationFailed) as e:  # the period runs, nothing said yet
        services.sanction_decide(
            actor=actor, sanction_id=s.pk, sanction=True, reasons="r", publish_months=6
        )
    assert _field(e) == "status"
    services.sanction_statement(actor=portal, sanction_id=s.pk, text="原料系供应商错发，已整改。")
    with pytest.raises(ValidationFailed) as e:
        services.sanction_decide(
            actor=actor, sanction_id=s.pk, sanction=True, reasons="r", publish_months=99
        )
    assert _field(e) == "publish_months"
    s = services.sanction_decide(
        actor=actor,
        sanction_id=s.pk,
        sanction=True,
        reasons="陈述理由不足以免除责任。",
        publish_months=6,
    )
    assert s.status == SanctionStatus.DECIDED
    record = Record.objects.get(pk=s.record_id)
    assert record.item_code == "industry_censure"
    assert record.provider_id == association["dept"].pk
    assert record.disclosure == "public"
    assert record.valid_to == s.publish_until > timezone.localdate()


def test_warning_is_kept_in_the_file_not_published(association, company):
    portal, _ = company
    actor = association["actor"]
    s = _propose(association, kind="warning")
    services.sanction_notify(actor=actor, sanction_id=s.pk)
    Sanction.objects.filter(pk=s.pk).update(statement_due=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationFailed) as e:  # too late to answer
        services.sanction_statement(actor=portal, sanction_id=s.pk, text="迟到的申辩")
    assert _field(e) == "statement"
    s = services.sanction_decide(actor=actor, sanction_id=s.pk, sanction=True, reasons="期满")
    record = Record.objects.get(pk=s.record_id)
    assert record.item_code == "industry_sanction"
    assert record.disclosure != "public"


def test_dropped_sanction_files_nothing(association):
    s = _propose(association, kind="criticism")
    services.sanction_notify(actor=association["actor"], sanction_id=s.pk)
    Sanction.objects.filter(pk=s.pk).update(statement_due=datetime.date(2025, 1, 1))
    s = services.sanction_decide(
        actor=association["actor"], sanction_id=s.pk, sanction=False, reasons="情节轻微"
    )
    assert s.status == SanctionStatus.DROPPED
    assert not Record.objects.exists()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"kind": "fine"}, "kind"),
        ({"facts": ""}, "facts"),
        ({"basis": "x" * 501}, "basis"),
        ({"reasons": " "}, "reasons"),
    ],
)
def test_bad_proposal_names_the_field_and_writes_nothing(association, kw, field):
    args = {
        "subject_id": Subject.objects.get(uscc=HUAWEI).pk,
        "kind": "warning",
        "facts": "f",
        "basis": "b",
        "reasons": "r",
        **kw,
    }
    with pytest.raises(ValidationFailed) as e:
        services.sanction_propose(actor=association["actor"], **args)
    assert _field(e) == field
    assert not Sanction.objects.exists()


def test_no_sanction_against_a_non_member(association):
    with pytest.raises(ValidationFailed) as e:
        services.sanction_propose(
            actor=association["actor"],
            subject_id=Subject.objects.get(uscc=OUTSIDER).pk,
            kind="warning",
            facts="f",
            basis="b",
            reasons="r",
        )
    assert _field(e) == "subject"
