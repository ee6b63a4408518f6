"""File exchange's writes (GB/T 39443-2020's file interface): a feed's package written
for a node, a node's package imported through the ingestion pipeline or refused whole, and
the daily count-and-digest stored. Each is a service: one transaction, one audit event.

Export is resumable without gap or duplicate because it reads the change log's cursor
(``exchange.selectors.changes_read``) from the last seq exported to that node for that
feed, and each package's manifest says the range it covers, ``(after, upto]``: the next
package starts where the last ended, which the receiver can check."""

import datetime
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog import selectors as catalog
from xinyong.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from xinyong.exchange import files, nodes
from xinyong.exchange.choices import Feed
from xinyong.exchange.filemodels import (
    DailyDigest,
    ExchangeNode,
    ExportCursor,
    PackageStatus,
    ReceivedPackage,
)
from xinyong.exchange.files import PackageRefused
from xinyong.exchange.selectors import MAX_LIMIT, feed_digest, feed_read
from xinyong.ingest import services as ingest
from xinyong.ingest.models import Batch, BatchRow
from xinyong.records.choices import Channel

RECEIPT_ROWS = 1000  # rejected rows a receipt names, per batch (the batch report has all)


@dataclass
class Exported:
    name: str
    path: Path
    after: int
    upto: int
    count: int


def package_export(
    *, actor: Actor, node: ExchangeNode, feed: str, after: int | None = None,
    to: Path | None = None, now: datetime.datetime | None = None,
) -> Exported | None:  # fmt: skip
    """Write the package of ``feed``'s entries after ``after`` (default: the node's cursor)
    into ``to`` (default: the node's outbox); None when nothing new was published. Only a
    run from the cursor moves it (``after`` given: a re-send, the cursor stays)."""
    now = now or timezone.now()
    cursor, _ = ExportCursor.objects.get_or_create(node=node, feed=feed)
    start = cursor.last_seq if after is None else after
    outbox = Path(to) if to else nodes.folder(node.code, "outbox")
    work = nodes.temp_dir(outbox)
    try:
        name = f"{feed}.jsonl"
        sha, count, first, last, days, pos = hashlib.sha256(), 0, None, None, set(), start
        with (work / name).open("wb") as out:
            while True:
                entries, nxt = feed_read(feed, after=pos, limit=MAX_LIMIT, actor=actor)
                for e in entries:
                    line = files.entry_line(e)
                    out.write(line)
                    sha.update(line)
                    first = first or e["seq"]
                    last = e["seq"]
                    if isinstance(e.get("at"), datetime.datetime):
                        days.add(timezone.localdate(e["at"]))
                count += len(entries)
                if nxt is None:
                    break
                pos = nxt
        if not count:  # the cursor stays: the next package starts where the last ended
            shutil.rmtree(work)
            return None
        package = f"{nodes.own_code()}-{node.code}-{feed}-{start + 1:012d}-{pos:012d}"
        digests = DailyDigest.objects.filter(feed=feed, day__in=days).order_by("day")
        manifest = {
            "spec": nodes.SPEC, "data_elements": nodes.ELEMENTS, "interface": "file",
            "package": package, "from_node": nodes.own_code(), "to_node": node.code,
            "feed": feed, "after": start, "upto": pos, "first_seq": first, "last_seq": last,
            "count": count, "generated_at": now.isoformat(),
            "files": [{"name": name, "format": "jsonl", "rows": count,
                       "size": (work / name).stat().st_size, "sha256": sha.hexdigest()}],
            "reconciliation": [d.as_manifest() for d in digests],
        }  # fmt: skip
        (work / files.MANIFEST).write_bytes(files.manifest_bytes(manifest))
        (work / files.SIGNATURE).write_bytes(files.manifest_sign(manifest))
        with transaction.atomic():
            moved = ExportCursor.objects.filter(pk=cursor.pk, last_seq=start)
            if after is None and not moved.update(last_seq=pos, exported_at=now):
                # Another export of this node and feed moved the cursor since it was read:
                # its package covers this range; this one is not put in place.
                message = gettext("同一交换结点和数据类别的导出正在进行")
                raise Conflict("feed", "export.concurrent", message)
            audit_event_append(
                actor=actor, action=AuditAction.EXCHANGE_EXPORT, object_type="exchange_package",
                object_id=package, detail={"node": node.code, "feed": feed, "after": start,
                                           "upto": pos, "count": count},
            )  # fmt: skip
            nodes.put_in_place(work, outbox / package)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Exported(package, outbox / package, start, pos, count)


@dataclass
class Imported:
    name: str
    status: str  # accepted, rejected, skipped
    rule: str = ""
    message: str = ""
    batches: list[dict] = field(default_factory=list)


