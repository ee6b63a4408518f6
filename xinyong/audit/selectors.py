"""Reading and verifying the audit trail."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet

from xinyong.accounts.access import Action, require
from xinyong.accounts.actors import Actor
from xinyong.audit import checkpoints as cps
from xinyong.audit.choices import OBJECT_LABELS, OBJECTS_BY_ITEM
from xinyong.audit.models import AuditChainHead, AuditEvent
from xinyong.audit.services import GENESIS, chain_hash, chained_fields, content_digest
from xinyong.core.errors import PermissionDenied
from xinyong.core.localday import day_start


@dataclass(frozen=True)
class ChainBreak:
    seq: int  # where the chain breaks (the first event that does not fit)
    # "edited", "content_edited", "inserted_or_reordered", "deleted", "truncated";
    # against the signed checkpoints: "checkpoint_mismatch" (event N is not the one signed:
    # re-chained), "checkpoint_truncated" (events after a checkpoint are gone),
    # "checkpoint_signature" (a line of the checkpoint file is forged or altered)
    rule: str
    message: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    breaks: list[ChainBreak]
    checkpoints: int = 0  # signed checkpoints the chain was compared with
    last_seq: int = 0
    last_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.breaks


def audit_events(
    *,
    actor: Actor,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    actor_label: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """The trail, newest first: for auditors and the platform operator only. The filters
    narrow it (the back office's audit log page: :func:`xinyong.audit.schemas.audit_filter`);
    dates are whole local days, both ends included."""
    require(actor, Action.AUDIT_READ, message="只有审计员和平台运营（信用办）可以查看审计日志")
    qs = AuditEvent.objects.all()
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor_label:
        qs = qs.filter(actor_label=actor_label)
    if date_from:
        qs = qs.filter(occurred_at__gte=day_start(date_from))
    if date_to:
        qs = qs.filter(occurred_at__lt=day_start(date_to + datetime.timedelta(days=1)))
    return qs.order_by("-seq")


def audit_object_label(event: AuditEvent, item_names: dict[str, str]) -> str:
    """An event's object as the log shows it: 名单条目 174, 目录项 行政处罚信息 — the type's
    label and the id, or the item's name where the id is a catalog item's code
    (``item_names``: :func:`xinyong.catalog.selectors.item_names`)."""
    label = OBJECT_LABELS.get(event.object_type, event.object_type)
    ident = event.object_id
    if event.object_type in OBJECTS_BY_ITEM:
        ident = item_names.get(ident, ident)
    return f"{label} {ident}".strip()


def _walk(
    events: Iterator[AuditEvent], expected_seq: int = 1, prev_hash: str = GENESIS
) -> Iterator[ChainBreak | AuditEvent]:
    for ev in events:
        if ev.seq != expected_seq:
            yield ChainBreak(
                ev.seq,
                "deleted",
                f"事件 #{expected_seq}–#{ev.seq - 1} 缺失（被删除），链在 #{ev.seq} 处断开",
            )
        elif ev.prev_hash != prev_hash:
            yield ChainBreak(
                ev.seq, "inserted_or_reordered", f"事件 #{ev.seq} 的前一哈希不符：被插入或重排"
            )
        if content_digest(ev.detail) != ev.digest:
            yield ChainBreak(ev.seq, "content_edited", f"事件 #{ev.seq} 的详情被修改（摘要不符）")
        if chain_hash(ev.prev_hash, chained_fields(ev)) != ev.hash:
            yield ChainBreak(ev.seq, "edited", f"事件 #{ev.seq} 被修改（哈希不符）")
        yield ev
        expected_seq, prev_hash = ev.seq + 1, ev.hash


@contextmanager
def chain_snapshot():
    """Events and head read as of one moment, so that appends committed meanwhile do not
    look like a cut end. PostgreSQL: one REPEATABLE READ, READ ONLY transaction. SQLite: one
    deferred read transaction (WAL: writers go on; the connection's IMMEDIATE mode would
    take the write lock). Inside a caller's transaction, that transaction is the snapshot."""
    conn = transaction.get_connection()
    if conn.in_atomic_block:
        yield
    elif conn.vendor == "postgresql":
        with transaction.atomic():
            with conn.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    else:
        with conn.cursor() as cur:
            cur.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with conn.cursor() as cur:
                cur.execute("ROLLBACK")


def _checkpoint_break(cp: cps.Checkpoint, ev: AuditEvent | None, last_seq: int) -> ChainBreak:
    if ev is None and cp.seq > last_seq:
        return ChainBreak(
            last_seq + 1,
            "checkpoint_truncated",
            f"签名检查点（{cp.at}）记录链头为事件 #{cp.seq}，但最后一个事件是 #{last_seq}："
            f"其后的事件被删除",
        )
    if ev is None:
        return ChainBreak(
            cp.seq, "checkpoint_mismatch", f"签名检查点（{cp.at}）所记事件 #{cp.seq} 已不存在"
        )
    return ChainBreak(
        cp.seq,
        "checkpoint_mismatch",
        f"事件 #{cp.seq} 与签名检查点（{cp.at}）不符：该处及之前的链被改写（重新计算了哈希）",
    )


def _verify(
    events: QuerySet, *, start_seq: int, prev_hash: str, checkpoints: list, stop_at_first: bool
) -> VerifyResult:
    """The walk from ``start_seq`` (whose previous hash is ``prev_hash``), the head row, and
    each checkpoint at or after ``start_seq - 1`` compared with the event it signed."""
    breaks: list[ChainBreak] = []
    pending = sorted((c for c in checkpoints if c.seq >= start_seq), key=lambda c: c.seq)
    checked, last_seq, last_hash, i = 0, start_seq - 1, prev_hash, 0
    for item in _walk(events.iterator(chunk_size=5000), start_seq, prev_hash):
        if isinstance(item, ChainBreak):
            breaks.append(item)
            if stop_at_first:
                return VerifyResult(checked, breaks, len(checkpoints))
            continue
        checked += 1
        last_seq, last_hash = item.seq, item.hash
        while i < len(pending) and pending[i].seq <= item.seq:
            cp, i = pending[i], i + 1
            here = item if cp.seq == item.seq else None
            if here is None or here.hash != cp.hash:
                breaks.append(_checkpoint_break(cp, here, last_seq))
    if i < len(pending):
        # Report the furthest signed head: the events after the last one are gone.
        breaks.append(_checkpoint_break(pending[-1], None, last_seq))
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != last_seq or head.hash != last_hash):
        breaks.append(
            ChainBreak(
                last_seq + 1,
                "truncated",
                f"链头记录到事件 #{head.seq}，但最后一个事件是 #{last_seq}：末尾事件被删除或修改",
            )
        )
    return VerifyResult(checked, breaks, len(checkpoints), last_seq, last_hash)


