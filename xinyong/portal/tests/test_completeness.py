"""The portal as complete as a provincial credit site (issue #14 item 1): the home page's
search tabs, headline figures and announcements; the subject page in tabs; the lists
column; the policy documents; the online services; partial decision numbers; an invalid
USCC answered with its rule; 异议中 on public pages; the publicity detail's subject link."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.core.tests.visible import assert_no_codes
from xinyong.disclosure.models import Publication
from xinyong.disclosure.tests.test_column import published  # noqa: F401 - a fixture
from xinyong.lists.models import ListEntry, Roll
from xinyong.lists.tests.conftest import designate
from xinyong.records.models import Record
from xinyong.remedies.services import (
    objection_decide,
    objection_file,
    objection_forward,
    objection_mark,
)

pytestmark = pytest.mark.django_db
PENALTY_1 = "信市监罚〔2026〕1号"
LICENCE_1 = "信市监许〔2026〕1号"


def _get(path, params=None, status=200) -> str:
    r = Client().get(path, params or {})
    assert r.status_code == status, (path, r.status_code)
    html = r.content.decode()
    assert "<script>" not in html and " onclick=" not in html  # tabs work without script
    return html


@pytest.fixture
def listed(published, actors):  # noqa: F811
    """华为's penalty published, and 华为 on the serious dishonesty list for it."""
    record = Record.objects.get(source_id=PENALTY_1)
    return designate(actors, record), record


# -- 1. home page ------------------------------------------------------------------------


def test_home_has_search_tabs_each_searching_its_own_thing(db):
    html = _get("/")
    for label in ("法人和非法人组织", "个体工商户", "信用名单", "双公示"):
        assert label in html
    assert 'href="?tab=lists#search"' in html and 'aria-current="page">法人和非法人组织' in html
    assert 'name="kind" value="organization"' in html
    ib = _get("/", {"tab": "individual_business"})
    assert 'name="kind" value="individual_business"' in ib
    lists = _get("/", {"tab": "lists"})
    assert 'action="/lists/"' in lists and "严重失信主体名单" in lists
    assert 'action="/publicity/"' in _get("/", {"tab": "publicity"})
    assert 'aria-current="page">法人和非法人组织' in _get("/", {"tab": "<bogus>"})


def test_home_figures_are_aggregates_cached_a_few_minutes(listed):
    html = _get("/")
    assert_no_codes(html, public=True, names=["公示中的行政处罚", "失信约束名单（有效）"])
    # Penalties 1, 2 and the person's 4 are published (3, a warning only, is not); one
    # licence; one serious-dishonesty entry in force, no honor list entry.
    assert "<b>3</b>公示中的行政处罚" in html and "<b>1</b>公示中的行政许可" in html
    assert "<b>1</b>失信约束名单（有效）" in html and "<b>0</b>守信激励名单（有效）" in html
    Publication.objects.filter(record__source_id=LICENCE_1).update(status="withdrawn")
    assert "<b>1</b>公示中的行政许可" in _get("/")  # kept a few minutes…
    cache.clear()  # …then counted again
    assert "<b>0</b>公示中的行政许可" in _get("/")


def test_home_announces_corrections_and_rolls_linked(
    listed, users, actors, django_capture_on_commit_callbacks
):
    entry, _record = listed
    Roll.objects.create(period="2026-11", published_at=timezone.now(), published_by="信用办")
    assert "撤销对" not in _get("/")  # the announcements are now cached…
    operator = Actor.for_user(users["operator"])
    with django_capture_on_commit_callbacks(execute=True):
        o = objection_file(actor=operator, entry_id=entry.pk, reasons="认定所依据的处罚已撤销")
        objection_mark(actor=operator, objection_id=o.pk)
        objection_forward(actor=operator, objection_id=o.pk)
        objection_decide(actor=actors["market_reviewer"], objection_id=o.pk,
                         decision="revoked", reason="处罚决定已被复议撤销")  # fmt: skip
    html = _get("/")  # …and the correction shows as soon as it is decided
    assert f'href="/corrections/#correction-{o.pk}"' in html
    assert "撤销对华为技术有限公司的严重失信主体名单认定" in html
    assert 'href="/roll/?period=2026-11"' in html and "2026-11 诚信红黑榜发布" in html
    assert f'id="correction-{o.pk}"' in _get("/corrections/")
    assert_no_codes(html, public=True)


