"""What every page's frame shows: success messages as successes (and errors as errors),
the site's own icon (no external asset), the admin's headings in Chinese, and a form's
error as the field's label and a sentence."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import translation

from xinyong.core.errors import FieldError
from xinyong.core.fieldlabels import error_lines
from xinyong.core.tests.formerrors import field_error

FAVICON = '<link rel="icon" href="/static/xinyong/favicon.svg" type="image/svg+xml">'


def test_success_message_is_styled_as_success(db):
    client = Client()
    form = {"username": "frame_agent", "display_name": "李经办", "password": "Credit-Office-2026!"}
    r = client.post("/account/register/", form, follow=True)
    html = r.content.decode()
    assert '<li class="success"><span role="status">账号已创建' in html
    css = open(finders.find("xinyong/site.css"), encoding="utf-8").read()
    assert "ul.messages li.success" in css and "ul.messages li.error" in css


def test_favicon_served_and_linked(users):
    client = Client()
    icon = client.get("/static/xinyong/favicon.svg")
    assert icon.status_code == 200 and icon["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(icon.streaming_content)
    assert FAVICON in client.get("/").content.decode()
    client.force_login(users["operator"])
    assert FAVICON in client.get("/backoffice/").content.decode()
    assert FAVICON in client.get("/admin/").content.decode()


def test_admin_headings_in_chinese_and_english(users):
    client = Client()
    client.force_login(users["operator"])
    html = client.get("/admin/").content.decode()
    assert "<h1>基础数据</h1>" in html and "xinyong 公共信用信息平台 · 基础数据管理" in html
    assert "登录限制" in html and "后台任务" in html
    for english in ("Site administration", "Model name", "Add link", "Axes", "Tasks Database"):
        assert english not in html
    client.cookies["django_language"] = "en"
    html = client.get("/admin/").content.decode()
    assert "<h1>Reference data</h1>" in html and "基础数据" not in html


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("evidence", "证明材料"),  # a service's field name
        ("items[2].measure", "措施"),  # a list item's part
        ("materials.court_judgment", "申请材料"),  # a part nobody labelled: its whole
        ("definition.code", "目录项编码"),
        ("rows.3.CF_WFXW", ""),  # no label: the message alone (it names the column)
    ],
)
def test_error_lines_name_the_field_never_the_path(field, label):
    with translation.override("zh-hans"):
        [line] = error_lines([FieldError(field, "file.content", "文件内容不是 PDF")])
    assert line == {"label": label, "message": "文件内容不是 PDF"}


def test_service_errors_follow_the_chosen_language(db):
    """The services' refusals are translated like the pages: a visitor who chose English
    reads the rule in English, with the field's English label."""
    form = {"username": "ab", "display_name": "", "password": "Credit-Office-2026!"}
    english = Client()
    english.cookies["django_language"] = "en"
    html = english.post("/account/register/", form).content.decode()
    assert field_error(html, "username").startswith("A username has 4–30 letters, digits or")
    assert "用户名应为" not in html
    html = english.get("/search/", {"q": "华"}).content.decode()
    assert "Enter at least 2 characters of a name" in html
    assert "请输入至少2个字" in Client().get("/search/", {"q": "华"}).content.decode()


def test_back_office_refusals_follow_the_chosen_language(users):
    english = Client()
    english.cookies["django_language"] = "en"
    english.force_login(users["operator"])
    r = english.post("/backoffice/catalog/honor/", {"definition": "code: honor", "note": ""})
    assert r.status_code == 400 and "A note on the revision is required" in r.content.decode()
    chinese = Client()
    chinese.force_login(users["operator"])
    r = chinese.post("/backoffice/catalog/honor/", {"definition": "code: honor", "note": ""})
    assert "修订说明必填" in r.content.decode()


def test_the_core_app_config_is_ours_and_registers_the_platform_checks():
    """Django picks ``CoreConfig`` (its ``ready()`` registers the database checks: UTF-8,
    the working-day calendar) — not a plain config, as when ``core.apps`` held three."""
    from django.apps import apps
    from django.core.checks import registry

    from xinyong.core.apps import CoreConfig
    from xinyong.core.checks import calendar_covered

    assert type(apps.get_app_config("core")) is CoreConfig
    assert str(apps.get_app_config("core").verbose_name) == "基础"
    assert calendar_covered in registry.registry.get_checks(include_deployment_checks=True)
