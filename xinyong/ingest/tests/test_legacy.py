"""Feeds in the older (2016) dual-publicity field set: sample files as departments still
send them (old codes in GBK, the old Chinese headers in UTF-8) and API rows with old keys
are read into the current standard, with what the platform supplied counted and what it
cannot tell refused with the reason."""

import datetime
from pathlib import Path

import pytest

from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.models import Department
from xinyong.disclosure.models import Publication
from xinyong.disclosure.sweep import publication_sweep
from xinyong.ingest import services
from xinyong.ingest.models import Batch, BatchRow
from xinyong.ingest.tests.conftest import AGENCY, fetch, push
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def market_uscc(departments):
    Department.objects.filter(pk=departments["market"].pk).update(uscc=AGENCY)


def _load(actors, name: str, item: str) -> Batch:
    batch = services.batch_submit(
        actor=actors["market_clerk"],
        item_code=item,
        channel="upload",
        file_format="csv",
        payload=SAMPLES / name,
        file_name=name,
    )
    return services.batch_process(batch_id=batch.pk)


def _errors(batch: Batch) -> dict[int, list[str]]:
    return {
        r.row_no: [e["rule"] for e in r.errors]
        for r in BatchRow.objects.filter(batch=batch, outcome="rejected")
    }


def test_old_licence_file_in_gbk_is_read_into_the_current_standard(
    actors, org_with_rep, market_uscc
):
    batch = _load(actors, "licence_2016.csv", "administrative_licence")
    assert (batch.status, batch.total, batch.created, batch.rejected) == ("done", 4, 2, 2)
    assert _errors(batch) == {3: ["legacy.status"], 4: ["legacy.unit_code"]}
    org = Record.objects.get(source_id="市市监许〔2026〕101号")
    assert org.subject.uscc == "914403001922038216"
    d = org.data
    assert (d["XK_XKWS"], d["XK_XKLB"]) == ("食品经营许可", "普通")
    assert d["XK_XKJG"] == "市市场监督管理局"
    assert (d["XK_YXQZ"], d["XK_YXQZI"], d["XK_ZT"]) == ("2026-10-12", "2031-10-11", "有效")
    assert (d["XDR_LB"], d["FRDB"], d["XK_XKJGDM"], d["XK_LYDWDM"]) == (
        "法人及非法人组织", "张三", AGENCY, AGENCY,
    )  # fmt: skip
    assert "DFBM" not in d and "SJC" not in d
    # The old identity-card column of an organisation is its representative's: masked in
    # the record, the number itself only encrypted.
    assert (d["FRDB_ZJLX"], d["FRDB_ZJHM"]) == ("身份证", "110105********002X")
    assert org.sealed and "11010519491231002X" not in org.sealed
    person = Record.objects.get(source_id="市市监许〔2026〕102号")
    assert person.subject.kind == "person" and person.data["XDR_LB"] == "自然人"
    assert person.data["XK_ZT"] == "有效"  # status 2 (objection) does not end validity
    assert "330102198506123018" not in str(person.data)
    legacy = batch.stats["legacy"]
    assert legacy["rows"] == 4
    assert legacy["supplied"]["XK_XKJGDM"] == 2 and legacy["supplied"]["XK_YXQZ"] == 2
    rows = BatchRow.objects.get(batch=batch, row_no=4).errors
    assert "信安市交通运输局" in rows[0]["message"] and rows[0]["field"] == "XK_XKJGDM"


def test_old_penalty_file_with_chinese_headers_merges_and_resolves_kinds(
    actors, org_with_rep, market_uscc
):
    batch = _load(actors, "penalty_2016.csv", "administrative_penalty")
    assert (batch.status, batch.created, batch.rejected) == ("done", 3, 2)
    assert _errors(batch) == {4: ["legacy.kind_ambiguous"], 5: ["legacy.kind"]}
    kinds = dict(
        Record.objects.filter(item_code="administrative_penalty").values_list(
            "source_id", "data__CF_CFLB"
        )
    )
    assert kinds == {
        "市市监罚〔2026〕201号": "罚款",
        "市市监罚〔2026〕202号": "吊销许可证件",
        "市市监罚〔2026〕203号": "罚款;没收违法所得",
    }
    fine = Record.objects.get(source_id="市市监罚〔2026〕201号").data
    assert (fine["CF_WFXW"], fine["CF_NR"], fine["CF_CFJG"]) == (
        "虚假宣传案", "罚款人民币五万元", "市市场监督管理局",
    )  # fmt: skip
    assert (fine["CF_YXQ"], fine["CF_SJLY"], fine["CF_SJLYDM"]) == (
        "2099-12-31", "市市场监督管理局", AGENCY,
    )  # fmt: skip
    # The revocation read from the old combined kind is a serious penalty: shown 3 years.
    publication_sweep(actor=SYSTEM)
    revoked = Publication.objects.get(record__source_id="市市监罚〔2026〕202号")
    assert revoked.penalty_class == "serious"
    assert revoked.public_until == datetime.date(2029, 10, 13)
    message = BatchRow.objects.get(batch=batch, row_no=4).errors[0]["message"]
    assert "暂扣许可证件还是吊销许可证件" in message


