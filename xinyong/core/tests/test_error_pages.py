"""The error pages a visitor meets: in Chinese (English when chosen), in the site's frame,
with a way back to where they were — the portal's home, or the back office's dashboard."""

import pytest
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import translation

from xinyong import urls as site_urls
from xinyong.core import errorpages
from xinyong.core.errors import PermissionDenied


def _boom(request):
    raise RuntimeError("the database went away")


def _refuse(request):
    raise PermissionDenied("只有平台运营人员可以修订资源目录")


def _suspicious(request):
    from django.core.exceptions import BadRequest

    raise BadRequest("rows.3.CF_WFXW: string.nul")


# A URLconf of the site's own pages and handlers plus views that fail, for the 500/403/400.
urlpatterns = [
    path("boom/", _boom),
    path("backoffice/boom/", _boom),
    path("refuse/", _refuse),
    path("backoffice/refuse/", _refuse),
    path("bad/", _suspicious),
    path("api/v1/boom/", _boom),
    *site_urls.urlpatterns,
]
handler400, handler403 = site_urls.handler400, site_urls.handler403
handler404, handler500 = site_urls.handler404, site_urls.handler500

PORTAL_HOME = 'href="/"'
DASHBOARD = 'href="/backoffice/"'


def _page(client: Client, url: str, status: int, method: str = "get") -> str:
    response = getattr(client, method)(url)
    assert response.status_code == status, url
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.fixture
def english():
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.urls(__name__)
def test_not_found_pages_in_chinese_lead_back(client, db):
    portal = _page(client, "/subjects/999999999/", 404)
    assert "页面不存在" in portal and "返回首页" in portal and PORTAL_HOME in portal
    assert "Not Found" not in portal
    assert 'lang="zh-hans"' in portal and "site.css" in portal

    backoffice = _page(client, "/backoffice/no-such-page/", 404)
    assert "页面不存在" in backoffice and "返回工作台" in backoffice and DASHBOARD in backoffice


@pytest.mark.urls(__name__)
def test_not_found_pages_in_english_when_chosen(english, db):
    portal = _page(english, "/no-such-page/", 404)
    assert "Page not found" in portal and "Back to the home page" in portal
    assert "页面不存在" not in portal
    backoffice = _page(english, "/backoffice/no-such-page/", 404)
    assert "Page not found" in backoffice and "Back to the dashboard" in backoffice


@pytest.mark.urls(__name__)
def test_forbidden_pages_say_why_and_lead_back(client, english, users):
    # A service's refusal on a portal page: in Chinese, in its own words, back to the portal.
    page = _page(Client(raise_request_exception=False), "/refuse/", 403)
    assert "无权访问" in page and "只有平台运营人员可以修订资源目录" in page
    assert "403 Forbidden" not in page and PORTAL_HOME in page

    client.force_login(users["market_clerk"])
    page = _page(client, "/backoffice/refuse/", 403)
    assert "无权访问" in page and "平台运营人员（信用办）" in page and DASHBOARD in page

    english.force_login(users["market_clerk"])
    page = _page(english, "/backoffice/refuse/", 403)
    assert "Access denied" in page and "Back to the dashboard" in page


@pytest.mark.urls(__name__)
def test_back_office_refuses_a_portal_visitor_with_the_chinese_page(db):
    """The real gate (``staff_actor``), not a test view: a signed-in non-staff visitor."""
    from xinyong.accounts.models import User

    visitor = User.objects.create_user("visitor_a", password="Xinyong-demo-2026")
    client = Client(raise_request_exception=False)
    client.force_login(visitor)
    page = _page(client, "/backoffice/", 403)
    assert "无权访问" in page and DASHBOARD in page


@pytest.mark.urls(__name__)
def test_server_error_pages(client, english):
    portal = _page(client, "/boom/", 500)
    assert "系统暂时出现故障" in portal and "返回首页" in portal and PORTAL_HOME in portal
    assert "database went away" not in portal and "Server Error" not in portal
    backoffice = _page(client, "/backoffice/boom/", 500)
    assert "系统暂时出现故障" in backoffice and DASHBOARD in backoffice
    page = _page(english, "/boom/", 500)
    assert "Something went wrong on our side" in page and 'lang="en"' in page


def test_server_error_page_needs_neither_database_nor_session():
    """The 500 page is rendered when the database itself failed: it reads no table (this
    test has no database: pytest-django refuses any query) and never asks who the visitor
    is."""

    class Unreachable:
        def __getattr__(self, name):
            raise AssertionError(f"the 500 page touched request.{name}")

    request = RequestFactory().get("/backoffice/subjects/1/")
    request.user = request.session = Unreachable()
    with translation.override("zh-hans"):
        response = errorpages.server_error(request)
    assert response.status_code == 500
    assert "系统暂时出现故障" in response.content.decode()


@pytest.mark.urls(__name__)
def test_api_server_error_is_json_in_utf8(client):
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json()["detail"][0]["rule"] == "server"
    assert "服务器内部错误".encode() in response.content


@pytest.mark.urls(__name__)
def test_bad_request_pages_name_no_rule(client, english, db):
    page = _page(client, "/bad/", 400)
    assert "请求无法处理" in page and "string.nul" not in page and PORTAL_HOME in page
    # The input guard's refusal of a query string holding NUL.
    page = _page(client, "/backoffice/login/?next=%00", 400)
    assert "请求无法处理" in page and DASHBOARD in page
    page = _page(english, "/search/?q=%00", 400)
    assert "Bad request" in page


def test_csrf_refusal_page_in_chinese(db):
    client = Client(enforce_csrf_checks=True)
    page = _page(client, "/account/login/", 403, method="post")
    assert "表单已失效" in page and "刷新页面" in page and "CSRF verification failed" not in page
