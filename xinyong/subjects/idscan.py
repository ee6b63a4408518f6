"""Finding resident ID numbers in stored bytes: the tests (and an operator who wants to
check a directory) prove that no valid 18-character resident ID (GB 11643, check digit and
birth date valid) rests in clear in files the platform writes.

Bytes are read as they are (ASCII digits) and decoded as UTF-8, GBK and UTF-16 with
full-width digits folded (NFKC); ZIP containers (XLSX) are opened and their members read."""

import io
import re
import unicodedata
import zipfile
from pathlib import Path

from xinyong.subjects.identifiers import IdentifierError, validate_resident_id

# Overlapping: every 18-character window of a longer run of digits is a candidate too.
_CANDIDATE = re.compile(r"(?=([0-9]{17}[0-9X]))")
_DECODINGS = ("utf-8", "gbk", "utf-16-le", "utf-16-be")


def _valid(candidates) -> set[str]:
    found = set()
    for c in candidates:
        try:
            found.add(validate_resident_id(c))
        except IdentifierError:
            continue
    return found


def resident_ids_in(data: bytes, *, depth: int = 0) -> set[str]:
    """Valid resident ID numbers found in ``data`` in clear, however encoded."""
    texts = [data.decode("latin-1").upper()]
    for encoding in _DECODINGS:
        texts.append(unicodedata.normalize("NFKC", data.decode(encoding, "ignore")).upper())
    found = set()
    for text in texts:
        found |= _valid(m.group(1) for m in _CANDIDATE.finditer(text))
    if depth < 2 and data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for name in z.namelist():
                    found |= resident_ids_in(z.read(name), depth=depth + 1)
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
    return found


def resident_ids_under(root: Path) -> dict[str, set[str]]:
    """``{file: numbers}`` for every file under ``root`` holding a valid resident ID."""
    hits = {}
    for path in sorted(Path(root).rglob("*")):
        if path.is_file() and (found := resident_ids_in(path.read_bytes())):
            hits[str(path)] = found
    return hits
