"""Signed checkpoints of the audit chain's head, kept outside the database.

The hash chain shows an edit, a gap or an insertion, but not a cut at the end made together
with the head row, nor a trail re-chained by someone holding the HMAC key. A checkpoint is
the head at one moment — last event's sequence number and hash, number of events, time —
signed with Ed25519 and appended as one JSON line to ``XINYONG_AUDIT_CHECKPOINT_FILE``.
Copies of that file (the operator ships it; an upper platform polls
``/api/v1/audit/checkpoints``) keep the signed hash of event N wherever they are: if event
N later has another hash, or is gone, ``xinyong audit verify`` names it. The signature is
over the UTF-8 JSON of every other field of the line, keys sorted, no spaces.

Before signing, the events since the previous checkpoint are verified: a checkpoint never
certifies a chain already broken."""

import base64
import datetime
import fcntl
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

from xinyong.audit import keys

VERSION = 1


@dataclass(frozen=True)
class Checkpoint:
    seq: int  # sequence number of the last event
    hash: str  # that event's chain hash
    count: int  # number of events (equal to seq in an intact chain)
    at: str  # when it was taken (ISO 8601, UTC)
    key_id: str  # which signing key (keys.key_id of its public key)
    signature: str = ""  # url-safe base64 Ed25519 signature of signed_bytes()
    v: int = VERSION

    def signed_bytes(self) -> bytes:
        fields = {k: v for k, v in asdict(self).items() if k != "signature"}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    def signature_ok(self, public: bytes) -> bool:
        if self.key_id != keys.key_id(public):
            return False
        try:
            sig = base64.urlsafe_b64decode(self.signature + "=" * (-len(self.signature) % 4))
            Ed25519PublicKey.from_public_bytes(public).verify(sig, self.signed_bytes())
        except (InvalidSignature, ValueError, TypeError):
            return False
        return True


def checkpoint_sign(*, seq: int, hash: str, count: int, at=None) -> Checkpoint:
    key = keys.signing_key()
    at = (at or timezone.now()).astimezone(datetime.UTC).isoformat()
    unsigned = Checkpoint(seq=seq, hash=hash, count=count, at=at,
                          key_id=keys.key_id(keys.public_key_bytes(key)))  # fmt: skip
    signature = base64.urlsafe_b64encode(key.sign(unsigned.signed_bytes())).decode()
    return Checkpoint(**{**asdict(unsigned), "signature": signature})


def parse_line(text: str) -> Checkpoint:
    """One line of the file; ValueError when it is not a checkpoint."""
    try:
        data = json.loads(text)
        cp = Checkpoint(
            seq=int(data["seq"]), hash=str(data["hash"]), count=int(data["count"]),
            at=str(data["at"]), key_id=str(data["key_id"]), signature=str(data["signature"]),
            v=int(data.get("v", VERSION)),
        )  # fmt: skip
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        raise ValueError(f"not a checkpoint: {e}") from None
    return cp


@dataclass
class Loaded:
    """A checkpoint file read: the checkpoints whose signature holds, in file order, and the
    lines that are not (number, reason)."""

    valid: list[Checkpoint] = field(default_factory=list)
    invalid: list[tuple[int, Checkpoint | None, str]] = field(default_factory=list)

    @property
    def last(self) -> Checkpoint | None:
        return max(self.valid, key=lambda c: c.seq) if self.valid else None


def default_path() -> Path:
    return Path(settings.XINYONG_AUDIT_CHECKPOINT_FILE)


def read_lines(path: Path | None = None) -> list[tuple[int, str]]:
    path = Path(path or default_path())
    if not path.exists():
        return []
    with path.open(encoding="utf-8", errors="replace") as f:
        return [(n, line.strip()) for n, line in enumerate(f, 1) if line.strip()]


def checkpoints_load(path: Path | None = None) -> Loaded:
    publics = {keys.key_id(p): p for p in keys.verify_keys()}
    loaded = Loaded()
    for n, text in read_lines(path):
        try:
            cp = parse_line(text)
        except ValueError:
            loaded.invalid.append((n, None, "unreadable"))
            continue
        public = publics.get(cp.key_id)
        if public is not None and cp.signature_ok(public):
            loaded.valid.append(cp)
        else:
            loaded.invalid.append((n, cp, "signature"))
    return loaded


def append(cp: Checkpoint, path: Path | None = None) -> None:
    """Appended under an exclusive lock and synced: two writers never interleave a line,
    and a written checkpoint survives a crash."""
    path = Path(path or default_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            f.write(cp.line() + "\n")
            f.flush()
            os.fsync(f.fileno())
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
