"""Stored payloads hold no resident ID in clear (sealed at rest, through every channel), are
still read for processing and retries, and are deleted after their retention."""

import datetime
import hashlib
import io
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from xinyong.audit.models import AuditEvent
from xinyong.core import sealed
from xinyong.core.errors import ValidationFailed
from xinyong.ingest import services
from xinyong.ingest.models import Batch
from xinyong.ingest.recovery import batch_payloads_purge, batch_retry
from xinyong.ingest.tasks import enqueue_batch
from xinyong.ingest.tests.conftest import penalty, push
from xinyong.ingest.tests.test_upload import _csv, _login, _upload, _xlsx
from xinyong.records.models import Record
from xinyong.subjects.idscan import resident_ids_in, resident_ids_under

ITEM = "administrative_penalty"
SAMPLES = Path(__file__).parent / "samples"
RID = "11010519491231002X"
RID2 = "330102198506123018"


def _person(n: int, rid: str = RID) -> dict:
    return penalty(n, XDR_MC="李四", XDR_LB="自然人", XDR_SHXYM=None, ZJLX="身份证", ZJHM=rid)


def test_the_scanner_finds_numbers_however_written():
    """The proof below is only as good as the scanner: it finds a valid number in ASCII,
    GBK, UTF-16, full-width, inside a longer run of digits and inside an XLSX; it ignores
    numbers whose check digit or birth date is wrong."""
    assert resident_ids_in(f"ZJHM,{RID}\n".encode()) == {RID}
    assert resident_ids_in(f"身份证：{RID2}".encode("gbk")) == {RID2}
    assert resident_ids_in(RID.encode("utf-16-le")) == {RID}
    wide = "".join(chr(ord(c) + 0xFEE0) for c in RID2)  # full-width digits
    assert resident_ids_in(wide.encode("gbk")) == {RID2}
    assert resident_ids_in(f"99{RID2}99".encode()) == {RID2}
    assert resident_ids_in(_xlsx([_person(1)])) == {RID}
    assert resident_ids_in(b"110105194912310021 914403001922038216") == set()


def test_no_resident_id_at_rest_after_batches_of_every_channel(
    client, market_token, users, actors, org_with_rep, settings, tmp_path
):
    """API push, upload (GBK CSV and XLSX) and `xinyong ingest_file` of the older GBK files
    whose identity-card columns hold the numbers: every batch is applied, and no file under
    the var directory holds a valid resident ID afterwards — while the payload digest is that
    of the bytes as received."""
    from xinyong.accounts.models import Department
    from xinyong.ingest.tests.conftest import AGENCY

    Department.objects.filter(code="SCJG").update(uscc=AGENCY)
    with_rep = penalty(2, FRDB_ZJLX="身份证", FRDB_ZJHM=RID2)  # an organisation's representative
    body = push(client, market_token, ITEM, [_person(1), with_rep]).json()
    assert (body["status"], body["created"]) == ("done", 2)
    clerk = _login(users["market_clerk"])
    content = _csv([_person(3, RID2), _person(4)], encoding="gbk")
    _upload(clerk, "处罚.csv", content)
    _upload(clerk, "处罚.xlsx", _xlsx([_person(5), _person(6, RID2)]))
    for name, item in (("licence_2016.csv", "administrative_licence"),
                       ("penalty_2016.csv", ITEM)):  # fmt: skip
        call_command("ingest_file", str(SAMPLES / name), "--item", item, "--provider", "SCJG",
                     stdout=io.StringIO(), verbosity=0)  # fmt: skip
    batches = list(Batch.objects.order_by("pk"))
    assert [b.status for b in batches] == ["done"] * 5
    assert Record.objects.filter(subject__kind="person").exists()
    gbk = batches[1]
    assert gbk.file_digest == hashlib.sha256(content).hexdigest()
    assert gbk.file_size == len(content)
    legacy = (SAMPLES / "licence_2016.csv").read_bytes()
    assert RID2 in resident_ids_in(legacy)  # the sample does hold numbers in clear
    assert batches[3].file_digest == hashlib.sha256(legacy).hexdigest()
    files = [p for p in Path(settings.XINYONG_BATCH_DIR).rglob("*") if p.is_file()]
    assert len(files) == 5 and all(sealed.is_sealed(p) for p in files)  # no .progress left
    assert resident_ids_under(tmp_path) == {}
    assert resident_ids_under(settings.VAR_DIR) == {}
    # Nor the downloads: the row report and the API's outcome of each batch.
    for b in batches:
        report = clerk.get(f"/backoffice/batches/{b.pk}/report.csv")
        assert report.status_code == 200
        assert resident_ids_in(b"".join(report.streaming_content)) == set()
        api = client.get(f"/api/v1/records/batches/{b.pk}",
                         headers={"Authorization": f"Bearer {market_token}"})  # fmt: skip
        assert api.status_code == 200 and resident_ids_in(api.content) == set()
    # Still readable for the platform: processed again from the sealed payload.
    Batch.objects.filter(pk=gbk.pk).update(status="failed")
    again = services.batch_process(batch_id=gbk.pk)
    assert (again.status, again.unchanged) == ("done", 2)


