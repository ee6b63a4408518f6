"""Reads that show a batch's rows (source ids, error messages quoting content) leave an
audit event naming who read which batch: the page, the API and the report download."""

import datetime

import pytest
from django.test import Client

from xinyong.audit.models import AuditEvent
from xinyong.ingest.services import batch_process, batch_submit_rows
from xinyong.ingest.tests.conftest import fetch, penalty


@pytest.fixture
def batch(actors, org_with_rep):
    day = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    rows = [penalty(1, CF_JDRQ=day), penalty(2, CF_JDRQ=day, XDR_SHXYM="91440300192203821X")]
    b = batch_submit_rows(actor=actors["market_clerk"], item_code="administrative_penalty",
                          rows=rows, channel="api")  # fmt: skip
    return batch_process(batch_id=b.pk)


def _reads(action: str, batch) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(action=action, object_type="batch", object_id=str(batch.pk))
        .order_by("seq")
        .values_list("actor_label", "action")
    )


@pytest.mark.parametrize("reader", ["market_clerk", "operator", "auditor"])
def test_batch_page_read_is_audited(users, batch, reader):
    c = Client()
    c.force_login(users[reader])
    assert c.get(f"/backoffice/batches/{batch.pk}/").status_code == 200
    assert _reads("batch.read", batch) == [(reader, "batch.read")]


def test_batch_report_download_is_audited(users, batch):
    c = Client()
    c.force_login(users["market_clerk"])
    r = c.get(f"/backoffice/batches/{batch.pk}/report.csv")
    assert r.status_code == 200 and b"".join(r.streaming_content)
    assert _reads("batch.report_download", batch) == [("market_clerk", "batch.report_download")]


def test_batch_read_through_the_api_is_audited(client, market_token, batch):
    assert fetch(client, market_token, batch.pk).status_code == 200
    assert _reads("batch.read", batch) == [("市场监管业务系统", "batch.read")]


def test_a_refused_read_writes_nothing(users, batch):
    c = Client()
    c.force_login(users["tax_clerk"])
    assert c.get(f"/backoffice/batches/{batch.pk}/").status_code == 404
    assert _reads("batch.read", batch) == []


def test_a_running_batch_has_no_rows_to_audit_yet(users, actors, org_with_rep):
    """Its page reloads every 3 s while it runs: no event per reload for nothing shown."""
    b = batch_submit_rows(actor=actors["market_clerk"], item_code="administrative_penalty",
                          rows=[penalty(1)], channel="api")  # fmt: skip
    c = Client()
    c.force_login(users["market_clerk"])
    assert c.get(f"/backoffice/batches/{b.pk}/").status_code == 200
    assert _reads("batch.read", b) == []
    batch_process(batch_id=b.pk)
    assert c.get(f"/backoffice/batches/{b.pk}/").status_code == 200
    assert _reads("batch.read", b) == [("market_clerk", "batch.read")]


# -- the credit check log ------------------------------------------------------------------
@pytest.fixture
def checked(actors, org_with_rep):
    from xinyong.sanctions.services import credit_check

    return credit_check(
        actor=actors["market_clerk"], matter="government_procurement", uscc=org_with_rep.uscc
    )


@pytest.mark.parametrize(
    "reader,sees", [("market_clerk", True), ("tax_clerk", False), ("auditor", True)]
)
def test_check_log_read_is_audited(users, checked, reader, sees):
    c = Client()
    c.force_login(users[reader])
    html = c.get("/backoffice/checks/log/").content.decode()
    assert (f"<td>{checked['check_id']}</td>" in html) is sees
    ev = AuditEvent.objects.get(action="check_log.read")
    assert ev.actor_label == reader
    assert ev.detail["checks"] == ([checked["check_id"]] if sees else [])
    if sees:  # the matter by its name, never its code
        assert "<td>政府采购</td>" in html and "government_procurement" not in html


def test_portal_account_may_not_read_the_check_log(actors, checked):
    from xinyong.accounts.actors import ANONYMOUS
    from xinyong.core.errors import PermissionDenied
    from xinyong.sanctions.selectors import check_log

    with pytest.raises(PermissionDenied):
        check_log(actor=ANONYMOUS)
    assert not AuditEvent.objects.filter(action="check_log.read").exists()
