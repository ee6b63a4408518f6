"""Public portal pages, as a member of the public sees them."""

import pytest
from django.test import Client

from xinyong.subjects import services

HUAWEI = "914403001922038216"


@pytest.fixture
def huawei(actors):
    return services.organization_register(
        actor=actors["market_clerk"], uscc=HUAWEI, name="华为技术有限公司"
    )


def test_home_is_chinese_with_a_search_box(db):
    html = Client().get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "信用信息查询" in html and 'name="q"' in html


def test_search_by_name_and_by_code(huawei):
    by_name = Client().get("/search/", {"q": "华为"}).content.decode()
    assert "华为技术有限公司" in by_name and f"/subjects/{huawei.pk}/" in by_name
    by_code = Client().get("/search/", {"q": HUAWEI.lower()}).content.decode()
    assert f"/subjects/{huawei.pk}/" in by_code


def test_one_character_query_is_a_clear_400(db):
    r = Client().get("/search/", {"q": "华"})
    assert r.status_code == 400
    assert "至少2个字" in r.content.decode()


def test_subject_page_shows_basic_information_and_former_names(huawei, actors):
    import datetime

    services.subject_rename(
        actor=actors["market_clerk"],
        subject=huawei,
        new_name="华为技术股份有限公司",
        effective_on=datetime.date(2020, 1, 1),
    )
    html = Client().get(f"/subjects/{huawei.pk}/").content.decode()
    assert "华为技术股份有限公司" in html and HUAWEI in html
    assert "曾用名" in html and "华为技术有限公司" in html


def test_persons_never_appear_on_the_portal(actors):
    p = services.person_register(
        actor=actors["market_clerk"],
        id_type="resident_id",
        id_number="11010519491231002X",
        name="张三丰",
    )
    html = Client().get("/search/", {"q": "张三丰"}).content.decode()
    assert "没有找到符合条件的主体" in html and "/subjects/" not in html
    assert Client().get(f"/subjects/{p.pk}/").status_code == 404


def test_english_is_available(db):
    c = Client()
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = c.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Credit information search" in html


def test_admin_login_is_in_chinese(db):
    html = Client().get("/admin/login/").content.decode()
    assert "用户名" in html and "登录" in html


def test_chinese_first_whatever_the_browser_asks(db):
    html = Client(headers={"Accept-Language": "en-US,en;q=0.9"}).get("/").content.decode()
    assert '<html lang="zh-hans">' in html and "信用信息查询" in html
