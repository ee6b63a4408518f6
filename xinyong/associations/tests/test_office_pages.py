"""The back office around associations: the standing page in pages of 200, read with the
same few queries however many members; the subject page's memberships and industry
sanctions (to staff, a warning only to whom its record is visible, that read audited);
the case page's revocation form; the association's repair queue."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xinyong.accounts.actors import SYSTEM
from xinyong.associations import selectors
from xinyong.associations.models import Membership, Sanction
from xinyong.associations.tests.conftest import decided
from xinyong.audit.models import AuditEvent
from xinyong.disclosure.sweep import publication_sweep
from xinyong.lists.tests.conftest import designate, penalty_record  # noqa: F401 - fixture
from xinyong.subjects.demo import CITY_REGION, make_uscc
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def assoc_client(association):
    c = Client()
    c.force_login(association["user"])
    return c


def _members(association, n: int, start: int = 0) -> None:
    """``n`` more members, registered straight into the tables."""
    subjects = Subject.objects.bulk_create(
        [
            Subject(
                kind="organization",
                name=f"信安食品{start + i:03d}有限公司",
                uscc=make_uscc("91", CITY_REGION, 880000 + start + i),
            )
            for i in range(n)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                association=association["dept"], subject=s, joined_on=datetime.date(2025, 6, 1)
            )
            for s in subjects
        ]
    )


def _standing_queries(actor) -> int:
    with CaptureQueriesContext(connection) as ctx:
        page = selectors.standing(actor=actor)
    assert page.rows
    return len(ctx.captured_queries)


def test_standing_queries_do_not_grow_with_members(association, actors, penalty_record):  # noqa: F811
    designate(actors, penalty_record)  # 华为 listed (and a penalty on display): read too
    publication_sweep(actor=SYSTEM)
    few = _standing_queries(association["actor"])
    _members(association, 60)
    many = _standing_queries(association["actor"])
    assert many == few
    rows = selectors.standing(actor=association["actor"]).rows
    assert len(rows) == 61
    huawei = next(r for r in rows if r["subject"].uscc == "914403001922038216")
    assert huawei["entries"] == ["严重失信主体名单"] and huawei["penalties"] == 1


def test_standing_page_in_pages_of_200(association, assoc_client):
    _members(association, 200)
    url = reverse("backoffice:association_home")
    first = assoc_client.get(url).content.decode()
    assert first.count("<tr><td>信安食品") + first.count("<tr><td>华为") == 200
    assert "共 201 家会员" in first
    assert 'href="?offset=200"' in first and "下一页" in first
    second = assoc_client.get(url + "?offset=200").content.decode()
    assert second.count("<tr><td>") == 1 and "下一页" not in second and "第一页" in second
    for hostile in ("-1", "abc", str(2**70)):  # read as the first page
        assert assoc_client.get(url, {"offset": hostile}).status_code == 200


def test_member_list_in_pages_too(association, assoc_client):
    _members(association, 200)
    url = reverse("backoffice:association_members")
    second = assoc_client.get(url + "?offset=200").content.decode()
    assert second.count('<tr id="member-') == 1


# -- the subject page -----------------------------------------------------------------------
def _subject_page(client, user, subject) -> str:
    client.force_login(user)
    r = client.get(reverse("backoffice:subject", args=[subject.pk]))
    assert r.status_code == 200
    return r.content.decode()


def _section(html: str) -> str:
    start = html.find('<section class="associations"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def test_subject_page_shows_memberships_and_sanctions_by_the_access_rules(
    association, users, client
):
    huawei = Subject.objects.get(uscc="914403001922038216")
    warning = decided(association, kind="warning", facts="轻微违规")
    censure = decided(association, months=6)
    events = AuditEvent.objects.filter(action="credit_file.read")
    # The credit office: the membership, both sanctions; the warning's read audited.
    before = events.count()
    office = _section(_subject_page(client, users["operator"], huawei))
    assert "市食品行业协会" in office and "2025-01-01" in office and "至今" in office
    assert "警告" in office and "公开谴责" in office
    assert f"{censure.publish_until:%Y-%m-%d}" in office and "不公示" in office
    read = events.filter(detail__industry_sanctions__isnull=False)
    assert events.count() > before and read.get().detail["industry_sanctions"] == [warning.pk]
    # A department's clerk (no sharing rule with the association): the public censure only.
    clerk = _section(_subject_page(client, users["market_clerk"], huawei))
    assert "公开谴责" in clerk and "警告" not in clerk and "市食品行业协会" in clerk
    # The auditor: the public censure too, no warning.
    audit = _section(_subject_page(client, users["auditor"], huawei))
    assert "公开谴责" in audit and "警告" not in audit
    # The association's own clerk: not its page at all (its members are on its own pages).
    client.force_login(association["user"])
    r = client.get(reverse("backoffice:subject", args=[huawei.pk]))
    assert r.status_code == 403 and _section(r.content.decode()) == ""


def test_subject_page_shows_a_revocation(association, users, client):
    from xinyong.associations import services

    s = decided(association)
    services.sanction_revoke(
        actor=association["actor"], sanction_id=s.pk, ground="error", reasons="认定有误"
    )
    huawei = Subject.objects.get(uscc="914403001922038216")
    section = _section(_subject_page(client, users["operator"], huawei))
    assert "已撤销" in section and "决定有误" in section


# -- revocation by the case page -------------------------------------------------------------
def test_revocation_form_names_the_field_then_takes_the_censure_down(
    association, assoc_client, company, client
):
    _portal, huawei = company
    s = decided(association)
    url = reverse("backoffice:association_sanction", args=[s.pk])
    page = assoc_client.get(url).content.decode()
    assert "撤销惩戒决定" in page and 'name="ground"' in page
    r = assoc_client.post(url, {"ground": "", "reasons": "认定有误"})
    assert r.status_code == 400 and 'id="id_ground_error"' in r.content.decode()
    r = assoc_client.post(url, {"ground": "error", "reasons": ""})
    assert r.status_code == 400 and 'id="id_reasons_error"' in r.content.decode()
    assert Sanction.objects.get().status == "decided"
    public = reverse("portal:subject", args=[huawei.pk])
    assert "过期原料" in client.get(public).content.decode()
    r = assoc_client.post(url, {"ground": "review", "reasons": "经理事会复核撤销"})
    assert r.status_code == 302
    page = assoc_client.get(url).content.decode()
    assert "经复核撤销" in page and "经理事会复核撤销" in page and 'name="ground"' not in page
    assert "过期原料" not in client.get(public).content.decode()
    own = client.get(reverse("portal:account_association_sanction", args=[s.pk]))
    assert "经理事会复核撤销" in own.content.decode()


def test_office_reads_a_decided_case_without_the_revocation_form(association, users, client):
    s = decided(association)
    client.force_login(users["operator"])
    url = reverse("backoffice:association_sanction", args=[s.pk])
    assert 'name="ground"' not in client.get(url).content.decode()
    r = client.post(url, {"ground": "error", "reasons": "r"}, follow=True)
    assert Sanction.objects.get().status == "decided"
    assert r.status_code == 200


# -- the association's repair queue ---------------------------------------------------------
def test_association_decides_the_repair_of_its_censure_on_the_repair_page(
    association, assoc_client, company, client
):
    from dateutil.relativedelta import relativedelta
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from xinyong.records.models import Record
    from xinyong.remedies import services as remedies
    from xinyong.remedies.models import RepairApplication

    portal, huawei = company
    s = decided(association, months=12)
    publication_sweep(actor=SYSTEM)
    Record.objects.filter(pk=s.record_id).update(
        decision_date=timezone.localdate() - relativedelta(months=4)
    )
    pdf = b"%PDF-1.4\n% material\n" + b"0" * 200
    upload = lambda n: SimpleUploadedFile(n, pdf, content_type="application/pdf")  # noqa: E731
    app = remedies.repair_apply(
        actor=portal, subject_id=huawei.pk, record_ids=[s.record_id], statement="已整改",
        materials={"commitment": upload("承诺书.pdf"), "performance": upload("整改报告.pdf")},
    )  # fmt: skip
    queue = assoc_client.get(reverse("backoffice:repairs")).content.decode()
    assert f'id="repair-{app.pk}"' in queue and "同意修复" in queue
    material = app.materials.get(kind="performance")
    got = assoc_client.get(reverse("backoffice:repair_material", args=[material.pk]))
    assert got.status_code == 200
    r = assoc_client.post(
        reverse("backoffice:repairs"),
        {"application": app.pk, "decision": "approve", "reason": "整改到位", "reapply": ""},
    )
    assert r.status_code == 302
    assert RepairApplication.objects.get().status == "approved"
    public = client.get(reverse("portal:subject", args=[huawei.pk])).content.decode()
    assert "过期原料" not in public
