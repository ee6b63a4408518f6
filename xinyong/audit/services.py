"""Appending to the audit trail. Every service that changes credit data, and every selector
that reveals non-public data, calls :func:`audit_event_append` inside its own transaction,
so the event exists exactly when the change does."""

import hashlib
import hmac
import json
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction, is_read
from xinyong.audit.keys import hmac_key
from xinyong.audit.models import AuditChainHead, AuditEvent
from xinyong.core import cache as page_cache
from xinyong.core import context, replicas

GENESIS = "0" * 64


def canonical(data: Any) -> bytes:
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def content_digest(detail: dict) -> str:
    return hashlib.sha256(canonical(detail)).hexdigest()


def chain_hash(prev_hash: str, fields: dict) -> str:
    return hmac.new(hmac_key(), prev_hash.encode() + canonical(fields), hashlib.sha256).hexdigest()


def chained_fields(event: AuditEvent) -> dict:
    """The fields the chain hash covers (everything but the hashes themselves)."""
    return {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_kind": event.actor_kind,
        "actor_label": event.actor_label,
        "actor_user_id": event.actor_user_id,
        "actor_client_id": event.actor_client_id,
        "department_id": event.department_id,
        "request_id": event.request_id,
        "channel": event.channel,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "digest": event.digest,
    }


def audit_event_append(
    *,
    actor: Actor,
    action: AuditAction,
    object_type: str,
    object_id: Any = "",
    detail: dict | None = None,
    subjects: Iterable[int] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction.

    ``subjects``: the ids of the subjects whose data the change touches, when the caller
    knows them all (objections, repairs, the designation procedure): after the commit,
    the reads of other subjects may stay on a replica that has not replayed it yet
    (:mod:`xinyong.core.replicas`). Left out, every read waits for it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_event_append must run inside the transaction of its change")
    ctx = context.current()
    detail = detail or {}
    # The head row comes with the migrations; recreated if a test flush removed it.
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(
        seq=head.seq + 1,
        occurred_at=timezone.now(),
        actor_kind=actor.kind,
        actor_label=actor.label,
        actor_user_id=actor.user_id,
        actor_client_id=actor.client_id,
        department_id=actor.department_id,
        request_id=ctx.request_id,
        channel=ctx.channel,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=json.loads(canonical(detail)),
        digest=content_digest(detail),
        prev_hash=head.hash,
    )
    event.hash = chain_hash(head.hash, chained_fields(event))
    event.save(force_insert=True)
    AuditChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    page_cache.bump_on_commit(action)  # what the change shows on a page is computed again
    if not is_read(action):  # reads of replicas see this change once they replayed it
        replicas.written(subjects)
    return event