def test_search_results_are_counted_per_kind(published):  # noqa: F811
    html = _get("/search/", {"q": "华为"})
    assert "全部（1）" in html and "法人和非法人组织（1）" in html and "个体工商户（0）" in html
    ib = _get("/search/", {"q": "华为", "kind": "individual_business"})
    assert "没有找到符合条件的主体" in ib
    assert "华为技术有限公司" in _get("/search/", {"q": "华为", "kind": "organization"})


# -- 2. subject page in tabs -------------------------------------------------------------


def test_subject_page_tabs(listed):
    _entry, record = listed
    url = f"/subjects/{record.subject_id}/"
    overview = _get(url)
    for label in ("概况", "基本信息", "行政许可", "行政处罚", "信用名单", "信用报告", "信用承诺",
                  "信用评价"):  # fmt: skip
        assert "?tab=" in overview and label in overview
    assert PENALTY_1 in overview and LICENCE_1 in overview and "严重失信主体名单" in overview
    penalties = _get(url, {"tab": "penalties"})
    assert PENALTY_1 in penalties and LICENCE_1 not in penalties
    assert 'aria-current="page">行政处罚' in penalties
    licences = _get(url, {"tab": "licences"})
    assert LICENCE_1 in licences and PENALTY_1 not in licences
    lists = _get(url, {"tab": "lists"})
    assert "信市监认〔2026〕1号" in lists and PENALTY_1 not in lists
    basic = _get(url, {"tab": "basic"})
    assert "成立日期" in basic and PENALTY_1 not in basic
    reports = _get(url, {"tab": "reports"})
    assert f'action="/subjects/{record.subject_id}/report/"' in reports
    assert "该主体暂无公开的信用承诺" in _get(url, {"tab": "commitments"})
    assert "未向社会公开" in _get(url, {"tab": "evaluation"})
    for tab in ("overview", "basic", "licences", "penalties", "lists", "reports", "commitments",
                "evaluation"):  # fmt: skip
        assert_no_codes(_get(url, {"tab": tab}), public=True, where=tab)


# -- 3. lists column ---------------------------------------------------------------------


def test_lists_column_each_list_with_its_search(listed):
    entry, _record = listed
    index = _get("/lists/")
    assert "严重失信主体名单" in index and 'action="/lists/serious_dishonesty/"' in index
    assert_no_codes(index, public=True)
    url = "/lists/serious_dishonesty/"
    for q in ("", "华为", "914403001922038216", "信市监认〔2026〕1号", "〔2026〕1"):
        html = _get(url, {"q": q})
        assert "华为技术有限公司" in html and "信市监认〔2026〕1号" in html, q
        assert_no_codes(html, public=True, where=q)
    assert "没有符合条件的名单条目" in _get(url, {"q": "恒瑞"})
    assert "没有符合条件的名单条目" in _get(url, {"q": "91339900MA1X2Y3B1X"})
    bad = _get(url, {"q": "91440300MA5"}, status=400)
    assert "统一社会信用代码应为18位" in bad
    # Letters and digits that a decision number holds are that number, not a bad code.
    ListEntry.objects.filter(pk=entry.pk).update(decision_no="JD20260001")
    assert "华为技术有限公司" in _get(url, {"q": "JD20260001"})
    assert "统一社会信用代码应为18位" in _get(url, {"q": "JD20260002"}, status=400)
    assert "该名单当前没有有效条目" in _get("/lists/honor/")
    r = Client().get("/lists/", {"list": "serious_dishonesty", "q": "华为"})
    assert r.status_code == 302 and r["Location"].startswith(url)
    assert Client().get("/lists/no_such_list/").status_code == 404


# -- 5. policy documents -----------------------------------------------------------------


