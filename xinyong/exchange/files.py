"""The data package of the file interface (GB/T 39443-2020): a folder holding the data
files and ``manifest.json`` — which node sent it to which, what it holds (feed and seq
range outbound, catalog item per file inbound), each file's row count, size and SHA-256,
when it was made and under which specification — and, when signed, ``manifest.sig``
(Ed25519 over the manifest's canonical JSON, the same rule as credit reports, so the
key published at ``/api/v1/reports/keys`` verifies it).

Pure functions: reading, hashing and checking. What a package does to the database is in
``exchange.fileservices``. The manifest's layout and rule names are our own (the
standard's full text is not at hand); data files name fields by the national data
elements' codes (GB/T 39445-2020) where the catalog has them."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import orjson

from xinyong.reports import signing

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
RECEIPT = "receipt.json"
REQUIRED = ("spec", "package", "from_node", "to_node", "files")
INBOUND_FORMATS = ("csv", "json", "xlsx")


class PackageRefused(Exception):
    """A package fails a check: refused whole, ``rule`` names the check (and ``file`` the
    data file that failed it, where one did)."""

    def __init__(self, rule: str, message: str, *, file: str = ""):
        super().__init__(message)
        self.rule, self.message, self.file = rule, message, file


def entry_line(entry: dict) -> bytes:
    """One entry as a JSON line (dates ISO 8601, keys as the feed's API names them)."""
    return orjson.dumps(entry, default=str) + b"\n"


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode() + b"\n"


def manifest_sign(manifest: dict) -> bytes:
    """``manifest.sig``: the platform's Ed25519 signature over the canonical manifest."""
    _sha, key_id, value = signing.sign(manifest)
    _kid, public = signing.current_public()
    sig = {"alg": signing.ALG, "key_id": key_id, "public_key": public, "value": value}
    return json.dumps(sig, sort_keys=True).encode() + b"\n"


def manifest_read(package: Path) -> tuple[dict, str]:
    """The manifest and the package's digest (SHA-256 of ``manifest.json`` as received,
    which names every file's digest: what a re-import is recognised by)."""
    path = package / MANIFEST
    if not path.is_file():
        raise PackageRefused("manifest.missing", "数据包缺少清单文件 manifest.json")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        manifest = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise PackageRefused("manifest.unreadable", "清单文件不是 UTF-8 编码的 JSON") from None
    if not isinstance(manifest, dict):
        raise PackageRefused("manifest.unreadable", "清单文件不是 JSON 对象")
    missing = [k for k in REQUIRED if k not in manifest]
    if missing or not isinstance(manifest["files"], list) or not manifest["files"]:
        raise PackageRefused("manifest.field", f"清单缺少或错填：{', '.join(missing) or 'files'}")
    return manifest, digest


def signature_check(package: Path, manifest: dict, public_key: str) -> None:
    """With the node's key on file, the manifest must carry its valid signature."""
    path = package / SIGNATURE
    try:
        sig = json.loads(path.read_bytes())
        value = sig["value"]
    except (OSError, ValueError, KeyError, TypeError):
        raise PackageRefused("manifest.signature", "清单缺少结点签名 manifest.sig") from None
    if not signing.verify(manifest, value, public_key):
        raise PackageRefused("manifest.signature", "清单签名与该结点登记的公钥不符")


@dataclass(frozen=True)
class DataFile:
    path: Path
    item: str
    file_format: str
    rows: int | None


def files_check(package: Path, manifest: dict) -> list[DataFile]:
    """Every listed file present, named safely, of a format ingestion reads, with the
    digest the manifest gives; no file the manifest does not list."""
    out, listed = [], {MANIFEST, SIGNATURE}
    for f in manifest["files"]:
        if not isinstance(f, dict) or not {"name", "sha256", "item"} <= f.keys():
            raise PackageRefused("manifest.field", "清单的每个文件应有 name、sha256 和 item")
        name = str(f["name"])
        if "/" in name or "\\" in name or name.startswith(".") or name in listed:
            raise PackageRefused("file.name", f"文件名不允许：{name}")
        listed.add(name)
        fmt = str(f.get("format") or Path(name).suffix.lstrip(".")).lower()
        if fmt not in INBOUND_FORMATS:
            raise PackageRefused("file.format", f"{name}：文件格式应为 CSV、JSON 或 XLSX")
        path = package / name
        if not path.is_file():
            raise PackageRefused("file.missing", f"清单列出的文件不存在：{name}")
        if file_sha256(path) != str(f["sha256"]).lower():
            raise PackageRefused("file.digest", f"{name} 的 SHA-256 与清单不符")
        out.append(DataFile(path, str(f["item"]), fmt, f.get("rows")))
    extra = sorted(p.name for p in package.iterdir() if p.name not in listed)
    if extra:
        raise PackageRefused("file.unlisted", f"清单未列出的文件：{', '.join(extra)}")
    return out
