"""The portal's 信用双公示 column: what the sweep published, searchable by name, code and
decision number, filtered by department and date; detail pages; clear errors."""

import datetime

import pytest

from xinyong.accounts.actors import SYSTEM
from xinyong.disclosure.sweep import publication_sweep
from xinyong.ingest.services import batch_process, batch_submit_rows
from xinyong.ingest.tests.conftest import NEW_ORG, penalty
from xinyong.records.models import Record
from xinyong.records.tests.test_credit_file import licence

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(actors, org_with_rep):
    def submit(item, rows):
        batch = batch_submit_rows(actor=actors["market_clerk"], item_code=item, rows=rows,
                                  channel="api")  # fmt: skip
        assert batch_process(batch_id=batch.pk).rejected == 0

    submit("administrative_penalty", [
        penalty(1, CF_JDRQ="2026-11-02"),
        penalty(2, CF_JDRQ="2026-10-20", XDR_MC="信安恒瑞科技有限公司", XDR_SHXYM=NEW_ORG),
        penalty(3, CF_CFLB="警告", CF_NR="警告"),  # not published
        penalty(4, XDR_LB="自然人", XDR_MC="王小明", XDR_SHXYM=None, ZJLX="身份证",
                ZJHM="11010519491231002X"),
    ])  # fmt: skip
    submit("administrative_licence", [licence(1)])
    publication_sweep(actor=SYSTEM)
    return org_with_rep


def test_column_lists_newest_first_and_only_published(client, published):
    html = client.get("/publicity/").content.decode()
    assert html.index("信市监罚〔2026〕1号") < html.index("信市监罚〔2026〕2号")
    assert "信市监罚〔2026〕3号" not in html  # a warning only: not published
    assert "王*" in html and "王小明" not in html and "110105" not in html  # a person, masked
    assert "信市监许〔2026〕1号" in client.get("/publicity/?kind=licence").content.decode()


@pytest.mark.parametrize(
    ("params", "found", "absent"),
    [
        ({"q": "恒瑞"}, "信市监罚〔2026〕2号", "信市监罚〔2026〕1号"),
        ({"q": "914403001922038216"}, "信市监罚〔2026〕1号", "信市监罚〔2026〕2号"),
        ({"q": "信市监罚〔2026〕2号"}, "信市监罚〔2026〕2号", "信市监罚〔2026〕1号"),
        ({"date_to": "2026-10-31"}, "信市监罚〔2026〕2号", "信市监罚〔2026〕1号"),
        ({"provider": "SCJG", "date_from": "2026-11-01"}, "信市监罚〔2026〕1号",
         "信市监罚〔2026〕2号"),
        ({"provider": "SW"}, "没有符合条件的公示信息", "信市监罚"),
    ],
)  # fmt: skip
def test_column_search_and_filters(client, published, params, found, absent):
    html = client.get("/publicity/", params).content.decode()
    assert found in html and absent not in html


def test_detail_page_and_what_is_not_public(client, published):
    rec = Record.objects.get(source_id="信市监罚〔2026〕1号")
    html = client.get(f"/publicity/{rec.pk}/").content.decode()
    assert (
        "行政处罚信息" in html and "在商品包装上作虚假宣传" in html and "市市场监督管理局" in html
    )
    hidden = Record.objects.get(source_id="信市监罚〔2026〕3号")
    assert client.get(f"/publicity/{hidden.pk}/").status_code == 404
    assert client.get("/publicity/999999/").status_code == 404


def test_bad_filters_are_named(client, published):
    r = client.get("/publicity/", {"kind": "tax", "date_from": "2026-02-30", "page": "0"})
    html = r.content.decode()
    assert r.status_code == 400
    assert "kind" in html and "date_from" in html and "page" in html


def test_period_end_takes_effect_before_the_sweep(client, published, monkeypatch):
    from django.utils import timezone

    later = datetime.date(2027, 11, 3)  # a year and a day after the decision of 2026-11-02
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    assert "信市监罚〔2026〕1号" not in client.get("/publicity/").content.decode()