def _signature_breaks(loaded: cps.Loaded) -> list[ChainBreak]:
    return [
        ChainBreak(
            cp.seq if cp else 0,
            "checkpoint_signature",
            f"检查点文件第 {n} 行{'无法读取' if cp is None else '签名无效'}：被伪造或修改",
        )
        for n, cp, _reason in loaded.invalid
    ]


def audit_chain_verify(
    *, stop_at_first: bool = False, checkpoints_path: Path | None = None
) -> VerifyResult:
    """Walk the whole chain in order, in one snapshot, and report every place it breaks,
    including where it no longer matches a signed checkpoint (``checkpoints_path``, by
    default ``XINYONG_AUDIT_CHECKPOINT_FILE``)."""
    loaded = cps.checkpoints_load(checkpoints_path)
    with chain_snapshot():
        result = _verify(
            AuditEvent.objects.order_by("seq"),
            start_seq=1,
            prev_hash=GENESIS,
            checkpoints=loaded.valid,
            stop_at_first=stop_at_first,
        )
    result.breaks[:0] = _signature_breaks(loaded)
    return result


class ChainBroken(Exception):
    def __init__(self, breaks: list[ChainBreak]):
        super().__init__(f"审计链断开：{len(breaks)} 处，第一处在事件 #{breaks[0].seq}")
        self.breaks = breaks


def audit_checkpoint_write(*, path: Path | None = None, only_if_grown: bool = False):
    """Sign the current head and append it to the checkpoint file, after verifying the
    events since the last valid checkpoint there (the whole chain the first time); raises
    :class:`ChainBroken` instead of certifying a broken chain. ``only_if_grown``: None when
    nothing was appended since the last checkpoint (the frequent run)."""
    loaded = cps.checkpoints_load(path)
    last = loaded.last
    with chain_snapshot():
        # From the event the last checkpoint signed (itself re-verified), else from the start.
        start, prev_hash = 1, GENESIS
        anchor = AuditEvent.objects.filter(seq=last.seq).first() if last and last.seq else None
        if last is not None and last.seq:
            if anchor is None:
                top = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
                raise ChainBroken([_checkpoint_break(last, None, top or 0)])
            start, prev_hash = last.seq, anchor.prev_hash
        result = _verify(
            AuditEvent.objects.filter(seq__gte=start).order_by("seq"),
            start_seq=start,
            prev_hash=prev_hash,
            checkpoints=[last] if anchor is not None else [],
            stop_at_first=False,
        )
        if result.breaks:
            raise ChainBroken(result.breaks)
        if only_if_grown and last is not None and result.last_seq == last.seq:
            return None
        count = AuditEvent.objects.count()
    cp = cps.checkpoint_sign(seq=result.last_seq, hash=result.last_hash, count=count)
    cps.append(cp, path)
    return cp


CHECKPOINT_READERS = "只有审计员、平台运营（信用办）和持有 audit:read 权限的令牌可以读取审计检查点"


def checkpoints_list(*, actor: Actor, since: int = -1, limit: int = 100) -> list[cps.Checkpoint]:
    """The checkpoint file's lines after sequence number ``since``, oldest first, as written
    (the poller verifies each signature with the public key)."""
    if not actor.reads_audit_checkpoints:
        raise PermissionDenied(CHECKPOINT_READERS)
    out = []
    for _n, text in cps.read_lines():
        try:
            cp = cps.parse_line(text)
        except ValueError:
            continue
        if cp.seq > since:
            out.append(cp)
            if len(out) >= limit:
                break
    return out


def checkpoint_latest(*, actor: Actor) -> cps.Checkpoint | None:
    if not actor.reads_audit_checkpoints:
        raise PermissionDenied(CHECKPOINT_READERS)
    for _n, text in reversed(cps.read_lines()):
        try:
            return cps.parse_line(text)
        except ValueError:
            continue
    return None
