"""Integrity demonstration units end to end: a campaign, applications, the assessment of
each criterion, publication on the portal, a member listed later found by the daily scan,
revocation or keeping with reasons — and the refusals, each naming its field, writing
nothing."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.demonstration import selectors, services
from xinyong.demonstration.models import Campaign, Unit
from xinyong.lists.models import ListEntry, ListType
from xinyong.records.tasks import upkeep_run
from xinyong.subjects import services as subjects

FARM, SHOP, SCHOOL = "91339900MA1X2Y3CXM", "91339900MA1X2Y4D4Y", "91339900MA1X2Y5E95"
CRITERIA = ["村规民约含诚信内容", "建立农户信用档案", "近三年无重大安全事故"]


@pytest.fixture
def members(actors):
    mk = subjects.organization_register
    return {
        "farm": mk(actor=actors["market_clerk"], uscc=FARM, name="青山村果蔬专业合作社"),
        "shop": mk(actor=actors["market_clerk"], uscc=SHOP, name="青山村便民超市有限公司"),
        "school": mk(actor=actors["market_clerk"], uscc=SCHOOL, name="青山实验学校"),
    }


def campaign(actor, **kw) -> Campaign:
    args = {
        "title": "2026年度信用村创建", "kind": "village", "year": 2026, "criteria": CRITERIA,
        "apply_until": timezone.localdate() + datetime.timedelta(days=30), "valid_years": 3,
    } | kw  # fmt: skip
    return services.campaign_create(actor=actor, **args)


def apply(actor, c, **kw) -> Unit:
    args = {
        "name": "青山村", "applicant": "青山镇人民政府", "statement": "建立村级信用服务站。",
        "area": "青山镇", "members": f"{FARM}\n{SHOP}",
    } | kw  # fmt: skip
    return services.unit_apply(actor=actor, campaign_id=c.pk, **args)


def award(actor, unit, **kw) -> Unit:
    args = {"met": [0, 1, 2], "award": True, "reason": "三项标准均达标。"} | kw
    return services.unit_assess(actor=actor, unit_id=unit.pk, **args)


def listed(subject, *, code="serious_dishonesty", department=None) -> ListEntry:
    """An entry in force, published now (the designation procedure is the lists' own)."""
    from xinyong.accounts.models import Department

    now = timezone.now()
    department = department or Department.objects.get(code="SCJG")
    return ListEntry.objects.create(
        list_type=ListType.objects.get(code=code), subject=subject, status="published",
        department=department, grounds="g", legal_basis="l", act_date=now.date(),
        opened_by="x", opened_at=now, published_at=now,
    )  # fmt: skip


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_a_village_is_created_awarded_published_found_and_revoked(actors, members, departments):
    clerk, reviewer = actors["market_clerk"], actors["market_reviewer"]
    c = campaign(clerk)
    assert c.department == departments["market"]
    unit = apply(clerk, c)
    assert set(unit.members.values_list("uscc", flat=True)) == {FARM, SHOP}
    award(reviewer, unit, notes={1: "已建档 126 户"})
    unit.refresh_from_db()
    assert unit.status == "awarded" and unit.assessment[1]["note"] == "已建档 126 户"
    assert selectors.public_campaigns() == []  # nothing public before publication
    services.campaign_publish(actor=reviewer, campaign_id=c.pk)
    unit.refresh_from_db()
    today = timezone.localdate()
    assert unit.valid_until == today.replace(year=today.year + 3)

    page = Client().get(reverse("portal:demonstration_campaign", args=[c.pk])).content.decode()
    assert "青山村" in page and "青山镇" in page
    assert "三项标准均达标" not in page and FARM not in page  # no reasons, no members
    assert "2026年度信用村创建" in Client().get(reverse("portal:demonstration")).content.decode()

    entry = listed(members["shop"], department=departments["tax"])
    upkeep_run()  # the daily scan
    unit.refresh_from_db()
    assert unit.status == "awarded"  # never acted on automatically
    assert [b["entry"] for b in unit.breaches] == [entry.pk]
    assert unit.breaches[0]["subject"] == "青山村便民超市有限公司"
    todo = selectors.findings_todo(actor=reviewer, today=today)
    assert todo.total == 1 and todo.items[0].subject == "青山村"
    assert selectors.findings_todo(actor=actors["tax_clerk"], today=today).total == 0

    services.unit_revoke(actor=reviewer, unit_id=unit.pk, reason="成员被列入严重失信主体名单。")
    unit.refresh_from_db()
    assert unit.status == "revoked" and unit.revoked_by
    page = Client().get(reverse("portal:demonstration_campaign", args=[c.pk])).content.decode()
    assert "已撤销命名" in page and "成员被列入" not in page
    for action in ("create", "apply", "assess", "publish", "scan", "revoke"):
        assert (
            AuditEvent.objects.filter(action__startswith="demonstration.")
            .filter(action__contains=action)
            .exists()
        ), action


def test_a_finding_kept_with_reasons_is_not_found_again(actors, members):
    reviewer = actors["market_reviewer"]
    c = campaign(actors["market_clerk"])
    unit = apply(actors["market_clerk"], c)
    award(reviewer, unit)
    services.campaign_publish(actor=reviewer, campaign_id=c.pk)
    listed(members["farm"])
    assert services.units_breach_scan(actor=SYSTEM) == 1
    assert services.units_breach_scan(actor=SYSTEM) == 0  # the same finding: nothing new
    services.unit_breach_clear(actor=reviewer, unit_id=unit.pk, reason="该社员已于列入前退社。")
    assert services.units_breach_scan(actor=SYSTEM) == 0
    unit.refresh_from_db()
    assert unit.status == "awarded" and unit.breaches == []
    with pytest.raises(ValidationFailed) as e:  # nothing left to keep
        services.unit_breach_clear(actor=reviewer, unit_id=unit.pk, reason="再次保留")
    assert e.value.errors[0].field == "unit"


def test_an_entry_before_the_title_is_no_breach_but_blocks_the_award(actors, members):
    clerk, reviewer = actors["market_clerk"], actors["market_reviewer"]
    c = campaign(clerk)
    unit = apply(clerk, c)
    listed(members["farm"])
    before = events("demonstration.unit_assess")
    with pytest.raises(ValidationFailed) as e:
        award(reviewer, unit)
    assert e.value.errors[0].field == "award"
    assert "青山村果蔬专业合作社" in e.value.errors[0].message
    unit.refresh_from_db()
    assert unit.status == "applied" and unit.assessment == []
    assert events("demonstration.unit_assess") == before
    award(reviewer, unit, award=False, met=[0], reason="成员在失信名单期内。")
    unit.refresh_from_db()
    assert unit.status == "not_awarded"


def test_an_unmet_criterion_blocks_the_award(actors, members):
    c = campaign(actors["market_clerk"])
    unit = apply(actors["market_clerk"], c)
    with pytest.raises(ValidationFailed) as e:
        award(actors["market_reviewer"], unit, met=[0, 2])
    assert e.value.errors[0].field == "award" and CRITERIA[1] in e.value.errors[0].message


def test_publication_waits_for_every_assessment(actors, members):
    c = campaign(actors["market_clerk"])
    apply(actors["market_clerk"], c)
    with pytest.raises(ValidationFailed) as e:
        services.campaign_publish(actor=actors["market_reviewer"], campaign_id=c.pk)
    assert e.value.errors[0].rule == "demonstration.unassessed"
    assert Campaign.objects.get(pk=c.pk).status == "open"


def test_a_school_is_its_own_subject(actors, members):
    c = campaign(actors["market_clerk"], kind="school", title="信用学校创建")
    unit = apply(actors["market_clerk"], c, name="青山实验学校", subject_uscc=SCHOOL)
    assert unit.subject == members["school"] and unit.area == ""
    assert services.unit_subject_ids(unit) == [members["school"].pk]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"title": " "}, "title"),
        ({"kind": "castle"}, "kind"),
        ({"year": 1990}, "year"),
        ({"criteria": ""}, "criteria"),
        ({"criteria": ["x" * 201]}, "criteria"),
        ({"criteria": [f"第{i}条" for i in range(21)]}, "criteria"),
        ({"apply_until": None}, "apply_until"),
        ({"apply_until": datetime.date(2020, 1, 1)}, "apply_until"),
        ({"valid_years": 9}, "valid_years"),
        ({"title": "a\x00b"}, "title"),
    ],
)
def test_a_bad_campaign_is_refused_naming_its_field(actors, kw, field):
    with pytest.raises(ValidationFailed) as e:
        campaign(actors["market_clerk"], **kw)
    assert field in {x.field for x in e.value.errors}
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"name": ""}, "name"),
        ({"applicant": ""}, "applicant"),
        ({"statement": ""}, "statement"),
        ({"area": ""}, "area"),
        ({"members": ""}, "members"),
        ({"members": "91339900MA1X2Y3CX0"}, "members"),  # a wrong check character
        ({"members": "91339900MA1X2Y6F39"}, "members"),  # valid, registered by nobody
    ],
)
def test_a_bad_application_is_refused_naming_its_field(actors, members, kw, field):
    c = campaign(actors["market_clerk"])
    with pytest.raises(ValidationFailed) as e:
        apply(actors["market_clerk"], c, **kw)
    assert field in {x.field for x in e.value.errors}
    assert not Unit.objects.exists()


