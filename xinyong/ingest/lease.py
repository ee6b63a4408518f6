"""The lease a worker holds on the batch it processes, renewed by a heartbeat.

A batch is applied in ONE long transaction, so nothing in it can tell others that the worker
is alive. The claim (a short transaction of its own) records the lease — its owner
``host:pid:task`` and its expiry — and a heartbeat thread renews it every
``XINYONG_BATCH_LEASE_SECONDS / 6`` seconds, committing separately:

- on PostgreSQL on its own database connection (``UPDATE … WHERE lease_owner = me``);
- on SQLite, where the batch's transaction holds the database's only write lock for its
  whole run, in a small file beside the payload (``<payload>.lease``; SQLite runs on one
  machine, so the file is as shared as the database).

A lease that ran out means the worker died (or lost the database): the batch may be taken
again (:mod:`xinyong.ingest.recovery`). The old worker, if alive after all, finds at its
next chunk or at its final update that the lease is no longer its own, and rolls back."""

import datetime
import json
import logging
import os
import socket
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

log = logging.getLogger(__name__)


class LeaseLost(Exception):
    """Another worker took the batch after this one's lease ran out: roll back, write nothing."""


def lease_duration() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.XINYONG_BATCH_LEASE_SECONDS)


def new_owner(task_id: str | None = None) -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{task_id or uuid.uuid4().hex[:12]}"


def owner_task_id(owner: str) -> str:
    return owner.rsplit(":", 1)[-1] if owner else ""


def lease_file(batch) -> Path:
    return Path(settings.XINYONG_BATCH_DIR) / f"{batch.payload_path}.lease"


def _file_until(batch) -> float:
    try:
        data = json.loads(lease_file(batch).read_text())
    except (OSError, ValueError):
        return 0.0
    return float(data.get("until", 0)) if data.get("owner") == batch.lease_owner else 0.0


def lease_held(batch, now: datetime.datetime | None = None) -> bool:
    """Whether the worker that claimed the batch still renews its lease."""
    now = now or timezone.now()
    if batch.lease_expires is not None and batch.lease_expires > now:
        return True
    return bool(batch.lease_owner) and _file_until(batch) > now.timestamp()


def lease_release(batch) -> None:
    lease_file(batch).unlink(missing_ok=True)


class Heartbeat:
    """Renews the lease of ``owner`` on ``batch`` while the block runs. Enter it OUTSIDE the
    batch's transaction: the final update of the batch row holds the row until commit, and
    a renewal waiting for it must not be waited for in turn. ``lost`` is set once the lease
    is seen held by another worker, or could not be renewed for a whole lease."""

    def __init__(self, batch, owner: str):
        self.batch = batch
        self.owner = owner
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._in_file = connection.vendor == "sqlite"
        self._interval = max(settings.XINYONG_BATCH_LEASE_SECONDS / 6, 0.05)
        self._thread = threading.Thread(
            target=self._run, name=f"batch-{batch.pk}-heartbeat", daemon=True
        )

    def __enter__(self) -> "Heartbeat":
        # Inside a caller's transaction (a one-row withdrawal within a decision) the claim
        # is not committed: no other worker sees the lease, and a renewal from another
        # connection could wait for that very transaction. Nothing to renew then.
        if not connection.in_atomic_block:
            self._thread.start()  # the claim's lease holds until the first renewal
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if self._in_file:
            lease_release(self.batch)

    def _run(self) -> None:
        renewed = timezone.now()
        try:
            while not self._stop.wait(self._interval):
                try:
                    self._renew()
                    renewed = timezone.now()
                except Exception:
                    log.warning("batch %s: lease not renewed", self.batch.pk, exc_info=True)
                    if timezone.now() - renewed > lease_duration():
                        self.lost.set()
        finally:
            if not self._in_file:
                connections.close_all()  # this thread's own connection

    def _renew(self) -> None:
        until = timezone.now() + lease_duration()
        if self._in_file:
            path = lease_file(self.batch)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"owner": self.owner, "until": until.timestamp()}))
            os.replace(tmp, path)
            return
        from xinyong.ingest.models import Batch

        mine = Batch.objects.filter(pk=self.batch.pk, lease_owner=self.owner)
        if not mine.update(lease_expires=until):
            # Not ours any more — unless the row is not visible to this connection at all
            # (a test's own uncommitted batch).
            if Batch.objects.filter(pk=self.batch.pk).exclude(lease_owner=self.owner).exists():
                self.lost.set()
