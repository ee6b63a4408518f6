import datetime

import pytest

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.accounts.choices import ApiScope, DepartmentKind, Role
from xinyong.associations import services
from xinyong.conftest import HUAWEI

ASSOC_USCC = "51339900MA0000015R"  # 市食品行业协会
OUTSIDER = "91339900MA00078T4C"  # registered, never a member


@pytest.fixture
def association(departments, actors, org_with_rep):
    """市食品行业协会: a department of the kind association, its subject registered, a
    clerk, an authorisation by the market regulator for honours, 华为 a member and an
    outsider registered."""
    from xinyong.subjects import services as subjects

    dept = accounts.department_save(
        actor=SYSTEM,
        code="SPXH",
        name="市食品行业协会",
        kind=DepartmentKind.ASSOCIATION,
        uscc=ASSOC_USCC,
    )
    subjects.organization_register(
        actor=actors["market_clerk"], uscc=ASSOC_USCC, name="市食品行业协会"
    )
    subjects.organization_register(
        actor=actors["market_clerk"], uscc=OUTSIDER, name="信安市外来食品有限公司"
    )
    clerk = accounts.user_create(
        actor=SYSTEM,
        username="xh_clerk",
        password="Xinyong-demo-2026",
        role=Role.ASSOCIATION_CLERK,
        department=dept,
    )
    granted = services.authorisation_grant(
        actor=actors["market_clerk"],
        association_code="SPXH",
        items=["honor"],
        basis="市市场监管局关于授权市食品行业协会建立会员信用记录的决定",
        valid_from=datetime.date(2025, 1, 1),
    )
    actor = Actor.for_user(clerk)
    member = services.member_add(actor=actor, uscc=HUAWEI, joined_on=datetime.date(2025, 1, 1))
    return {"dept": dept, "user": clerk, "actor": actor, "grant": granted, "member": member}


@pytest.fixture
def association_token(association):
    _client, token = accounts.api_client_issue(
        actor=SYSTEM,
        name="食品行业协会会员系统",
        department=association["dept"],
        scopes=[s.value for s in ApiScope],
    )
    return token


def honor_row(uscc=HUAWEI, name="华为技术有限公司", number="H-1", day="2026-01-05"):
    return {
        "XDR_MC": name,
        "XDR_LB": "法人及非法人组织",
        "XDR_SHXYM": uscc,
        "RY_BH": number,
        "RY_MC": "诚信经营示范会员",
        "RY_JB": "市级",
        "RY_SYRQ": day,
        "RY_SYDW": "市食品行业协会",
    }


from xinyong.commitments.tests.conftest import company  # noqa: E402, F401 - 华为's bound account


def decided(association, kind="censure", months=6, facts="2026年3月抽检中发现使用过期原料。"):
    """A sanction of ``kind`` against 华为, told and decided after its period ran out
    (its record filed); a censure shown for ``months``."""
    from xinyong.associations.models import Sanction
    from xinyong.subjects.models import Subject

    actor = association["actor"]
    s = services.sanction_propose(
        actor=actor,
        subject_id=Subject.objects.get(uscc=HUAWEI).pk,
        kind=kind,
        facts=facts,
        basis="《市食品行业协会自律公约》第十二条",
        reasons="违反自律公约，情节较重。",
    )
    services.sanction_notify(actor=actor, sanction_id=s.pk)
    Sanction.objects.filter(pk=s.pk).update(statement_due=datetime.date(2025, 1, 1))
    return services.sanction_decide(
        actor=actor,
        sanction_id=s.pk,
        sanction=True,
        reasons="期满未申辩，维持拟处理意见。",
        publish_months=months if kind == "censure" else None,
    )
