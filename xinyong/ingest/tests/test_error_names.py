"""The batch page names each field as the catalog does (违法行为类型), never by its code
(CF_WFXW): in a rejected row's errors, in the batch's own errors, in the counts of errors
kept without details, and in messages stored before they were written with names alone."""

import pytest
from django.test import Client

from xinyong.core.tests.visible import assert_no_codes
from xinyong.ingest.models import Batch, BatchRow
from xinyong.ingest.tests.conftest import penalty, push

pytestmark = pytest.mark.django_db


def _page(users, batch) -> str:
    c = Client()
    c.force_login(users["market_clerk"])
    r = c.get(f"/backoffice/batches/{batch.pk}/")
    assert r.status_code == 200
    return r.content.decode()


def test_rejected_rows_name_their_fields(client, users, market_token, org_with_rep):
    bad = penalty(1, CF_WFXW="", CF_JDRQ="2026-13-40")
    body = push(client, market_token, "administrative_penalty", [bad]).json()
    assert body["rejected"] == 1
    row = BatchRow.objects.get()
    assert {e["field"] for e in row.errors} >= {"CF_WFXW", "CF_JDRQ"}  # the API keeps codes
    assert not any("CF_" in e["message"] for e in row.errors)  # new messages: names only
    html = _page(users, Batch.objects.get())
    assert_no_codes(html, fields=True, names=["违法行为类型", "处罚决定日期"])


def test_messages_stored_with_codes_are_shown_with_names(client, users, market_token,
                                                         org_with_rep):  # fmt: skip
    push(client, market_token, "administrative_penalty", [penalty(1, CF_WFXW="")])
    batch = Batch.objects.get()
    old = [
        {"field": "CF_WFXW", "rule": "required", "message": "违法行为类型（CF_WFXW）：必填"},
        {"field": "CF_JDRQ", "rule": "date.order", "message": "CF_JDRQ 不能晚于 CF_YXQ"},
    ]
    BatchRow.objects.filter(batch=batch).update(errors=old)
    stats = {**batch.stats, "omitted": {"rows": 3, "errors": {"CF_SY|required": 3}}}
    Batch.objects.filter(pk=batch.pk).update(
        stats=stats,
        errors=[{"field": "XDR_SHXYM", "rule": "uscc.length", "message": "XDR_SHXYM 长度不对"}],
    )
    text = assert_no_codes(_page(users, batch), fields=True, names=["违法行为类型"])
    assert "违法行为类型 · 违法行为类型：必填" in text
    assert "“处罚决定日期” 不能晚于 “处罚有效期”" in text
    assert "违法事实 · 必填项缺失 × 3" in text  # the counts kept without details
    assert "统一社会信用代码" in text
