"""Files sealed at rest: a stored payload may hold resident ID numbers in clear, so it is
written encrypted and read back through a decrypting file object.

Format: ``MAGIC ‖ key fingerprint (4) ‖ salt (16)``, then the content in segments of
``SEGMENT`` bytes, each AES-256-GCM under a key of its own file (``crypto.file_key``: the
person-encryption key and the salt), nonce = segment number, additional data = header and a
flag marking the last segment — so a segment cannot be edited, moved, dropped or the file
cut short without the read failing. Segments have a fixed size, so the reader can seek (an
XLSX payload is a ZIP read from its end) and holds one segment in memory at a time.

A file without the magic is read as it is: payloads stored before sealing existed."""

import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from xinyong.core import crypto

MAGIC = b"\x00XYSEAL1"  # a NUL first: no CSV, XLSX (PK…) or JSON payload starts so
SEGMENT = 1 << 20
TAG = 16
HEADER = len(MAGIC) + 4 + 16


class SealedFileError(ValueError):
    """The sealed file was altered, cut short, or its key is not configured."""


def _nonce(n: int) -> bytes:
    return n.to_bytes(12, "big")


def seal(target: Path, blocks: Iterable[bytes | memoryview]) -> int:
    """Write ``blocks`` to ``target`` sealed; the number of clear bytes written. Holds at
    most two segments in memory, whatever the size of the blocks."""
    salt = os.urandom(16)
    fingerprint, key = crypto.file_key(salt)
    header = MAGIC + fingerprint + salt
    cipher = AESGCM(key)
    pending = bytearray()
    n = size = 0
    with target.open("wb") as out:
        out.write(header)
        for block in blocks:
            size += len(block)
            pending += block
            while len(pending) > SEGMENT:  # more follows: not the last segment
                out.write(cipher.encrypt(_nonce(n), bytes(pending[:SEGMENT]), header + b"\0"))
                del pending[:SEGMENT]
                n += 1
        out.write(cipher.encrypt(_nonce(n), bytes(pending), header + b"\1"))
    return size


def blocks_of(data: bytes, size: int = SEGMENT) -> Iterable[memoryview]:
    view = memoryview(data)
    return (view[i : i + size] for i in range(0, len(view), size)) if data else [view]


class _SealedRaw(io.RawIOBase):
    def __init__(self, f: BinaryIO, header: bytes):
        self._f = f
        self._header = header
        try:
            _fp, key = crypto.file_key(header[len(MAGIC) + 4 :], header[len(MAGIC) : -16])
        except ValueError as e:
            raise SealedFileError(str(e)) from None
        self._cipher = AESGCM(key)
        stored = os.fstat(f.fileno()).st_size - HEADER
        self._segments = max(-(-stored // (SEGMENT + TAG)), 1)
        self._size = stored - self._segments * TAG
        if self._size < 0:
            raise SealedFileError("sealed file cut short")
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(base + offset, 0)
        return self._pos

    def _segment(self, n: int) -> bytes:
        if self._cached is None or self._cached[0] != n:
            self._f.seek(HEADER + n * (SEGMENT + TAG))
            blob = self._f.read(SEGMENT + TAG)
            last = b"\1" if n == self._segments - 1 else b"\0"
            try:
                plain = self._cipher.decrypt(_nonce(n), blob, self._header + last)
            except Exception:
                raise SealedFileError("sealed file altered or cut short") from None
            self._cached = (n, plain)
        return self._cached[1]

    def readinto(self, b) -> int:
        if self._pos >= self._size:
            return 0
        n, within = divmod(self._pos, SEGMENT)
        chunk = self._segment(n)[within : within + len(b)]
        b[: len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)

    def close(self) -> None:
        self._f.close()
        self._cached = None
        super().close()


def open_sealed(path: Path) -> BinaryIO:
    """A binary, seekable file object of the clear content of ``path`` (sealed or not)."""
    f = path.open("rb")
    try:
        header = f.read(HEADER)
        if not header.startswith(MAGIC):
            f.seek(0)
            return f
        return io.BufferedReader(_SealedRaw(f, header), buffer_size=1 << 16)
    except BaseException:
        f.close()
        raise


def is_sealed(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(len(MAGIC)) == MAGIC


class SealedPath:
    """A stored payload as the parsers see it, decrypted: it opens like a ``Path``
    (``open("rb")``, ``read_bytes()``: a new file object each time) and reads like a
    seekable binary file (``read``, ``seek``, ``tell``: one shared file object, opened on
    first use), so that code given "the payload" — ``csv`` through ``open``, ``zipfile`` and
    openpyxl through the file object — reads the clear content without knowing it is sealed.
    It is no ``os.PathLike`` on purpose: a library opening it by name would read ciphertext.
    ``close()`` closes the shared file object."""

    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        self._fp: BinaryIO | None = None

    def open(self, mode: str = "rb") -> BinaryIO:
        if mode != "rb":
            raise ValueError("a sealed payload is read only")
        return open_sealed(self.path)

    def read_bytes(self) -> bytes:
        with self.open() as f:
            return f.read()

    def _shared(self) -> BinaryIO:
        if self._fp is None:
            self._fp = open_sealed(self.path)
        return self._fp

    def read(self, size: int = -1) -> bytes:
        return self._shared().read(size)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._shared().seek(offset, whence)

    def tell(self) -> int:
        return self._shared().tell()

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if self._fp is not None:
            self._fp.close()
            self._fp = None

    def __enter__(self) -> "SealedPath":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