def package_import(*, actor: Actor, package: Path) -> Imported:
    """Import one package from an inbox, all or nothing.

    Checked whole first (manifest, node, signature, every file's digest, item and
    provider). Then every file's submission is prepared — checked as ingestion checks a
    batch, its payload stored sealed — before anything is written, and the batches are
    recorded together with the package's own row and audit event in ONE transaction: a
    refusal on any file (at either step) rolls back the batches of the files before it,
    deletes their stored payloads, and refuses the package — moved to ``rejected`` beside
    the inbox, with a receipt naming the file and the rule. An unexpected error (a full
    disk, the database gone) writes nothing either and leaves the package in the inbox for
    the next run.

    Once recorded, each batch is processed at once on the exchange channel (external
    lists then become entries as from any provider); a batch that fails processing stays
    failed for the operator's retry (the ingestion pipeline's own way), and the receipt of
    every batch's accepted and rejected rows goes to the node's outbox. A package whose
    manifest was imported before is skipped."""
    now = timezone.now()
    node, digest = None, ""
    try:
        manifest, digest = files.manifest_read(package)
        if ReceivedPackage.objects.filter(digest=digest, status=PackageStatus.ACCEPTED).exists():
            nodes.move_aside(package, package.parent.parent / "done")
            return Imported(str(manifest["package"]), "skipped")
        node = _checked_node(package, manifest)
        data = files.files_check(package, manifest)
        for f in data:
            _checked_item(node, f.item)
    except PackageRefused as refused:
        return _refuse(actor, package, node, digest, refused, now)
    name = str(manifest["package"])[:200]
    prepared: list = []
    try:
        for f in data:
            prepared.append(_submission(f, lambda f=f: _prepare(actor, node, f)))
        with transaction.atomic():
            recorded = [
                _submission(f, lambda p=p: ingest.batch_record(actor=actor, prepared=p))
                for f, p in zip(data, prepared, strict=True)
            ]
            received = ReceivedPackage.objects.create(
                node=node, name=name, digest=digest, status=PackageStatus.ACCEPTED,
                received_at=now, receipt=_receipt(name, node.code, "accepted", now, batches=[
                    {"file": f.path.name, "item": b.item_code, "batch": b.pk}
                    for f, b in zip(data, recorded, strict=True)
                ]),
            )  # fmt: skip
            audit_event_append(
                actor=actor, action=AuditAction.EXCHANGE_IMPORT, object_type="exchange_package",
                object_id=name, detail={"node": node.code, "digest": digest,
                                        "batches": [b.pk for b in recorded]},
            )  # fmt: skip
    except PackageRefused as refused:
        _discard(prepared)
        return _refuse(actor, package, node, digest, refused, now)
    except BaseException:
        _discard(prepared)
        raise
    nodes.move_aside(package, nodes.folder(node.code, "done"))
    batches = [
        _batch_receipt(f.path.name, _processed(b)) for f, b in zip(data, recorded, strict=True)
    ]
    receipt = _receipt(name, node.code, "accepted", now, batches=batches)
    # The receipt's figures are the batches' (each processed and audited as a batch).
    ReceivedPackage.objects.filter(pk=received.pk).update(receipt=receipt)
    nodes.write_atomic(nodes.folder(node.code, "outbox") / f"receipt-{name}.json", _json(receipt))
    return Imported(name, "accepted", batches=batches)


# A file's submission refused by ingestion's own checks: the package is refused whole.
_REFUSALS = (ValidationFailed, Conflict, PermissionDenied, NotFound)


def _prepare(actor: Actor, node: ExchangeNode, f: files.DataFile):
    return ingest.batch_prepare(
        actor=actor, item_code=f.item, channel=Channel.EXCHANGE, file_format=f.file_format,
        payload=f.path, file_name=f.path.name, provider_code=node.department.code,
        total_hint=f.rows or 0,
    )  # fmt: skip


def _submission(f: files.DataFile, step):
    """Run one file's submission step; its refusal becomes the package's, naming the file
    and the rule (the refusal's own rule where it has one)."""
    try:
        return step()
    except _REFUSALS as e:
        if isinstance(e, ValidationFailed) and e.errors:
            rule, message = e.errors[0].rule, "；".join(x.message for x in e.errors)
        elif isinstance(e, Conflict):
            rule, message = e.error.rule, e.error.message
        else:
            rule, message = "file.submit", str(e)
        raise PackageRefused(rule, f"{f.path.name}：{message}", file=f.path.name) from None


def _discard(prepared: list) -> None:
    for p in prepared:
        ingest.batch_discard(p)