def test_applications_close_and_names_are_unique(actors, members):
    clerk = actors["market_clerk"]
    c = campaign(clerk)
    apply(clerk, c)
    with pytest.raises(ValidationFailed) as e:
        apply(clerk, c)
    assert e.value.errors[0].field == "name"
    later = timezone.localdate() + datetime.timedelta(days=31)
    with pytest.raises(ValidationFailed) as e:
        apply(clerk, c, name="白水村", today=later)
    assert e.value.errors[0].rule == "demonstration.closed"
    assert Unit.objects.count() == 1


def test_who_may_do_what(actors, members, users):
    clerk = actors["market_clerk"]
    c = campaign(clerk)
    unit = apply(clerk, c)
    with pytest.raises(PermissionDenied):  # a clerk records; a reviewer decides
        award(clerk, unit)
    with pytest.raises(NotFound):  # another department does not see it
        award(actors["tax_clerk"], unit)
    with pytest.raises(PermissionDenied):
        campaign(actors["auditor"])
    award(actors["operator"], unit)  # the credit office decides any campaign
    qs = Campaign.objects.all()
    for user in users.values():
        actor = Actor.for_user(user)
        acting = set(qs.filter(access.acting_q(actor, Action.DEMONSTRATION_DECIDE)).values_list(
            "pk", flat=True))  # fmt: skip
        assert acting == {o.pk for o in qs if access.allowed(actor, Action.DEMONSTRATION_DECIDE, o)}


