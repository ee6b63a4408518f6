"""The back office's subject search (issue #14 item 6): by name, USCC, a person's identifier
(compared through its keyed hash) or a decision number, leading to the back-office subject
page; every search audited like the page's reads, a person's identifier never written."""

import json

import pytest
from django.urls import reverse

from xinyong.audit.models import AuditEvent
from xinyong.conftest import HUAWEI, RID
from xinyong.core.tests.visible import assert_no_codes
from xinyong.lists.tests.conftest import penalty_record  # noqa: F401 - shared fixture
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
URL = "/backoffice/subjects/"


def _search(client, user, **query):
    client.force_login(user)
    return client.get(URL, query)


def _searches():
    return [e for e in AuditEvent.objects.filter(action="credit_file.read")
            if "search" in (e.detail or {})]  # fmt: skip


@pytest.mark.parametrize(
    ("by", "q"),
    [("name", "华为技术"), ("uscc", HUAWEI.lower()), ("decision_no", "信市监罚〔2026〕1号")],
)
def test_each_way_leads_to_the_subject_page(client, users, penalty_record, by, q):  # noqa: F811
    r = _search(client, users["market_clerk"], by=by, q=q)
    html = r.content.decode()
    assert r.status_code == 200
    page = reverse("backoffice:subject", args=[penalty_record.subject_id])
    assert f'href="{page}">华为技术有限公司</a>' in html
    assert_no_codes(html, names=["华为技术有限公司"])
    (event,) = _searches()
    assert event.detail["search"] == by and event.detail["found"] == [penalty_record.subject_id]


def test_a_person_is_found_by_the_hash_of_the_identifier_never_kept(client, users, org_with_rep):
    person = Subject.objects.get(kind="person")
    r = _search(client, users["market_clerk"], by="person_id", q=RID.lower(), id_type="resident_id")
    assert r.status_code == 200
    assert reverse("backoffice:subject", args=[person.pk]) in r.content.decode()
    (event,) = _searches()
    assert event.detail["found"] == [person.pk]
    assert RID not in json.dumps(event.detail, ensure_ascii=False) and "query" not in event.detail
    # Nothing is found by a name part of an identifier, nor by an unknown one.
    r = _search(client, users["market_clerk"], by="person_id", q=RID[:-1] + "1")
    assert "没有找到符合条件的主体" in r.content.decode()


def test_the_auditor_is_refused_persons_next_to_the_field(client, users, org_with_rep):
    r = _search(client, users["auditor"], by="person_id", q=RID)
    html = r.content.decode()
    assert r.status_code == 400
    assert 'class="field-error" id="id_by_error">无权按身份证件号码查询自然人<' in html
    assert 'aria-describedby="id_by_error"' in html
    assert not _searches()  # refused before anything was looked up
    # Nor do persons' names show to the auditor.
    r = _search(client, users["auditor"], by="name", q="张三")
    results = r.content.decode().rsplit("</form>", 1)[1]
    assert "没有找到符合条件的主体" in results and "张三" not in results


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"by": "name", "q": ""}, "q", "请输入查询内容"),
        ({"by": "name", "q": "华"}, "q", "名称至少输入2个字"),
        ({"by": "uscc", "q": "91440300"}, "q", "统一社会信用代码应为18位"),
        ({"by": "name", "q": "华" * 129}, "q", "查询内容最长 128 个字符"),
        ({"by": "phone", "q": "华为"}, "by", "phone"),
    ],
)
def test_bad_input_is_named_next_to_its_field(client, users, org_with_rep, query, field, message):
    r = _search(client, users["market_clerk"], **query)
    html = r.content.decode()
    assert r.status_code == 400
    error = html.split(f'id="id_{field}_error">', 1)[1].split("</span>", 1)[0]
    assert message in error
    assert not _searches()


def test_the_dashboard_offers_the_search(client, users):
    client.force_login(users["market_reviewer"])
    html = client.get(reverse("backoffice:dashboard")).content.decode()
    assert f'action="{URL}"' in html and 'name="q"' in html