def _processed(batch) -> Batch:
    """The batch processed now; one that fails stays failed, its errors in the receipt."""
    try:
        return ingest.batch_process(batch_id=batch.pk)
    except Exception:  # logged by batch_process, which marked the batch failed
        return Batch.objects.get(pk=batch.pk)


def _checked_node(package: Path, manifest: dict) -> ExchangeNode:
    node = nodes.node_named(str(manifest["from_node"]))
    if node is None:
        raise PackageRefused("node.unknown", f"未登记的交换结点：{manifest['from_node']}")
    if manifest["to_node"] != nodes.own_code():
        raise PackageRefused("node.recipient", f"数据包发往 {manifest['to_node']}，不是本平台")
    if node.public_key:
        files.signature_check(package, manifest, node.public_key)
    return node


def _checked_item(node: ExchangeNode, code: str) -> None:
    try:
        _version, item = catalog.item_current(code)
    except NotFound:
        raise PackageRefused("file.item", f"目录中没有启用的目录项：{code}") from None
    if not item.provided_by(node.department.code):
        raise PackageRefused(
            "file.provider", f"{node.department.name}不是目录项“{item.name}”的信息提供单位"
        )


def _batch_receipt(file_name: str, batch) -> dict:
    rows = (
        BatchRow.objects.filter(batch_id=batch.pk, outcome="rejected")
        .order_by("row_no")
        .values_list("row_no", "source_id", "errors")[:RECEIPT_ROWS]
    )
    return {
        "file": file_name, "item": batch.item_code, "batch": batch.pk, "status": batch.status,
        "total": batch.total, "accepted": batch.accepted, "rejected": batch.rejected,
        "errors": batch.errors,
        "rejected_rows": [{"row": r, "source_id": s, "errors": e} for r, s, e in rows],
    }  # fmt: skip


def _receipt(name, node_code, status, now, **more) -> dict:
    return {"spec": nodes.SPEC, "package": name, "from_node": nodes.own_code(),
            "to_node": node_code, "status": status, "received_at": now.isoformat(),
            **more}  # fmt: skip


def _json(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str).encode() + b"\n"


def _refuse(actor, package: Path, node, digest: str, refused: PackageRefused, now) -> Imported:
    name = package.name[:200]
    named = {"file": refused.file} if refused.file else {}
    receipt = _receipt(name, node.code if node else "", "rejected", now,
                       rule=refused.rule, message=refused.message, **named)  # fmt: skip
    with transaction.atomic():
        ReceivedPackage.objects.create(
            node=node, name=name, digest=digest, status=PackageStatus.REJECTED,
            rule=refused.rule, received_at=now, receipt=receipt,
        )  # fmt: skip
        audit_event_append(
            actor=actor, action=AuditAction.EXCHANGE_REFUSE, object_type="exchange_package",
            object_id=name, detail={"rule": refused.rule, "node": node.code if node else ""},
        )  # fmt: skip
    moved = nodes.move_aside(package, package.parent.parent / "rejected")
    nodes.write_atomic(moved / files.RECEIPT, _json(receipt))
    if node is not None:
        nodes.write_atomic(
            nodes.folder(node.code, "outbox") / f"receipt-{name}.json", _json(receipt)
        )
    return Imported(name, "rejected", refused.rule, refused.message)


def digests_store(*, actor: Actor, day: datetime.date) -> list[DailyDigest]:
    """Compute and keep each feed's count-and-digest of ``day`` (again: the same figures
    replace the stored ones, so running it twice changes nothing)."""
    now = timezone.now()
    computed = [feed_digest(f, day, actor=actor) for f in Feed.values]
    with transaction.atomic():
        kept = [
            DailyDigest.objects.update_or_create(
                feed=d["feed"], day=day,
                defaults={"count": d["count"], "first_seq": d["first_seq"],
                          "last_seq": d["last_seq"], "sha256": d["sha256"],
                          "computed_at": now},
            )[0]
            for d in computed
        ]  # fmt: skip
        audit_event_append(
            actor=actor, action=AuditAction.EXCHANGE_DIGEST, object_type="exchange_digest",
            object_id=day.isoformat(), detail={d["feed"]: d["count"] for d in computed},
        )  # fmt: skip
    return kept


def exchange_daily(*, actor: Actor, now: datetime.datetime | None = None) -> None:
    """The daily upkeep's part: yesterday's digests, then each active node's packages of
    the feeds it takes (after the digests, so the manifests carry them)."""
    now = now or timezone.now()
    digests_store(actor=actor, day=timezone.localdate(now) - datetime.timedelta(days=1))
    for node in nodes.active_nodes():
        for feed in node.feeds:
            if feed in Feed.values:
                package_export(actor=actor, node=node, feed=feed, now=now)