@pytest.mark.parametrize("size", [0, 1, sealed.SEGMENT - 1, sealed.SEGMENT, 2 * sealed.SEGMENT + 5])
def test_sealed_files_read_back_and_seek(tmp_path, size):
    data = bytes(range(256)) * (size // 256 + 1)
    data = data[:size]
    path = tmp_path / "p.sealed"
    assert sealed.seal(path, sealed.blocks_of(data, 300_000)) == size
    assert size < 64 or data[:4096] not in path.read_bytes()[sealed.HEADER :]
    with sealed.open_sealed(path) as f:
        assert f.read() == data
        f.seek(max(size - 7, 0))
        assert f.read() == data[max(size - 7, 0) :]
        assert f.seek(0, io.SEEK_END) == size
    assert sealed.SealedPath(path).read_bytes() == data
    with sealed.SealedPath(path) as f:
        assert f.read() == data


def test_sealed_files_refuse_tampering_truncation_and_path_opening(tmp_path):
    data = b"ZJHM\n" + RID.encode() * 200_000  # 3.6 MB: four segments
    path = tmp_path / "p.sealed"
    sealed.seal(path, sealed.blocks_of(data))
    raw = bytearray(path.read_bytes())
    flipped = tmp_path / "flipped.sealed"
    raw[sealed.HEADER + 10] ^= 1
    flipped.write_bytes(raw)
    with pytest.raises(sealed.SealedFileError), sealed.open_sealed(flipped) as f:
        f.read()
    cut = tmp_path / "cut.sealed"  # cut at a segment boundary: the last flag is missing
    cut.write_bytes(path.read_bytes()[: sealed.HEADER + 2 * (sealed.SEGMENT + sealed.TAG)])
    with pytest.raises(sealed.SealedFileError), sealed.open_sealed(cut) as f:
        f.read()
    with pytest.raises(TypeError):
        open(sealed.SealedPath(path), "rb")  # as a library opening the path would
    # Read as a file, as zipfile and openpyxl read an XLSX payload.
    with sealed.SealedPath(path) as f:
        assert f.seek(-36, io.SEEK_END) == len(data) - 36 and f.read() == RID.encode() * 2
    plain = tmp_path / "old.csv"  # payloads stored before sealing are read as they are
    plain.write_bytes(b"a,b\n1,2\n")
    with sealed.open_sealed(plain) as f:
        assert f.read() == b"a,b\n1,2\n"


def test_sealed_files_follow_key_rotation(tmp_path, settings):
    import base64

    from xinyong.core import crypto

    old, new = (base64.urlsafe_b64encode(bytes([n]) * 32).decode() for n in (1, 2))
    try:
        settings.XINYONG_PERSON_ENC_KEYS = [old]
        crypto._keys.cache_clear()
        sealed.seal(tmp_path / "p.sealed", [b"payload"])
        settings.XINYONG_PERSON_ENC_KEYS = [new, old]  # rotated: the old key still reads
        crypto._keys.cache_clear()
        assert sealed.SealedPath(tmp_path / "p.sealed").read_bytes() == b"payload"
        settings.XINYONG_PERSON_ENC_KEYS = [new]
        crypto._keys.cache_clear()
        with pytest.raises(sealed.SealedFileError):
            sealed.open_sealed(tmp_path / "p.sealed")
    finally:
        crypto._keys.cache_clear()
        crypto._ciphers.cache_clear()


def test_sealing_a_large_payload_streams(tmp_path):
    """A 12 MB payload is sealed and read back holding a segment or two in memory, not
    copies of the whole file."""
    data = (b"x" * 1023 + b"\n") * 12 * 1024
    tracemalloc.start()
    try:
        sealed.seal(tmp_path / "big.sealed", sealed.blocks_of(data))
        with sealed.open_sealed(tmp_path / "big.sealed") as f:
            while f.read(1 << 16):
                pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 6 * sealed.SEGMENT, peak  # ~4 MB measured, for a 12 MB payload


def _aged(batch: Batch, days: int) -> Batch:
    then = timezone.now() - datetime.timedelta(days=days)
    Batch.objects.filter(pk=batch.pk).update(received_at=then, finished_at=then)
    return Batch.objects.get(pk=batch.pk)


def test_payloads_are_deleted_after_their_retention(client, market_token, users, actors,
                                                    org_with_rep, settings):  # fmt: skip
    settings.XINYONG_BATCH_PAYLOAD_DAYS = 30
    root = Path(settings.XINYONG_BATCH_DIR)
    old = _aged(Batch.objects.get(pk=push(client, market_token, ITEM, [penalty(1)]).json()["id"]),
                31)  # fmt: skip
    recent = Batch.objects.get(pk=push(client, market_token, ITEM, [penalty(2)]).json()["id"])
    waiting = _aged(services.batch_submit_rows(actor=actors["market_clerk"], item_code=ITEM,
                                               rows=[penalty(3)], channel="api"), 40)  # fmt: skip
    # The daily upkeep deletes what is due, and only that.
    from xinyong.records.tasks import upkeep_run

    upkeep_run()
    assert not (root / old.payload_path).exists()
    assert (root / recent.payload_path).exists() and (root / waiting.payload_path).exists()
    old.refresh_from_db()
    assert old.payload_purged_at is not None and old.created == 1  # outcomes stay
    event = AuditEvent.objects.get(action="batch.payload_purge")
    assert event.detail["batches"] == [old.pk] and event.detail["days"] == 30
    # The page says so; it can no longer be processed again.
    html = _login(users["operator"]).get(f"/backoffice/batches/{old.pk}/").content.decode()
    assert "按保存期限" in html and "不能再重新处理" in html and "重新处理本批次" not in html
    Batch.objects.filter(pk=old.pk).update(status="failed")
    with pytest.raises(ValidationFailed) as e:
        batch_retry(actor=actors["operator"], batch_id=old.pk, enqueue=enqueue_batch)
    assert e.value.errors[0].rule == "batch.payload_purged"
    # The command does the same now; 0 keeps payloads.
    _aged(recent, 31)
    settings.XINYONG_BATCH_PAYLOAD_DAYS = 0
    assert batch_payloads_purge(actor=actors["operator"]) == 0
    settings.XINYONG_BATCH_PAYLOAD_DAYS = 30
    out = io.StringIO()
    call_command("batch", "purge", stdout=out)
    assert "已删除 1 个" in out.getvalue() and not (root / recent.payload_path).exists()
    with pytest.raises(CommandError, match="不能再重新处理"):
        call_command("batch", "retry", str(old.pk), stdout=io.StringIO(), verbosity=0)


def test_payloads_stored_in_clear_before_sealing_are_sealed_by_the_upkeep(
    client, market_token, users, org_with_rep, settings
):
    """An upgraded platform: a payload written in clear by the older code is sealed by the
    next upkeep (and still processed again from it)."""
    body = push(client, market_token, ITEM, [_person(1)]).json()
    batch = Batch.objects.get(pk=body["id"])
    root = Path(settings.XINYONG_BATCH_DIR)
    clear = batch.payload_path.removesuffix(".sealed")
    (root / clear).write_bytes(sealed.SealedPath(root / batch.payload_path).read_bytes())
    (root / batch.payload_path).unlink()
    Batch.objects.filter(pk=batch.pk).update(payload_path=clear)
    assert resident_ids_under(root) != {}
    call_command("batch", "purge", stdout=io.StringIO())
    batch.refresh_from_db()
    assert batch.payload_path == f"{clear}.sealed" and resident_ids_under(root) == {}
    Batch.objects.filter(pk=batch.pk).update(status="failed")
    assert services.batch_process(batch_id=batch.pk).unchanged == 1
