"""A public institution (市第一人民医院, USCC of a 事业单位), its superior (市卫生健康委员会)
and the audit department (市审计局) as departments of the platform, and a serious-dishonesty
decision about the hospital by the market regulator."""

import datetime

import pytest
from django.utils import timezone

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.accounts.choices import DepartmentKind, Role
from xinyong.conftest import RID
from xinyong.lists import services as lists
from xinyong.lists.models import ListEntry

HOSPITAL = "12339900450000016J"  # 事业单位 (registered by the staffing office: 12…)
HEALTH_USCC = "11339900450000024G"


@pytest.fixture
def bodies_departments(departments):
    admin = DepartmentKind.ADMINISTRATIVE
    return {
        **departments,
        "health": accounts.department_save(actor=SYSTEM, code="WJW", name="市卫生健康委员会",
                                           kind=admin, uscc=HEALTH_USCC),
        "audit": accounts.department_save(actor=SYSTEM, code="SJ", name="市审计局", kind=admin),
        "discipline": accounts.department_save(actor=SYSTEM, code="JW", name="市纪委监委",
                                               kind=admin),
    }  # fmt: skip


@pytest.fixture
def staff(bodies_departments, actors):
    def mk(username, dept, role=Role.DEPARTMENT_OPERATOR):
        user = accounts.user_create(actor=SYSTEM, username=username, password="Xinyong-demo-2026",
                                    role=role, department=bodies_departments[dept])  # fmt: skip
        return user

    users = {name: mk(name, dept) for name, dept in (
        ("health_clerk", "health"), ("audit_clerk", "audit"), ("discipline_clerk", "discipline"),
    )}  # fmt: skip
    return {**actors, **{k: Actor.for_user(u) for k, u in users.items()}, "users": users}


@pytest.fixture
def hospital(staff):
    from xinyong.bodies.services import public_body_profile_save
    from xinyong.subjects import services as subjects

    body = subjects.organization_register(actor=staff["market_clerk"], uscc=HOSPITAL,
                                          name="市第一人民医院", legal_form="事业单位")  # fmt: skip
    public_body_profile_save(actor=staff["market_clerk"], subject_id=body.pk, superior_code="WJW")
    return body


def decide(staff, subject) -> ListEntry:
    """A serious-dishonesty decision about ``subject`` by the market regulator (not yet
    published): the decision issues the notice to the superior body and the auditors."""
    entry = lists.entry_open(
        actor=staff["market_clerk"], list_code="serious_dishonesty", subject_id=subject.pk,
        grounds="采购中提供虚假材料，情节严重", legal_basis="《政府采购法》第七十七条",
        basis_kind="penalty", basis_document="信市监罚〔2026〕9号",
        national_category="market_order",
    )  # fmt: skip
    lists.entry_notify(
        actor=staff["market_clerk"], entry_id=entry.pk, notice_no="信市监告〔2026〕9号"
    )
    ListEntry.objects.filter(pk=entry.pk).update(
        statement_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    lists.entry_hear(actor=staff["market_clerk"], entry_id=entry.pk)
    return lists.entry_decide(actor=staff["market_reviewer"], entry_id=entry.pk,
                              decision_no="信市监认〔2026〕9号")  # fmt: skip


@pytest.fixture
def decided(staff, hospital) -> ListEntry:
    return decide(staff, hospital)


@pytest.fixture
def doctor(staff):
    """李医生, a registered person (the hospital's staff member)."""
    from xinyong.subjects import services as subjects

    return subjects.person_register(actor=staff["market_clerk"], id_type="resident_id",
                                    id_number=RID, name="李医生")  # fmt: skip


def misconduct_input(**over) -> dict:
    data = {
        "id_type": "resident_id", "id_number": RID, "unit_uscc": HOSPITAL,
        "number": "信市监通〔2026〕3号", "basis": "《医疗机构从业人员行为规范》第十条",
        "facts": "收受医药代表财物", "act_date": datetime.date(2026, 10, 8),
        "discipline_code": "JW", "discipline_name": "",
    }  # fmt: skip
    data.update(over)
    return data


def matrix_public_body(actors) -> tuple[int, int]:
    """The authorization matrix's public institution, designated by the market regulator
    (its superior body and auditors named, not on the platform): its id and the receipt
    of its notice to the superior body."""
    from xinyong.bodies.models import NoticeReceipt
    from xinyong.subjects import services as subjects

    body = subjects.organization_register(actor=actors["market_clerk"], uscc=HOSPITAL,
                                          name="市第一人民医院", legal_form="事业单位")  # fmt: skip
    entry = decide(actors, body)
    return body.pk, NoticeReceipt.objects.get(entry_notice__entry=entry, role="superior").pk
