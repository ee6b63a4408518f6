"""The health commission (市卫生健康委员会) keeps doctors' files: its clerk and business
system; a profession 医师 fed by ``practitioner_record``; a doctor bound to a portal account."""

import datetime

import pytest
from django.utils import timezone

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.accounts.choices import ApiScope, DepartmentKind, Role
from xinyong.conftest import RID
from xinyong.practitioners import services

HEALTH_USCC = "11339900450000024G"


@pytest.fixture
def health(departments, actors):
    dept = accounts.department_save(
        actor=SYSTEM,
        code="WJW",
        name="市卫生健康委员会",
        kind=DepartmentKind.ADMINISTRATIVE,
        uscc=HEALTH_USCC,
    )
    user = accounts.user_create(
        actor=SYSTEM,
        username="health_clerk",
        password="Xinyong-demo-2026",
        role=Role.DEPARTMENT_OPERATOR,
        department=dept,
    )
    _client, token = accounts.api_client_issue(
        actor=SYSTEM, name="卫健业务系统", department=dept, scopes=[s.value for s in ApiScope]
    )
    return {"department": dept, "user": user, "clerk": Actor.for_user(user), "token": token}


@pytest.fixture
def doctors(health, actors):
    return services.profession_save(
        actor=actors["operator"],
        code="doctor",
        name="医师",
        department_code="WJW",
        items=["practitioner_record"],
    )


def register(clerk, **over):
    data = {
        "profession": "doctor",
        "id_type": "resident_id",
        "id_number": RID,
        "name": "张医生",
        "licence_no": "110330000012345",
        "valid_from": datetime.date(2020, 7, 1),
    }
    data.update(over)
    return services.practitioner_register(actor=clerk, **data)


def record_row(n: int = 1, **over) -> dict:
    row = {
        "XDR_MC": "张医生",
        "XDR_LB": "自然人",
        "ZJLX": "身份证",
        "ZJHM": RID,
        "CY_BH": f"WJW-CY-2026-{n:03d}",
        "CY_ZSBH": "110330000012345",
        "CY_ZY": "医师",
        "CY_LX": "不良执业行为记分",
        "CY_NR": "未按规定书写病历，记6分",
        "CY_RQ": "2026-09-01",
        "CY_JG": "信安市卫生健康委员会",
    }
    row.update(over)
    return row


@pytest.fixture
def bound_doctor(health, doctors):
    """张医生 registered, and his own portal account bound to him."""
    from xinyong.accounts.models import User
    from xinyong.remedies.models import SubjectBinding

    p = register(health["clerk"])
    user = User.objects.create_user(username="zhang_doctor", password="x", role="public")
    SubjectBinding.objects.create(
        user=user,
        subject=p.person,
        status="approved",
        applicant="张医生",
        phone="13800000001",
        evidence_path="x.pdf",
        evidence_name="身份证.pdf",
        evidence_sha256="0" * 64,
        requested_at=timezone.now(),
        via="operator",
        reviewed_by="operator",
        reviewed_at=timezone.now(),
    )
    return p, user


def matrix_practitioner(actors) -> int:
    """The matrix's practitioner: 张三, a pharmacist registered by the market regulator."""
    services.profession_save(
        actor=actors["operator"],
        code="pharmacist",
        name="执业药师",
        department_code="SCJG",
        items=["practitioner_record"],
    )
    return register(
        actors["market_clerk"], profession="pharmacist", name="张三", licence_no="YS-2026-001"
    ).pk