def test_policy_documents_listed_searchable_and_shown(db):
    index = _get("/policies/")
    assert "苏政办发〔2015〕88号" in index and "辽源市" in index
    by_title = _get("/policies/", {"q": "哈尔滨新区"})
    assert "守信联合激励和失信联合惩戒机制实施方案" in by_title and "辽源市" not in by_title
    by_text = _get("/policies/", {"q": "信用承诺机制"})  # in a text, not a title
    assert 'class="excerpt"' in by_text and "信用承诺机制" in by_text
    assert "没有符合条件的政策文件" in _get("/policies/", {"q": "量子计算"})
    assert "不得超过50个字符" in _get("/policies/", {"q": "信" * 51}, status=400)
    doc = _get("/policies/jiangsu-2015-88/")
    assert "江苏省人民政府办公厅" in doc and "<p>(一)指导思想。</p>" in doc
    assert Client().get("/policies/nothing/").status_code == 404


# -- 6. online services ------------------------------------------------------------------


def test_online_services_page_is_the_one_entry(db):
    html = _get("/services/")
    for label, href in (("异议申请", "/account/"), ("信用修复", "/account/"),
                        ("报告核验", "/verify/"), ("账号", "/account/register/")):  # fmt: skip
        assert label in html and f'href="{href}"' in html
    assert "须登录并绑定主体" in html and "无需登录" in html
    assert 'href="/services/"' in _get("/")  # in the menu and the home page's columns
    assert_no_codes(html, public=True)


# -- 7. search: partial decision numbers, USCC rules -------------------------------------


@pytest.mark.parametrize("fragment", ["〔2026〕2号", "监罚〔2026〕2", "2026〕2号"])
def test_a_fragment_of_a_decision_number_finds_its_record(published, fragment):  # noqa: F811
    html = _get("/publicity/", {"q": fragment})
    assert "信市监罚〔2026〕2号" in html and PENALTY_1 not in html


@pytest.mark.parametrize(
    ("q", "rule_words"),
    [
        ("91440300MA5FXT4K8", "应为18位，实际为17位"),
        ("914403001922038217", "校验码"),
        ("9144030019220382I6", "统一社会信用代码"),  # I is not in the code's alphabet
    ],
)
def test_an_invalid_uscc_is_answered_with_its_rule(db, q, rule_words):
    html = _get("/search/", {"q": q}, status=400)
    assert rule_words in html and "没有找到" not in html
    assert "查询内容" in html  # the field's label, not "q"


def test_a_valid_unknown_uscc_is_no_result(db):
    assert "没有找到符合条件的主体" in _get("/search/", {"q": "91339900MA1X2Y3B1X"})


# -- 8. 异议中 on the public pages ------------------------------------------------------


def test_a_record_and_an_entry_under_objection_show_it_publicly(listed, users):
    entry, record = listed
    operator = Actor.for_user(users["operator"])
    detail = f"/publicity/{record.pk}/"
    assert "异议中" not in _get(detail)
    for target in ({"record_id": record.pk}, {"entry_id": entry.pk}):
        o = objection_file(actor=operator, reasons="处罚已被撤销", **target)
        objection_mark(actor=operator, objection_id=o.pk)
    assert "badge objection" in _get(detail) and "异议中" in _get(detail)
    page = _get(f"/subjects/{record.subject_id}/")
    assert page.count('badge objection">异议中') == 2  # the penalty and the entry
    assert "异议中" in _get("/lists/serious_dishonesty/")
    other = Record.objects.get(source_id="信市监罚〔2026〕2号")
    assert "异议中" not in _get(f"/publicity/{other.pk}/")


# -- 9. publicity detail → subject -------------------------------------------------------


def test_publicity_detail_links_to_its_subject_but_not_a_persons(published):  # noqa: F811
    record = Record.objects.get(source_id=PENALTY_1)
    html = _get(f"/publicity/{record.pk}/")
    assert f'href="/subjects/{record.subject_id}/"' in html
    person = Record.objects.get(source_id="信市监罚〔2026〕4号")  # 王小明, published masked
    html = _get(f"/publicity/{person.pk}/")
    assert "王*" in html and "/subjects/" not in html


def test_the_new_pages_speak_english_when_asked(db):
    c = Client()
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Announcements" in c.get("/").content.decode()
    assert "Sign in, bound to the subject" in c.get("/services/").content.decode()
    assert "Policies and regulations" in c.get("/policies/").content.decode()
    assert "Legal basis and criteria" in c.get("/lists/").content.decode()
