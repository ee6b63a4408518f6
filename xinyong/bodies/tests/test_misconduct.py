"""Staff misconduct notices (工作人员违规失信行为通报): the unit and the discipline body are
notified and followed until acknowledged; the person's identifier is never kept or shown."""

import pytest
from django.utils import timezone

from xinyong.audit.models import AuditEvent
from xinyong.bodies import selectors, services
from xinyong.bodies.misconduct import misconduct_record
from xinyong.bodies.models import NoticeReceipt, StaffMisconduct
from xinyong.bodies.tests.conftest import misconduct_input
from xinyong.conftest import RID
from xinyong.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def test_the_unit_and_the_discipline_body_are_notified_and_acknowledge(staff, hospital, doctor):
    m = misconduct_record(actor=staff["market_clerk"], **misconduct_input())
    assert m.person == doctor and m.unit == hospital and m.department.code == "SCJG"
    receipts = {r.role: r for r in m.receipts.all()}
    unit, discipline = receipts["unit"], receipts["discipline"]
    assert (
        unit.department is None and unit.addressee_name == "市第一人民医院"
    )  # not on the platform
    assert discipline.department.code == "JW"
    assert "李医生" in m.body and "收受医药代表财物" in m.body
    # The identifier is nowhere: not in the notice, the receipts or the audit event.
    event = AuditEvent.objects.get(action="misconduct.record")
    for text in (m.body, str(event.detail), unit.title, discipline.title):
        assert RID not in text and RID[:6] + "********" not in text
    assert event.detail["person"] == doctor.pk
    # The discipline body acknowledges online; the unit's paper receipt is recorded.
    queue = selectors.receipts_queue(actor=staff["discipline_clerk"])["to_acknowledge"]
    assert [r.pk for r in queue] == [discipline.pk]
    services.receipt_acknowledge(actor=staff["discipline_clerk"], receipt_id=discipline.pk)
    services.receipt_record_paper(actor=staff["market_clerk"], receipt_id=unit.pk,
                                  signer="市第一人民医院院办 赵某", proof="送达回证 2026-7",
                                  received_on=timezone.localdate(unit.sent_at))  # fmt: skip
    assert not NoticeReceipt.objects.filter(misconduct=m, acknowledged_at__isnull=True).exists()
    # The department's list shows it; the auditor's trail shows acts, not persons.
    assert [x.pk for x in selectors.misconduct_list(actor=staff["market_clerk"])] == [m.pk]
    assert selectors.misconduct_list(actor=staff["auditor"]) == []
    assert selectors.misconduct_list(actor=staff["tax_clerk"]) == []


def test_a_unit_on_the_platform_acknowledges_online(staff, hospital, doctor, bodies_departments):
    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM

    accounts.department_save(
        actor=SYSTEM, code="YY1", name="市第一人民医院", uscc=hospital.uscc, kind="public_service"
    )
    data = misconduct_input(discipline_code="", discipline_name="市纪委驻卫健委纪检组")
    m = misconduct_record(actor=staff["market_clerk"], **data)
    receipts = {r.role: r for r in m.receipts.all()}
    assert receipts["unit"].department.code == "YY1"
    assert receipts["discipline"].department is None
    assert receipts["discipline"].addressee_name == "市纪委驻卫健委纪检组"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"id_number": ""}, "id_number"),
        ({"id_number": "110105194912310021"}, "id_number"),  # a wrong check digit
        ({"id_number": "11010519800101001X"}, "id_number"),  # registered by nobody
        ({"id_type": "driver"}, "id_type"),
        ({"unit_uscc": "914403001922038216"}, "unit"),  # 华为: not a public body
        ({"unit_uscc": "12339900450000017J"}, "unit"),  # not a valid code
        ({"number": ""}, "number"),
        ({"basis": " "}, "basis"),
        ({"facts": "收受\x00财物"}, "facts"),
        ({"act_date": None}, "act_date"),
        ({"act_date": __import__("datetime").date(2999, 1, 1)}, "act_date"),
        ({"discipline_code": "", "discipline_name": ""}, "discipline_name"),
        ({"discipline_code": "NOPE"}, "discipline_code"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    staff, hospital, doctor, org_with_rep, over, field
):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as e:
        misconduct_record(actor=staff["market_clerk"], **misconduct_input(**over))
    assert field in {err.field for err in e.value.errors}
    assert RID not in str(e.value.errors)
    assert not StaffMisconduct.objects.exists() and not NoticeReceipt.objects.exists()
    assert AuditEvent.objects.count() == before


def test_the_same_number_twice_is_refused(staff, hospital, doctor):
    misconduct_record(actor=staff["market_clerk"], **misconduct_input())
    with pytest.raises(ValidationFailed) as e:
        misconduct_record(actor=staff["market_clerk"], **misconduct_input())
    assert e.value.errors[0].field == "number"
    assert StaffMisconduct.objects.count() == 1 and NoticeReceipt.objects.count() == 2


def test_only_a_department_records_one(staff, hospital, doctor):
    with pytest.raises(PermissionDenied):
        misconduct_record(actor=staff["auditor"], **misconduct_input())
    assert not StaffMisconduct.objects.exists()
