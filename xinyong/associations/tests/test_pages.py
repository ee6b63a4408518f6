"""The pages: the association's own back office (its short menu, each page opening), the
government back office closed to it without a 5xx, a department granting by form, and the
member's portal pages (sign, statement, notice PDF) and the subject page."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from xinyong.associations import services
from xinyong.associations.models import Authorisation, Membership, Sanction, Signature
from xinyong.associations.tests.conftest import OUTSIDER, decided
from xinyong.audit.models import AuditEvent
from xinyong.conftest import HUAWEI, RID
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
OWN = [
    "association_home",
    "association_members",
    "association_campaigns",
    "association_sanctions",
    "association_authorisations",
    "batches",
    "batch_upload",
    "repairs",  # the repairs of its own public censures
]


@pytest.fixture
def assoc_client(association):
    c = Client()
    c.force_login(association["user"])
    return c


def _menu(html: str) -> set[str]:
    nav = re.search(r'<nav id="site-nav".*?</nav>', html, re.S).group(0)
    return set(re.findall(r'href="(/backoffice/[^"]*)"', nav))


def test_association_menu_lists_its_own_pages_each_opens(assoc_client):
    html = assoc_client.get(reverse("backoffice:association_home")).content.decode()
    assert _menu(html) == {reverse(f"backoffice:{n}") for n in OWN}
    for name in OWN:
        assert assoc_client.get(reverse(f"backoffice:{name}")).status_code == 200, name
    assert "华为技术有限公司" in html  # the standing page lists its member


def test_government_pages_show_the_association_nothing_and_never_fail(assoc_client, org_with_rep):
    from xinyong.backoffice.tests.test_menus import PAGES

    for name in PAGES:
        r = assoc_client.get(reverse(f"backoffice:{name}"))
        assert r.status_code < 500, name
        assert RID not in r.content.decode()
    r = assoc_client.get(reverse("backoffice:subject", args=[org_with_rep.pk]))
    assert r.status_code < 500 and "张三" not in r.content.decode()


def test_department_grants_by_form_bad_input_named_nothing_written(client, users, association):
    client.force_login(users["market_clerk"])
    url = reverse("backoffice:association_authorisations")
    events = AuditEvent.objects.count()
    r = client.post(
        url, {"association": "SPXH", "items": ["honor"], "basis": "", "valid_from": "2026-01-01"}
    )
    assert r.status_code == 400 and 'id="id_basis_error"' in r.content.decode()
    r = client.post(
        url,
        {"association": "SPXH", "items": ["honor"], "basis": "决定", "valid_from": "2026-02-30"},
    )
    assert r.status_code == 400 and 'id="id_valid_from_error"' in r.content.decode()
    assert Authorisation.objects.count() == 1 and AuditEvent.objects.count() == events
    r = client.post(
        url,
        {
            "association": "SPXH",
            "items": ["honor", "contract_performance"],
            "basis": "决定",
            "valid_from": "2026-01-01",
        },
    )
    assert r.status_code == 302
    assert Authorisation.objects.count() == 2
    end = reverse("backoffice:association_authorisation_end", args=[association["grant"].pk])
    assert client.post(end, {"reason": "终止"}).status_code == 302
    assert Authorisation.objects.get(pk=association["grant"].pk).status == "ended"


def test_association_member_form_names_the_field(assoc_client):
    url = reverse("backoffice:association_members")
    r = assoc_client.post(url, {"uscc": "91339900MA1X2Y3B1X", "joined_on": "2026-01-01"})
    assert r.status_code == 400 and 'id="id_uscc_error"' in r.content.decode()
    r = assoc_client.post(url, {"uscc": OUTSIDER, "joined_on": "2026-01-01"})
    assert r.status_code == 302
    assert Membership.objects.count() == 2


def test_member_signs_answers_and_gets_the_notice(assoc_client, association, company, client):
    _portal_actor, huawei = company
    c = services.campaign_open(actor=association["actor"], title="诚信自律承诺", text="守法经营")
    s = services.sanction_propose(
        actor=association["actor"],
        subject_id=huawei.pk,
        kind="censure",
        facts="过期原料",
        basis="公约第十二条",
        reasons="情节较重",
    )
    member = Client()
    member.force_login(Subject.objects.get(uscc=HUAWEI).bindings.get().user)
    page = reverse("portal:account_associations", args=[huawei.pk])
    assert "诚信自律承诺" in member.get(page).content.decode()
    assert member.post(page, {"campaign": c.pk}).status_code == 302
    assert Signature.objects.count() == 1
    case = reverse("portal:account_association_sanction", args=[s.pk])
    assert member.get(case).status_code == 404  # not told yet
    services.sanction_notify(actor=association["actor"], sanction_id=s.pk)
    r = member.post(case, {"statement": ""})
    assert r.status_code == 400 and 'id="id_statement_error"' in r.content.decode()
    assert member.post(case, {"statement": "已整改"}).status_code == 302
    pdf = member.get(reverse("portal:account_association_sanction_notice", args=[s.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    step = reverse("backoffice:association_sanction", args=[s.pk])
    r = assoc_client.post(step, {"step": "sanction", "reasons": "理由不足", "publish_months": "6"})
    assert r.status_code == 302
    assert Sanction.objects.get().status == "decided"
    subject_page = client.get(reverse("portal:subject", args=[huawei.pk])).content.decode()
    assert "市食品行业协会" in subject_page and "公开谴责" in subject_page
    assoc_subject = Subject.objects.get(uscc="51339900MA0000015R")
    own = client.get(reverse("portal:subject", args=[assoc_subject.pk])).content.decode()
    assert "现有会员" in own and "过期原料" in own


def test_another_portal_account_sees_no_case(association, company, client):
    _portal, huawei = company
    s = services.sanction_propose(
        actor=association["actor"],
        subject_id=huawei.pk,
        kind="warning",
        facts="f",
        basis="b",
        reasons="r",
    )
    services.sanction_notify(actor=association["actor"], sanction_id=s.pk)
    client.force_login(association["user"])  # staff-like: the portal case page is not its own
    assert (
        client.get(reverse("portal:account_association_sanction", args=[s.pk])).status_code == 404
    )


def test_warning_never_on_the_portal(association, company, client):
    _portal, huawei = company
    s = services.sanction_propose(
        actor=association["actor"],
        subject_id=huawei.pk,
        kind="warning",
        facts="轻微违规事实",
        basis="b",
        reasons="r",
    )
    services.sanction_notify(actor=association["actor"], sanction_id=s.pk)
    Sanction.objects.filter(pk=s.pk).update(statement_due=datetime.date(2025, 1, 1))
    services.sanction_decide(
        actor=association["actor"], sanction_id=s.pk, sanction=True, reasons="r"
    )
    page = client.get(reverse("portal:subject", args=[huawei.pk])).content.decode()
    assert "轻微违规事实" not in page


def test_hostile_forms_answer_without_5xx_and_write_nothing(
    association, assoc_client, client, users
):
    """Hostile input in every field of the association's and the department's forms."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from xinyong.commitments.tests.test_backoffice_hostile import EXAMPLES, SETTINGS, _post, values

    client.force_login(users["market_clerk"])
    s = services.sanction_propose(
        actor=association["actor"],
        subject_id=Subject.objects.get(uscc=HUAWEI).pk,
        kind="censure",
        facts="f",
        basis="b",
        reasons="r",
    )
    services.sanction_notify(actor=association["actor"], sanction_id=s.pk)
    revocable = decided(association, kind="warning")
    counts = lambda: (  # noqa: E731
        Authorisation.objects.count(),
        Membership.objects.count(),
        Sanction.objects.count(),
        Sanction.objects.filter(status="revoked").count(),
        AuditEvent.objects.count(),
    )
    state = [counts()]
    targets = [
        (
            client,
            reverse("backoffice:association_authorisations"),
            ["association", "items", "basis", "valid_from", "valid_to"],
        ),
        (
            client,
            reverse("backoffice:association_authorisation_end", args=[association["grant"].pk]),
            ["reason"],
        ),
        (assoc_client, reverse("backoffice:association_members"), ["uscc", "joined_on"]),
        (
            assoc_client,
            reverse("backoffice:association_member_leave", args=[association["member"].pk]),
            ["left_on"],
        ),
        (assoc_client, reverse("backoffice:association_campaigns"), ["title", "text"]),
        (
            assoc_client,
            reverse("backoffice:association_sanctions"),
            ["subject", "kind", "facts", "basis", "reasons"],
        ),
        (
            assoc_client,
            reverse("backoffice:association_sanction", args=[s.pk]),
            ["step", "reasons", "publish_months"],
        ),
        (
            assoc_client,
            reverse("backoffice:association_sanction", args=[revocable.pk]),
            ["ground", "reasons"],
        ),
    ]

    @settings(max_examples=EXAMPLES * 2, **SETTINGS)
    @given(st.sampled_from(targets), st.data())
    def check(target, data):
        who, url, names = target
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
        fields = {name: data.draw(values) for name in chosen}
        r = _post(who, url, fields)
        assert r.status_code < 500, (url, fields)
        if r.status_code == 302:  # random text that was a valid step
            state[0] = counts()
        assert counts() == state[0], (url, fields)

    check()