def test_the_pages(users, actors, members):
    c = campaign(actors["market_clerk"])
    unit = apply(actors["market_clerk"], c)
    clerk, reviewer, tax = Client(), Client(), Client()
    clerk.force_login(users["market_clerk"])
    reviewer.force_login(users["market_reviewer"])
    tax.force_login(users["tax_clerk"])
    assert "2026年度信用村创建" in clerk.get(reverse("backoffice:demonstration")).content.decode()
    assert tax.get(reverse("backoffice:demonstration_campaign", args=[c.pk])).status_code == 404
    assert tax.get(reverse("backoffice:demonstration_unit", args=[unit.pk])).status_code == 404

    url = reverse("backoffice:demonstration")
    bad = clerk.post(url, {"title": "x", "kind": "village", "year": "2026", "criteria": "a",
                           "apply_until": "2026-13-01", "valid_years": "3"})  # fmt: skip
    assert bad.status_code == 400 and "日期格式应为 YYYY-MM-DD" in bad.content.decode()
    assert Campaign.objects.count() == 1

    unit_url = reverse("backoffice:demonstration_unit", args=[unit.pk])
    assert "保存评审意见" not in clerk.get(unit_url).content.decode()  # the clerk: no form
    bad = reviewer.post(unit_url, {"met": ["0"], "award": "award", "reason": "好"})
    assert bad.status_code == 400 and "尚有未达标的创建标准" in bad.content.decode()
    done = reviewer.post(unit_url, {"met": ["0", "1", "2"], "award": "award", "reason": "好"})
    assert done.status_code == 302
    campaign_url = reverse("backoffice:demonstration_campaign", args=[c.pk])
    reviewer.post(campaign_url, {"step": "publish"})
    assert Campaign.objects.get(pk=c.pk).status == "published"
    portal = Client().get(reverse("portal:demonstration_campaign", args=[c.pk]))
    assert portal.status_code == 200 and "青山村" in portal.content.decode()
    assert Client().get(reverse("portal:demonstration_campaign", args=[999999])).status_code == 404