def test_without_the_departments_uscc_the_codes_cannot_be_supplied(
    actors, departments, org_with_rep
):
    Department.objects.filter(pk=departments["market"].pk).update(uscc="")
    batch = _load(actors, "penalty_2016.csv", "administrative_penalty")
    assert batch.created == 0 and Record.objects.count() == 0
    first = BatchRow.objects.get(batch=batch, row_no=1).errors
    assert {e["rule"] for e in first} == {"legacy.provider_uscc"}
    assert "未登记统一社会信用代码" in first[0]["message"]


def test_old_status_revoked_withdraws_and_new_files_are_unaffected(
    client, actors, org_with_rep, market_uscc, market_token
):
    _load(actors, "licence_2016.csv", "administrative_licence")
    # An API push in old keys: status 1 (撤销) withdraws; an old and a current column for
    # one field in one row is refused.
    r = push(client, market_token, "administrative_licence", [
        {"XK_WSH": "市市监许〔2026〕101号", "XK_XDR": "华为技术有限公司", "XK_ZT": "1",
         "DFBM": "330100"},
        {"XK_WSH": "市市监许〔2026〕109号", "XK_XDR": "华为技术有限公司",
         "XDR_MC": "华为公司", "XK_XMMC": "食品经营许可", "XK_SPLB": "普通", "XK_NR": "x",
         "XK_XDR_SHXYM": "914403001922038216", "XK_JDRQ": "2026-10-20",
         "XK_JZQ": "2027-10-19", "XK_XZJG": "市市场监督管理局", "SJC": "2026-10-20"},
    ])  # fmt: skip
    assert r.status_code in (200, 201, 202), r.content
    out = fetch(client, market_token, r.json()["id"], outcome="rejected").json()
    assert (out["withdrawn"], out["rejected"]) == (1, 1)
    assert out["rows"][0]["errors"][0]["rule"] == "legacy.repeated"
    assert Record.objects.get(source_id="市市监许〔2026〕101号").status == "withdrawn"


def test_old_file_missing_an_old_required_column_is_refused_naming_it(
    tmp_path, actors, org_with_rep, market_uscc
):
    lines = (SAMPLES / "licence_2016.csv").read_text(encoding="gbk").splitlines()
    cut = [",".join(c for i, c in enumerate(line.split(",")) if i != 3) for line in lines]
    path = tmp_path / "no_content.csv"
    subjects = Subject.objects.count()
    path.write_text("\n".join(cut), encoding="gbk")
    batch = services.batch_process(
        batch_id=services.batch_submit(
            actor=actors["market_clerk"], item_code="administrative_licence", channel="upload",
            file_format="csv", payload=path, file_name=path.name,
        ).pk
    )  # fmt: skip
    assert batch.status == "rejected"
    assert [(e["field"], e["rule"]) for e in batch.errors] == [("XK_NR", "column.missing")]
    assert Record.objects.count() == 0 and Subject.objects.count() == subjects


def test_batch_page_says_what_was_read_in_the_old_set(client, users, actors, org_with_rep,
                                                       market_uscc):  # fmt: skip
    batch = _load(actors, "licence_2016.csv", "administrative_licence")
    client.force_login(users["market_clerk"])
    page = client.get(f"/backoffice/batches/{batch.pk}/").content.decode()
    assert "4 行按旧版（2016年）双公示字段集读取" in page
    assert "许可机关统一社会信用代码 × 2" in page and "XK_XKJGDM" not in page
    assert "有效期自 × 2" in page
