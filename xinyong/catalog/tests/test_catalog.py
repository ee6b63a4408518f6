"""The catalog: the shipped default covers the national categories; versions are added,
never rewritten; the operator revises items in the back office; definitions that would let
in records without basis, provider or protection are refused with the field named."""

import shutil

import pytest
import yaml
from django.test import Client

from xinyong.accounts.actors import SYSTEM
from xinyong.audit.models import AuditEvent
from xinyong.catalog import selectors, services
from xinyong.catalog.choices import Category
from xinyong.catalog.models import CatalogItem, CatalogItemVersion
from xinyong.core.errors import ValidationFailed
from xinyong.ingest.services import batch_process, batch_submit_rows
from xinyong.ingest.tests.conftest import penalty
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_default_catalog_covers_every_national_category():
    items = selectors.catalog_items()
    assert len(items) == 26  # 18 national items, the courts' list, breaches, self-declaration,
    # practitioners' records, substantiated tips
    # the industry associations' sanctions, credit service agencies' misconduct
    assert {d.category for _, d in items} == set(Category.values)
    penalty_item = dict((d.code, d) for _, d in items)["administrative_penalty"]
    codes = {f.code for f in penalty_item.fields}
    assert {"CF_WSH", "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR", "CF_JDRQ", "CF_GSJZQ",
            "CF_CFJG", "CF_CFJGDM", "CF_SJLY", "CF_SJLYDM"} <= codes  # fmt: skip


@pytest.fixture
def catalog_dir(tmp_path):
    for name in ("honor.yaml", "intellectual_property.yaml"):
        shutil.copy(services.DEFAULT_DIR / name, tmp_path / name)
    return tmp_path


def _edit(path, **changes):
    data = yaml.safe_load(path.read_text("utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def test_sync_adds_versions_and_refuses_rewriting_history(catalog_dir):
    assert services.catalog_sync(actor=SYSTEM, directory=catalog_dir).unchanged
    _edit(catalog_dir / "honor.yaml", version=2, name="诚实守信相关荣誉信息（修订）")
    report = services.catalog_sync(actor=SYSTEM, directory=catalog_dir)
    assert report.upgraded == ["honor v2"]
    assert [v.version for v in selectors.item_versions("honor")] == [2, 1]
    # Content changed under the same number: refused, and the other file's upgrade with it.
    _edit(catalog_dir / "honor.yaml", legal_basis="另一依据")
    _edit(catalog_dir / "intellectual_property.yaml", version=2)
    with pytest.raises(ValidationFailed) as e:
        services.catalog_sync(actor=SYSTEM, directory=catalog_dir)
    assert e.value.errors[0].rule == "catalog.version_not_bumped"
    assert CatalogItemVersion.objects.filter(item_code="intellectual_property").count() == 1


@pytest.mark.parametrize(
    ("change", "rule_part"),
    [
        ({"legal_basis": ""}, "legal_basis"),
        ({"providers": []}, "提供部门"),
        ({"category": "gossip"}, "category"),
        ({"disclosure": "shared"}, "只有公开属性为“公开”的目录项才能公示"),
    ],
)
def test_definitions_without_basis_provider_or_protection_refused(catalog_dir, change, rule_part):
    _edit(catalog_dir / "honor.yaml", version=5, **change)
    with pytest.raises(ValidationFailed) as e:
        services.catalog_sync(actor=SYSTEM, directory=catalog_dir)
    assert any(rule_part in (x.field + x.message) for x in e.value.errors)
    assert selectors.item_current("honor")[1].version == 1


def test_identifier_field_can_never_be_public():
    text = yaml.safe_dump(selectors.item_current("honor")[1].model_dump(mode="json"))
    data = yaml.safe_load(text)
    data["fields"].append({"code": "RY_ZJHM", "name": "证件号码", "type": "id_number",
                           "disclosure": "public"})  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        services.parse_definition(yaml.safe_dump(data), source="definition")
    assert "证件号码字段不得公开" in e.value.errors[0].message


def test_operator_revises_in_back_office_and_records_keep_their_version(users, actors):
    from xinyong.subjects import services as subjects

    subjects.organization_register(
        actor=actors["market_clerk"], uscc="914403001922038216", name="华为技术有限公司"
    )
    batch = batch_submit_rows(
        actor=actors["market_clerk"], item_code="administrative_penalty", rows=[penalty(1)],
        channel="api",
    )  # fmt: skip
    batch_process(batch_id=batch.pk)
    old = Record.objects.get()
    version, item = selectors.item_current("administrative_penalty")
    data = item.model_dump(mode="json")
    data["fields"] = [
        {**f, "required": True} if f["code"] == "CF_NR_WFFF" else f for f in data["fields"]
    ]
    c = _login(users["operator"])
    r = c.post(
        "/backoffice/catalog/administrative_penalty/",
        {"definition": yaml.safe_dump(data, allow_unicode=True), "note": "没收违法所得改为必填"},
    )
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "已保存为第 2 版" in page and "没收违法所得改为必填" in page
    new_version, new_item = selectors.item_current("administrative_penalty")
    assert new_item.version == 2 and old.item_version_id == version.pk
    assert AuditEvent.objects.filter(action="catalog.item_revise").count() == 1
    # Batches from now on are checked against version 2.
    batch = batch_submit_rows(
        actor=actors["market_clerk"], item_code="administrative_penalty", rows=[penalty(2)],
        channel="api",
    )  # fmt: skip
    done = batch_process(batch_id=batch.pk)
    assert done.rejected == 1 and done.item_version_id == new_version.pk
    assert done.rows.get().errors[0]["field"] == "CF_NR_WFFF"


def test_bad_revision_named_and_clerk_cannot_revise(users):
    c = _login(users["operator"])
    r = c.post("/backoffice/catalog/honor/", {"definition": "code: [unclosed", "note": "x"})
    html = r.content.decode()
    assert r.status_code == 400 and "目录项定义" in html and "yaml.syntax" not in html
    r = c.post("/backoffice/catalog/honor/", {"definition": "code: honor", "note": ""})
    assert r.status_code == 400 and "修订说明必填" in r.content.decode()
    clerk = _login(users["market_clerk"])
    assert "保存为新版本" not in clerk.get("/backoffice/catalog/honor/").content.decode()
    text = yaml.safe_dump(selectors.item_current("honor")[1].model_dump(mode="json"))
    clerk.post(
        "/backoffice/catalog/honor/", {"definition": text.replace("荣誉", "荣"), "note": "x"}
    )
    assert CatalogItemVersion.objects.filter(item_code="honor").count() == 1
    assert CatalogItem.objects.get(code="honor").current_version.version == 1


def test_catalog_list_page(users):
    html = _login(users["tax_clerk"]).get("/backoffice/catalog/").content.decode()
    assert "行政处罚信息" in html and "自愿提供信息" in html and "v1" in html


def test_a_revision_without_note_is_named_beside_the_note(users):
    from xinyong.core.tests.formerrors import field_error

    r = _login(users["operator"]).post("/backoffice/catalog/honor/", {
        "definition": "code: [unclosed", "note": " ",
    })  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 400 and field_error(html, "note") == "修订说明必填"
    assert field_error(html, "definition") and "<details open>" in html
    assert "code: [unclosed" in html  # the text as written, to correct it
    assert CatalogItemVersion.objects.filter(item_code="honor").count() == 1
