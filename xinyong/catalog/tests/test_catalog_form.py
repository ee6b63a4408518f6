"""Catalog items edited in a form (issue #14 item 8): each setting a field of the form,
each fault a Chinese sentence naming the field, next to it; a valid edit is one new version
and one audit event; a refused one writes nothing; only the credit office may edit."""

import pytest
from django.test import Client

from xinyong.audit.models import AuditEvent
from xinyong.catalog import forms, selectors
from xinyong.catalog.models import CatalogItemVersion
from xinyong.core.tests.visible import assert_no_codes

pytestmark = pytest.mark.django_db
URL = "/backoffice/catalog/administrative_penalty/edit/"
# Faults of the item as a whole (shown above the form, not next to one field).
ITEM_WIDE = (
    "“有效期内",
    "至少须有",
    "字段编码重复",
    "字段与主体",
    "决定日期字段",
    "只有公开",
    "字段：",
)


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _post_of(form: dict, **changes) -> dict:
    """The form as the browser submits it: checkboxes only when ticked."""
    body = {k: v for k, v in form.items() if k not in ("rows", "providers", "subject_kinds")}
    body |= {"providers": form["providers"], "subject_kinds": form["subject_kinds"],
             "rows": str(len(form["rows"]))}  # fmt: skip
    for n, row in enumerate(form["rows"]):
        for attr, value in row.items():
            if attr in ("required", "multiple", "remove"):
                if value:
                    body[f"f{n}_{attr}"] = "on"
            elif attr != "blank":
                body[f"f{n}_{attr}"] = str(value)
    body |= changes
    return {k: v for k, v in body.items() if v is not None}


def _state() -> tuple[int, int]:
    return CatalogItemVersion.objects.count(), AuditEvent.objects.count()


def _initial():
    return forms.initial(selectors.item_current("administrative_penalty")[1])


def test_the_form_shows_the_item_by_names(users):
    page = _login(users["operator"]).get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "行政处罚决定书文号" in html and "各部门" in html and "按公示期限规则公示" in html
    assert "法人和非法人组织" in html and "金额（万元）" in html
    assert_no_codes(html)
    detail = _login(users["operator"]).get("/backoffice/catalog/administrative_penalty/")
    assert (
        "编辑目录项" in detail.content.decode() and "高级：以 YAML 修订" in detail.content.decode()
    )


def test_an_edit_is_one_new_version_and_one_audit_event(users):
    form = _initial()
    rows = form["rows"]
    wfff = next(n for n, r in enumerate(rows) if r["code"] == "CF_NR_WFFF")
    bz = next(n for n, r in enumerate(rows) if r["code"] == "BZ")
    new = len(rows) - 3  # the first blank row
    before = _state()
    body = _post_of(
        form,
        name="行政处罚信息（修订）",
        publicity_mode="while_valid",
        valid_to_field="CF_YXQ",
        retention_years="6",
        note="没收金额改为必填，增加执法人员，去掉备注",
        **{f"f{wfff}_required": "on", f"f{bz}_remove": "on",
           f"f{new}_code": "CF_ZFRY", f"f{new}_name": "执法人员", f"f{new}_type": "string",
           f"f{new}_disclosure": "restricted", f"f{new}_max_length": "100"},
    )  # fmt: skip
    r = _login(users["operator"]).post(URL, body)
    assert r.status_code == 302, r.content.decode()[:3000]
    assert _state() == (before[0] + 1, before[1] + 1)
    assert AuditEvent.objects.order_by("-seq").first().action == "catalog.item_revise"
    item = selectors.item_current("administrative_penalty")[1]
    by_code = {f.code: f for f in item.fields}
    assert item.version == 2 and item.name == "行政处罚信息（修订）" and item.retention_years == 6
    assert by_code["CF_NR_WFFF"].required and "BZ" not in by_code
    assert by_code["CF_ZFRY"].disclosure == "restricted" and by_code["CF_ZFRY"].max_length == 100
    assert by_code["CF_CFLB"].aliases == ("CF_CFLB1",)  # what the form does not show is kept
    assert item.decision_date_field == "CF_JDRQ" and item.valid_to_field == "CF_YXQ"
    assert item.publicity.mode == "while_valid"
    assert by_code["CF_CFLB"].choices[:2] == ("警告", "通报批评")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": "  "}, "目录项名称：不能为空"),
        ({"legal_basis": ""}, "法律依据：不能为空"),
        ({"retention_years": "五年"}, "保存年限：应为整数"),
        ({"retention_years": "1000"}, "保存年限：不得大于100"),
        ({"category": "gossip"}, "目录类别：不是可选的值"),
        ({"providers": None}, "至少须有一个提供部门"),
        ({"providers": ["no such dept"]}, "提供部门：应为部门编码"),
        ({"note": ""}, "修订说明必填"),
        ({"f0_code": "cf wsh"}, "第 1 个字段（cf wsh）的编码：应为大写字母开头"),
        ({"f0_name": ""}, "的名称：不能为空"),
        ({"f0_max_length": "-3"}, "的最大长度：不得小于1"),
        ({"f0_type": "enum"}, "CF_WSH：枚举字段须列出可选值"),
        ({"f0_type": "id_number"}, "CF_WSH：证件号码字段不得公开"),
        ({"f1_code": "CF_WSH"}, "字段编码重复：CF_WSH"),
        ({"f0_code": "XDR_MC"}, "字段与主体信息字段重复：XDR_MC"),
        ({"f9_remove": "on"}, "决定日期字段指向的字段 CF_JDRQ 不存在"),
        ({"disclosure": "restricted"}, "只有公开属性为“公开”的目录项才能公示"),
        ({"publicity_mode": "while_valid"}, "“有效期内公示”须指定有效期字段"),
        ({"decision_date_field": "CF_WSH"}, "决定日期字段须为日期字段：CF_WSH"),
        ({"f0_code": "\x00"}, ""),
        ({"rows": "99999999999999999999999"}, "字段：至少需要1项"),
    ],
)
def test_a_faulty_edit_names_the_field_and_writes_nothing(users, changes, words):
    form = _initial()
    assert form["rows"][9]["code"] == "CF_JDRQ"
    body = _post_of(form, **({"note": "修订"} | changes))
    before = _state()
    r = _login(users["operator"]).post(URL, body)
    assert r.status_code == 400
    html = r.content.decode()
    assert words in html, words
    if words and not words.startswith(ITEM_WIDE):
        assert 'class="field-error"' in html  # next to the field as well
    assert "catalog." not in html and "string_pattern_mismatch" not in html
    assert _state() == before
    assert selectors.item_current("administrative_penalty")[1].version == 1


def test_an_unchanged_form_is_refused(users):
    r = _login(users["operator"]).post(URL, _post_of(_initial(), note="无修改"))
    assert r.status_code == 400 and "定义没有变化" in r.content.decode()


def test_only_the_credit_office_edits(users):
    clerk = _login(users["market_clerk"])
    assert clerk.get(URL).status_code == 403
    before = _state()
    r = clerk.post(URL, _post_of(_initial(), name="改名", note="x"))
    assert r.status_code == 403 and _state() == before
    assert (
        _login(users["operator"]).get("/backoffice/catalog/no_such_item/edit/").status_code == 404
    )
