"""Exchange nodes and their folders (GB/T 39443-2020: an exchange node is where a platform
hands packages to another; the upper platform's is its front-end machine, 前置机).

Layout (our choice; the standard's full text is not at hand): under
``XINYONG_EXCHANGE_DIR`` each node has ``<code>/outbox`` (packages and receipts we write
for it), ``<code>/inbox`` (packages it drops for us), ``<code>/done`` (packages imported)
and ``<code>/rejected`` (packages refused, each with the receipt saying why). Whatever
moves the files between the machines (the node's own transfer client, SFTP, a shared
folder) only ever sees whole packages: they are written under a temporary name and
renamed."""

import os
import shutil
import uuid
from pathlib import Path

from django.conf import settings

from xinyong.exchange.models import ExchangeNode

SPEC = "GB/T 39443-2020"
ELEMENTS = "GB/T 39445-2020"
FOLDERS = ("inbox", "outbox", "done", "rejected")


def own_code() -> str:
    return settings.XINYONG_EXCHANGE_NODE


def folder(node_code: str, which: str) -> Path:
    """A node's folder, made when first asked for."""
    path = Path(settings.XINYONG_EXCHANGE_DIR) / node_code / which
    path.mkdir(parents=True, exist_ok=True)
    return path


def active_nodes() -> list[ExchangeNode]:
    return list(ExchangeNode.objects.filter(active=True).select_related("department"))


def node_named(code: str) -> ExchangeNode | None:
    return ExchangeNode.objects.filter(code=code, active=True).select_related("department").first()


def temp_dir(parent: Path) -> Path:
    """A hidden working folder beside where a package will appear (same file system, so
    the final rename is atomic)."""
    path = parent / f".tmp-{uuid.uuid4().hex}"
    path.mkdir(parents=True)
    return path


def put_in_place(work: Path, target: Path) -> None:
    """Rename a finished folder to its final name; an older one of that name (a run that
    wrote it and died before recording so) is replaced."""
    if target.exists():
        shutil.rmtree(target)
    os.replace(work, target)


def write_atomic(path: Path, data: bytes) -> None:
    """A file written under a temporary name, then renamed."""
    tmp = path.with_name(f".tmp-{uuid.uuid4().hex}-{path.name}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def move_aside(package: Path, target_parent: Path) -> Path:
    """Move a received package out of the inbox (to ``done`` or ``rejected``), under a
    fresh name if one of that name is there already."""
    target_parent.mkdir(parents=True, exist_ok=True)
    target = target_parent / package.name
    n = 1
    while target.exists():
        n += 1
        target = target_parent / f"{package.name}.{n}"
    shutil.move(str(package), str(target))
    return target
