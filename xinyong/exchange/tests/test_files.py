"""File exchange with an upper platform's node (GB/T 39443-2020's file interface): a
package of the upper platform's serious-dishonesty designations and evaluation results
goes through ingestion (entries published, records traceable to the node), the lists feed
then goes back to the node as a package whose manifest and signature verify; exports resume
without gap or duplicate; a tampered package is refused whole; a re-import is skipped."""

import csv
import datetime
import hashlib
import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.services import department_save
from xinyong.conftest import HUAWEI
from xinyong.exchange import files, nodes
from xinyong.exchange.fileservices import digests_store, package_export, package_import
from xinyong.exchange.models import ExchangeNode, ReceivedPackage
from xinyong.ingest.models import Batch
from xinyong.lists.models import ListEntry
from xinyong.records.models import Record
from xinyong.reports import signing

pytestmark = pytest.mark.django_db
UPPER = "GJ-CREDIT"


@pytest.fixture
def upper(settings, tmp_path, departments):
    settings.XINYONG_EXCHANGE_DIR = tmp_path / "exchange"
    dept = department_save(
        actor=SYSTEM, code="GJPT", name="全国信用信息共享平台", kind="administrative"
    )
    return ExchangeNode.objects.create(
        code=UPPER, name="全国平台交换结点", department=dept, feeds=["lists"]
    )


def designation(n: int, **over) -> dict:
    row = {
        "XDR_MC": "华为技术有限公司", "XDR_LB": "法人及非法人组织", "XDR_SHXYM": HUAWEI,
        "MD_RDWH": f"国市监信认〔2026〕{n}号", "MD_LB": "严重破坏市场公平竞争秩序和社会正常秩序",
        "MD_SY": "提供虚假材料骗取许可", "MD_YJ": "《市场监督管理严重违法失信名单管理办法》第九条",
        "MD_RDRQ": "2026-11-20", "MD_YXQZ": "2029-11-19", "MD_RDJG": "国家市场监督管理总局",
    }  # fmt: skip
    return row | over


def grade(n: int) -> dict:
    return {"XDR_MC": "华为技术有限公司", "XDR_LB": "法人及非法人组织", "XDR_SHXYM": HUAWEI,
            "PJ_BH": f"NS-2026-{n}", "PJ_LY": "纳税信用", "PJ_DJ": "A", "PJ_RQ": "2026-04-01",
            "PJ_JG": "国家税务总局"}  # fmt: skip


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    return out.getvalue().encode()


def drop(name: str, data: dict[str, tuple[str, bytes]], **manifest_over):
    """The upper node drops a package in its inbox: {file name: (item, content)}."""
    inbox = nodes.folder(UPPER, "inbox")
    pkg = inbox / name
    pkg.mkdir()
    listed = []
    for fname, (item, content) in data.items():
        (pkg / fname).write_bytes(content)
        listed.append({"name": fname, "item": item, "sha256": hashlib.sha256(content).hexdigest()})
    manifest = {"spec": "GB/T 39443-2020", "package": name, "from_node": UPPER,
                "to_node": nodes.own_code(), "files": listed} | manifest_over  # fmt: skip
    (pkg / files.MANIFEST).write_bytes(files.manifest_bytes(manifest))
    return pkg


