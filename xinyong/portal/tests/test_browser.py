"""A real Chromium (Debian's /usr/bin/chromium via Playwright; fixtures in xinyong/conftest.py)
walks the portal and the back office as a person would."""

import datetime
import os
from pathlib import Path

import pytest

from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.choices import Role
from xinyong.accounts.services import user_create
from xinyong.core.tests import shots
from xinyong.core.tests.visible import assert_no_codes
from xinyong.exchange.fileservices import digests_store
from xinyong.subjects import services
from xinyong.subjects.demo import make_uscc

pytestmark = pytest.mark.browser


@pytest.fixture
def city(transactional_db, actors):
    clerk = actors["market_clerk"]
    return [
        services.organization_register(
            actor=clerk, uscc=make_uscc("91", "440300", 300 + i), name=name
        )
        for i, name in enumerate(
            ["信安华泰科技有限公司", "信安恒瑞网络科技有限公司", "信安宏康食品有限公司"]
        )
    ]


def test_search_and_open_a_subject(live_server, page, city):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "信用信息查询"
    page.fill("input[name=q]", "科技")
    page.click("button[type=submit]")
    rows = page.locator("table.results tbody tr")
    rows.first.wait_for()
    assert rows.count() == 2
    assert "信安宏康食品有限公司" not in page.content()
    page.click("text=信安恒瑞网络科技有限公司")
    page.wait_for_url("**/subjects/*/")
    assert page.locator("h1.subject-name").inner_text() == "信安恒瑞网络科技有限公司"
    assert city[1].uscc in page.content()
    shots.keep(page, str(Path(os.environ.get("XINYONG_VAR_DIR", "var")) / "browser-subject.png"))


def test_back_office_login_dashboard_and_defects(live_server, page, city, csp_violations, a11y):
    user_create(
        actor=SYSTEM, username="op", password="Xinyong-demo-2026", role=Role.PLATFORM_OPERATOR
    )
    page.goto(live_server.url + "/backoffice/")
    page.wait_for_url("**/backoffice/login/**")
    page.fill("input[name=username]", "op")
    page.fill("input[name=password]", "Xinyong-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/backoffice/")
    assert "工作台" in page.locator("h1").inner_text()
    assert "平台运营（信用办）" in page.content()
    page.click("header >> text=重错码治理")
    page.click("text=立即检查")
    page.wait_for_selector("text=重错码检查完成")
    assert "无效代码（0）" in page.content()
    a11y(page, "the code check done (message)")
    # The data-quality page's department picker submits itself (a script file, no inline
    # handler), and no page visited broke the Content-Security-Policy.
    page.click("header >> text=数据质量")
    page.select_option("select[name=provider]", "SW")
    page.wait_for_url("**/quality/?provider=SW")
    # The check log, reached from the check page (its read is audited).
    page.click("header >> text=信用核查")
    page.click("main >> text=核查记录")
    page.wait_for_url("**/backoffice/checks/log/")
    assert "核查记录" in page.locator("h1").inner_text()
    # File exchange's reconciliation (issue #17): each feed's stored daily digest, by name.
    digests_store(actor=SYSTEM, day=datetime.date(2026, 12, 1))
    page.click("header >> text=数据交换对账")
    page.wait_for_url("**/backoffice/exchange/digests/")
    assert "信用名单" in page.locator("table.digests").inner_text()
    assert_no_codes(page.content())
    a11y(page, "the exchange digests")
    assert csp_violations == []
    assert a11y.found == []


def test_language_switcher_and_password_reset_under_the_csp(
    live_server, transactional_db, page, csp_violations, a11y
):
    page.goto(live_server.url + "/account/login/")
    page.click("text=忘记密码？")
    page.wait_for_url("**/account/password-reset/")
    assert page.locator("h1").inner_text() == "重置密码"
    page.select_option("select[name=language]", "en")  # submits itself: no button needed
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.locator("h1").inner_text() == "Reset password"
    a11y(page, "a page in English")
    assert csp_violations == []
    assert a11y.found == []


def test_api_docs_work_under_the_csp(live_server, transactional_db, page, csp_violations):
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".opblock").first.wait_for()  # Swagger UI rendered the operations
    assert page.locator(".opblock").count() > 10
    assert csp_violations == []