def test_an_enterprise_applies_online_through_its_bound_account(actors, members, users):
    from xinyong.accounts.services import portal_account_register
    from xinyong.remedies.models import SubjectBinding

    agent = portal_account_register(username="shop_agent", password="Credit-Office-2026!",
                                    display_name="王经办", email="shop@example.com")  # fmt: skip
    SubjectBinding.objects.create(
        user=agent, subject=members["shop"], status="approved", applicant="王经办",
        phone="13800000000", evidence_path="x.pdf", evidence_name="x.pdf", evidence_sha256="0",
        requested_at=timezone.now(), via="operator", reviewed_by="operator",
    )  # fmt: skip
    portal = Actor.for_user(agent)
    village = campaign(actors["market_clerk"])
    firms = campaign(actors["market_clerk"], kind="enterprise", title="诚信示范企业创建")
    shop = members["shop"].pk
    with pytest.raises(ValidationFailed) as e:  # a village campaign takes no online application
        services.unit_apply_online(actor=portal, subject_id=shop, campaign_id=village.pk,
                                   statement="诚信经营")  # fmt: skip
    assert e.value.errors[0].field == "campaign"
    with pytest.raises(NotFound):  # another subject's page
        services.unit_apply_online(actor=portal, subject_id=members["farm"].pk,
                                   campaign_id=firms.pk, statement="诚信经营")  # fmt: skip
    unit = services.unit_apply_online(actor=portal, subject_id=shop, campaign_id=firms.pk,
                                      statement="诚信经营十年，无行政处罚。")  # fmt: skip
    assert unit.subject_id == shop and unit.name == "青山村便民超市有限公司"
    with pytest.raises(ValidationFailed) as e:
        services.unit_apply_online(actor=portal, subject_id=shop, campaign_id=firms.pk,
                                   statement="再次申报")  # fmt: skip
    assert e.value.errors[0].rule == "demonstration.applied"
    assert Unit.objects.filter(subject_id=shop).count() == 1

    c = Client()
    c.force_login(agent)
    url = reverse("portal:account_demonstration", args=[shop])
    page = c.get(url).content.decode()
    assert "诚信示范企业创建" in page and "待评审" in page
    bad = c.post(url, {"campaign": str(firms.pk), "statement": ""})
    assert bad.status_code == 400 and "请填写创建情况" in bad.content.decode()
    award(actors["market_reviewer"], unit, met=[0, 1, 2])
    assert "评审中" in c.get(url).content.decode()  # not told before publication
    services.campaign_publish(actor=actors["market_reviewer"], campaign_id=firms.pk)
    assert "已命名" in c.get(url).content.decode()
    other = Client()
    other.force_login(users["market_clerk"])
    assert other.get(url).status_code == 404