def _import(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the list sync the batch queues
        call_command("exchange_import", stdout=io.StringIO())


def _lines(pkg) -> list[dict]:
    manifest = json.loads((pkg / files.MANIFEST).read_bytes())
    return [json.loads(x) for x in (pkg / manifest["files"][0]["name"]).read_text().splitlines()]


def test_upper_lists_and_results_come_in_and_the_lists_feed_goes_back(
    upper, org_with_rep, django_capture_on_commit_callbacks
):
    drop("GJ-20261201-1", {"md.csv": ("serious_dishonesty_entry", _csv([designation(1)])),
                           "pj.csv": ("credit_evaluation_result", _csv([grade(1)]))})  # fmt: skip
    _import(django_capture_on_commit_callbacks)
    entry = ListEntry.objects.get()
    assert (entry.status, entry.external, entry.decision_no) == (
        "published", True, "国市监信认〔2026〕1号",
    )  # fmt: skip
    # Records are the node's department's, received on the exchange channel.
    got = Record.objects.order_by("item_code").values_list("item_code", "provider__code", "channel")
    assert list(got) == [("credit_evaluation_result", "GJPT", "exchange"),
                         ("serious_dishonesty_entry", "GJPT", "exchange")]  # fmt: skip
    receipt = json.loads(
        (nodes.folder(UPPER, "outbox") / "receipt-GJ-20261201-1.json").read_bytes()
    )
    assert receipt["status"] == "accepted"
    assert [(b["file"], b["accepted"], b["rejected"]) for b in receipt["batches"]] == [
        ("md.csv", 1, 0), ("pj.csv", 1, 0),
    ]  # fmt: skip
    assert (nodes.folder(UPPER, "done") / "GJ-20261201-1").is_dir()
    # Back to the node: the lists feed, its manifest's digests and signature verify.
    stored = digests_store(actor=SYSTEM, day=entry.published_at.astimezone().date())
    out = io.StringIO()
    call_command("exchange_export", "--feed", "lists", stdout=out)
    pkg = next(p for p in nodes.folder(UPPER, "outbox").iterdir() if p.is_dir())
    manifest = json.loads((pkg / files.MANIFEST).read_bytes())
    sig = json.loads((pkg / files.SIGNATURE).read_bytes())
    assert signing.verify(manifest, sig["value"], sig["public_key"])
    data = pkg / manifest["files"][0]["name"]
    assert files.file_sha256(data) == manifest["files"][0]["sha256"]
    lines = _lines(pkg)
    assert [(e["action"], e["decision_no"]) for e in lines] == [("import", "国市监信认〔2026〕1号")]
    assert (manifest["from_node"], manifest["to_node"], manifest["count"]) == (
        nodes.own_code(), UPPER, 1,
    )  # fmt: skip
    lists_digest = next(d for d in stored if d.feed == "lists")
    assert manifest["reconciliation"] == [lists_digest.as_manifest()]
    assert lists_digest.count == 1 and lists_digest.last_seq == lines[0]["seq"]
    # The database interface: the read-only view shows the same committed change.
    with connection.cursor() as cur:
        cur.execute("SELECT seq, action FROM exchange_feed_lists_v")
        assert cur.fetchall() == [(lines[0]["seq"], "import")]


def test_export_resumes_without_gap_or_duplicate(
    upper, org_with_rep, django_capture_on_commit_callbacks
):
    drop("p1", {"md.csv": ("serious_dishonesty_entry", _csv([designation(1)]))})
    _import(django_capture_on_commit_callbacks)
    first = package_export(actor=SYSTEM, node=upper, feed="lists")
    assert package_export(actor=SYSTEM, node=upper, feed="lists") is None  # nothing new
    # Another designation arrives between runs (a different subject's, so a new entry).
    other = designation(2, XDR_MC="信安示范有限公司", XDR_SHXYM="91339900MA1X2Y3B1X")
    drop("p2", {"md.csv": ("serious_dishonesty_entry", _csv([other]))})
    _import(django_capture_on_commit_callbacks)
    second = package_export(actor=SYSTEM, node=upper, feed="lists")
    assert second.after == first.upto  # the next package starts where the last ended
    seqs = [e["seq"] for e in _lines(first.path)] + [e["seq"] for e in _lines(second.path)]
    assert len(seqs) == len(set(seqs)) == ListEntry.objects.count() == 2
    # A re-send from 0 leaves the cursor where it was.
    resend = package_export(
        actor=SYSTEM, node=upper, feed="lists", after=0, to=first.path.parent.parent
    )
    assert resend.count == 2 and package_export(actor=SYSTEM, node=upper, feed="lists") is None


def test_tampered_package_is_refused_whole_and_a_reimport_is_skipped(
    upper, org_with_rep, django_capture_on_commit_callbacks
):
    pkg = drop("bad", {"md.csv": ("serious_dishonesty_entry", _csv([designation(1)])),
                       "pj.csv": ("credit_evaluation_result", _csv([grade(1)]))})  # fmt: skip
    (pkg / "pj.csv").write_bytes(_csv([grade(2)]))  # changed after the manifest was made
    with pytest.raises(CommandError, match="拒收 1 个数据包"):
        _import(django_capture_on_commit_callbacks)
    assert not Batch.objects.exists() and not Record.objects.exists()
    receipt = json.loads((nodes.folder(UPPER, "rejected") / "bad" / files.RECEIPT).read_bytes())
    assert (receipt["status"], receipt["rule"]) == ("rejected", "file.digest")
    assert "pj.csv" in receipt["message"]
    assert (nodes.folder(UPPER, "outbox") / "receipt-bad.json").is_file()
    # A good package imported, then dropped again: skipped by its digest.
    good = drop("good", {"md.csv": ("serious_dishonesty_entry", _csv([designation(1)]))})
    copy = good.parent.parent / "copy"
    shutil.copytree(good, copy)
    _import(django_capture_on_commit_callbacks)
    shutil.move(copy, good)
    _import(django_capture_on_commit_callbacks)
    assert Batch.objects.count() == 1 and ListEntry.objects.count() == 1
    assert ReceivedPackage.objects.filter(status="accepted").count() == 1


@pytest.mark.parametrize(
    "over, rule",
    [({"from_node": "NOBODY"}, "node.unknown"), ({"to_node": "ELSEWHERE"}, "node.recipient")],
)
def test_a_package_for_or_from_the_wrong_node_is_refused(upper, over, rule):
    pkg = drop("wrong", {"md.csv": ("serious_dishonesty_entry", _csv([designation(1)]))}, **over)
    done = package_import(actor=SYSTEM, package=pkg)
    assert (done.status, done.rule) == ("rejected", rule) and not Batch.objects.exists()


@pytest.mark.parametrize(
    "args, named",
    [(["--feed", "nope"], "--feed"), (["--feed", "lists", "--after", "-1"], "--after"),
     (["--feed", "lists", "--node", "NOBODY"], "--node"),
     (["--feed", "lists", "--to", "/nonexistent"], "--to")],
)  # fmt: skip
def test_bad_arguments_name_the_argument(upper, args, named):
    with pytest.raises(CommandError, match=named):
        call_command("exchange_export", *args)


def test_import_of_a_missing_directory_names_it(upper):
    with pytest.raises(CommandError, match="DIR"):
        call_command("exchange_import", "/nonexistent")


def test_the_digests_page_names_feeds_and_nodes(client, upper, users):
    from xinyong.core.tests.visible import assert_no_codes

    digests_store(actor=SYSTEM, day=datetime.date(2026, 12, 1))
    drop("odd", {"md.csv": ("no_such_item", b"x")})
    package_import(actor=SYSTEM, package=nodes.folder(UPPER, "inbox") / "odd")
    client.force_login(users["operator"])
    page = client.get("/backoffice/exchange/digests/").content.decode()
    assert page.count("2026-12-01") == 5 and "信用名单" in page and "双公示" in page
    assert "全国平台交换结点" in page and "目录中没有启用的目录项" in page
    assert_no_codes(page)


def test_the_daily_upkeep_stores_yesterdays_digests_once_and_sends_the_packages(
    upper, org_with_rep, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from xinyong.exchange.fileservices import exchange_daily
    from xinyong.exchange.models import DailyDigest

    drop("p1", {"md.csv": ("serious_dishonesty_entry", _csv([designation(1)]))})
    _import(django_capture_on_commit_callbacks)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    exchange_daily(actor=SYSTEM, now=tomorrow)
    exchange_daily(actor=SYSTEM, now=tomorrow)  # again: nothing changes, nothing re-sent
    stored = DailyDigest.objects.filter(day=timezone.localdate())
    assert stored.count() == 5 and stored.get(feed="lists").count == 1
    sent = [p for p in nodes.folder(UPPER, "outbox").iterdir() if p.is_dir()]
    assert len(sent) == 1 and len(_lines(sent[0])) == 1


def test_two_exports_of_one_range_place_one_package(
    upper, org_with_rep, django_capture_on_commit_callbacks, monkeypatch
):
    """An export that read the cursor before another one moved it is refused at its end,
    its package not put in place: the receiver never gets one range twice."""
    from xinyong.core.errors import Conflict
    from xinyong.exchange.filemodels import ExportCursor

    drop("p1", {"md.csv": ("serious_dishonesty_entry", _csv([designation(1)]))})
    _import(django_capture_on_commit_callbacks)
    first = package_export(actor=SYSTEM, node=upper, feed="lists")
    stale = ExportCursor.objects.get(node=upper, feed="lists")
    stale.last_seq = 0  # what a second export read before the first one finished
    monkeypatch.setattr(ExportCursor.objects, "get_or_create", lambda **kw: (stale, False))
    with pytest.raises(Conflict):
        package_export(actor=SYSTEM, node=upper, feed="lists")
    outbox = first.path.parent
    assert sorted(p.name for p in outbox.iterdir() if p.name.startswith(first.name[:20])) == [
        first.name
    ]


def _refuse_on(step: str, name: str, error: Exception, monkeypatch):
    """Ingestion refuses ``name``'s submission at ``step`` (prepare: its checks and stored
    payload; record: its batch row, after the earlier files' rows were written)."""
    from xinyong.ingest import services as ingest

    real = getattr(ingest, f"batch_{step}")
    batches_then = []  # the batches written when the refusal came

    def refusing(**kw):
        named = kw["file_name"] if step == "prepare" else kw["prepared"].file_name
        if named == name:
            batches_then.append(Batch.objects.count())
            raise error
        return real(**kw)

    monkeypatch.setattr(ingest, f"batch_{step}", refusing)
    return batches_then


def _stored_payloads(settings) -> list:
    return [p for p in settings.XINYONG_BATCH_DIR.rglob("*") if p.is_file()]


@pytest.mark.parametrize("step", ["prepare", "record"])
def test_a_refusal_on_the_second_file_leaves_nothing_of_the_first(
    upper, org_with_rep, django_capture_on_commit_callbacks, monkeypatch, settings, tmp_path,
    step,
):  # fmt: skip
    """All or nothing: the first file's batch (recorded already, at the record step) is
    rolled back with its stored payload, no record is written, the package is refused —
    moved to ``rejected`` with a receipt naming the second file and the rule — and it is
    not marked imported (the same package, once fixed, comes in whole)."""
    from xinyong.audit.models import AuditEvent
    from xinyong.core.errors import ValidationFailed

    settings.XINYONG_BATCH_DIR = tmp_path / "batches"
    error = ValidationFailed.one("file", "file.too_large", "文件超过报送通道的大小上限")
    batches_then = _refuse_on(step, "pj.csv", error, monkeypatch)
    drop("half", {"md.csv": ("serious_dishonesty_entry", _csv([designation(1)])),
                  "pj.csv": ("credit_evaluation_result", _csv([grade(1)]))})  # fmt: skip
    with pytest.raises(CommandError, match="拒收 1 个数据包"):
        _import(django_capture_on_commit_callbacks)
    # At the record step the first file's batch was written when the second was refused.
    assert batches_then == [1 if step == "record" else 0]
    assert not Batch.objects.exists() and not Record.objects.exists()
    assert not ListEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="batch.submit").exists()
    assert not _stored_payloads(settings)
    assert not ReceivedPackage.objects.filter(status="accepted").exists()
    assert ReceivedPackage.objects.get().rule == "file.too_large"
    receipt = json.loads((nodes.folder(UPPER, "rejected") / "half" / files.RECEIPT).read_bytes())
    assert (receipt["status"], receipt["rule"], receipt["file"]) == (
        "rejected", "file.too_large", "pj.csv",
    )  # fmt: skip
    assert receipt["message"] == "pj.csv：文件超过报送通道的大小上限"
    assert not (nodes.folder(UPPER, "done") / "half").exists()


def test_an_unexpected_error_on_the_second_file_writes_nothing_and_keeps_the_package(
    upper, org_with_rep, django_capture_on_commit_callbacks, monkeypatch, settings, tmp_path
):
    """A fault that is not the package's (a full disk storing the second file) writes
    nothing either, and leaves the package in the inbox: the next run imports it whole."""
    settings.XINYONG_BATCH_DIR = tmp_path / "batches"
    with monkeypatch.context() as m:
        _refuse_on("prepare", "pj.csv", OSError(28, "No space left on device"), m)
        drop("later", {"md.csv": ("serious_dishonesty_entry", _csv([designation(1)])),
                       "pj.csv": ("credit_evaluation_result", _csv([grade(1)]))})  # fmt: skip
        with pytest.raises(OSError, match="No space"):
            _import(django_capture_on_commit_callbacks)
    assert not Batch.objects.exists() and not ReceivedPackage.objects.exists()
    assert not _stored_payloads(settings)
    assert (nodes.folder(UPPER, "inbox") / "later").is_dir()
    _import(django_capture_on_commit_callbacks)
    assert Batch.objects.count() == 2 and Record.objects.count() == 2
    assert ReceivedPackage.objects.get().status == "accepted"
