"""Reading and verifying the audit trail."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from xinyong.accounts.actors import Actor
from xinyong.audit.models import AuditChainHead, AuditEvent
from xinyong.audit.services import GENESIS, chain_hash, chained_fields, content_digest
from xinyong.core.errors import PermissionDenied


@dataclass(frozen=True)
class ChainBreak:
    seq: int  # where the chain breaks (the first event that does not fit)
    rule: str  # "edited", "content_edited", "inserted_or_reordered", "deleted", "truncated"
    message: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    breaks: list[ChainBreak]

    @property
    def ok(self) -> bool:
        return not self.breaks


def audit_events(
    *, actor: Actor, action: str | None = None, object_type: str | None = None
) -> QuerySet:
    """The trail, newest first: for auditors and the platform operator only."""
    if not actor.reads_all_departments:  # the auditor and the operator (or the platform)
        raise PermissionDenied("只有审计员和平台运营（信用办）可以查看审计日志")
    qs = AuditEvent.objects.all()
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs.order_by("-seq")


def _walk(events: Iterator[AuditEvent]) -> Iterator[ChainBreak | AuditEvent]:
    expected_seq, prev_hash = 1, GENESIS
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


def audit_chain_verify(*, stop_at_first: bool = False) -> VerifyResult:
    """Walk the whole chain in order and report every place it breaks."""
    breaks: list[ChainBreak] = []
    checked, last_seq, last_hash = 0, 0, GENESIS
    for item in _walk(AuditEvent.objects.order_by("seq").iterator(chunk_size=5000)):
        if isinstance(item, ChainBreak):
            breaks.append(item)
            if stop_at_first:
                return VerifyResult(checked, breaks)
            continue
        checked += 1
        last_seq, last_hash = item.seq, item.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != last_seq or head.hash != last_hash):
        breaks.append(
            ChainBreak(
                last_seq + 1,
                "truncated",
                f"链头记录到事件 #{head.seq}，但最后一个事件是 #{last_seq}：末尾事件被删除或修改",
            )
        )
    return VerifyResult(checked, breaks)
