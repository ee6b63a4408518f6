"""Hostile uploads, and a worker that processes each in a process of its own so that its
peak memory can be measured (``python -m xinyong.ingest.tests.hostile DIR CASE…``).

The worker migrates an in-memory SQLite database once, then forks one child per upload:
each child submits the file as the market regulator's clerk and processes it like
`xinyong db_worker` would; the parent reads the child's peak resident set from
``os.wait4``. Used by ``test_limits.py`` (asserting < 500 MB) and by
``bench/hostile_bench.py`` (the numbers in bench/RESULTS.md)."""

import contextlib
import io
import json
import os
import struct
import sys
import time
import zlib
from pathlib import Path

MB = 1 << 20
HEADER = ["XDR_MC", "XDR_LB", "XDR_SHXYM", "CF_WSH", "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB",
          "CF_NR", "CF_JDRQ", "CF_YXQ", "CF_CFJG", "CF_CFJGDM", "CF_SJLY", "CF_SJLYDM"]  # fmt: skip
AGENCY = "11339900MB0123457Q"


def _row(n: int, **over) -> list[str]:
    row = {
        "XDR_MC": "华为技术有限公司", "XDR_LB": "法人及非法人组织",
        "XDR_SHXYM": "914403001922038216", "CF_WSH": f"信市监罚〔2026〕{n}号",
        "CF_WFXW": "虚假宣传", "CF_SY": "在商品包装上作虚假宣传",
        "CF_YJ": "《中华人民共和国反不正当竞争法》第二十条", "CF_CFLB": "罚款",
        "CF_NR": "罚款人民币五万元", "CF_JDRQ": "2026-11-02", "CF_YXQ": "2027-11-02",
        "CF_CFJG": "信安市市场监督管理局", "CF_CFJGDM": AGENCY,
        "CF_SJLY": "信安市市场监督管理局", "CF_SJLYDM": AGENCY,
    }  # fmt: skip
    row.update(over)
    return [row[h] for h in HEADER]


def wide_csv(path: Path, columns: int = 1_000_000) -> Path:
    """The reported one: a million columns, just under 10 MB."""
    with path.open("w", encoding="utf-8") as f:
        f.write(",".join(f"c{i}" for i in range(columns)) + "\n")
        f.write(",".join(["x"] * columns) + "\n")
    return path


def huge_cell_csv(path: Path, cell_mb: int = 9) -> Path:
    """A valid header and one row whose reason cell is megabytes long."""
    with path.open("w", encoding="utf-8") as f:
        f.write(",".join(HEADER) + "\n")
        f.write(",".join(_row(1)) + "\n")
        f.write(",".join(_row(2, CF_SY="虚" * (cell_mb * MB // 3))) + "\n")
    return path


def error_rows_csv(path: Path, rows: int = 100_000) -> Path:
    """Many rows, every one of them rejected (an unknown subject category)."""
    with path.open("w", encoding="utf-8") as f:
        f.write(",".join(HEADER) + "\n")
        for n in range(1, rows + 1):
            f.write(",".join(_row(n, XDR_LB="公司")) + "\n")
    return path


def _zip(path: Path, entries: list[tuple[str, int, int, list[bytes]]]) -> None:
    """A zip written by hand, so that a part's declared size can be anything:
    ``(name, crc, declared uncompressed size, deflate chunks)``."""
    central = []
    with path.open("wb") as f:
        for name, crc, size, chunks in entries:
            offset = f.tell()
            raw = name.encode()
            compressed = sum(len(c) for c in chunks)
            f.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, compressed,
                                size, len(raw), 0) + raw)  # fmt: skip
            for c in chunks:
                f.write(c)
            fields = (20, 20, 0, 8, 0, 0, crc, compressed, size, len(raw), 0, 0, 0, 0, 0, offset)
            central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", *fields) + raw)
        start = f.tell()
        for c in central:
            f.write(c)
        f.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central),
                            f.tell() - start, start, 0))  # fmt: skip


def _deflated(data: bytes) -> list[bytes]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return [c.compress(data) + c.flush()]


def xlsx_bomb(path: Path, cell_mb: int = 1024, declared_mb: int | None = None) -> Path:
    """A ~1 MB XLSX whose first sheet holds one cell of ``cell_mb`` megabytes of text
    (declared as such, or as ``declared_mb`` to lie about it). The cell's deflate stream
    is one fully flushed megabyte repeated, so it is built in a moment."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER)
    buffer = io.BytesIO()
    book.save(buffer)
    import zipfile

    with zipfile.ZipFile(buffer) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    head, tail = parts[sheet].split(b"</sheetData>")
    head += b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    tail = b"</t></is></c></row></sheetData>" + tail
    block = b"A" * MB
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    middle = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(cell_mb):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + cell_mb * MB + len(tail)
    if declared_mb is not None:
        size = declared_mb * MB
    entries = [
        (name, zlib.crc32(data), len(data), _deflated(data))
        for name, data in parts.items()
        if name != sheet
    ]
    entries.append((sheet, crc, size, [first, *([middle] * cell_mb), last]))
    _zip(path, entries)
    return path


def xlsx_shared_strings(path: Path, strings: int = 500_000, chars: int = 380) -> Path:
    """A workbook whose shared-string table holds ``strings`` distinct random strings
    (openpyxl loads them all before the first row): the worst an XLSX within the size
    limits can ask of it."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    shared = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    types = parts["[Content_Types].xml"].decode()
    if "sharedStrings" not in types:
        parts["[Content_Types].xml"] = types.replace("</Types>", shared + "</Types>").encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    if "sharedStrings" not in rels:
        link = (
            '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        )
        parts["xl/_rels/workbook.xml.rels"] = rels.replace(
            "</Relationships>", link + "</Relationships>"
        ).encode()
    parts.pop("xl/sharedStrings.xml", None)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            step = 10_000
            for start in range(0, strings, step):
                noise = os.urandom(step * chars // 2).hex()
                f.write(
                    "".join(
                        f"<si><t>{noise[i * chars : (i + 1) * chars]}</t></si>"
                        for i in range(min(step, strings - start))
                    ).encode()
                )
            f.write(b"</sst>")
    return path


def xlsx_rich_runs(path: Path, cell_mb: int = 190, run: int = 30_000) -> Path:
    """One inline rich-text cell of ``cell_mb`` megabytes, in ``<r><t>`` runs each under
    the cell limit (openpyxl joins them into one string); the runs carry some noise so the
    sheet's compression ratio stays under the ratio limit, and the file under the upload
    limit."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER)
    book.active.append(_row(1, CF_SY="RICHCELL"))
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    head, tail = parts.pop(sheet).split(b"<is><t>RICHCELL</t></is>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open(sheet, "w", force_zip64=True) as f:
            f.write(head + b"<is>")
            for _ in range(cell_mb * MB // run):
                noise = os.urandom(300).hex().encode()
                f.write(b"<r><t>" + b"A" * (run - len(noise)) + noise + b"</t></r>")
            f.write(b"</is>" + tail)
    return path


CASES = {
    "wide_csv": ("csv", wide_csv),
    "huge_cell_csv": ("csv", huge_cell_csv),
    "error_rows_csv": (
        "csv",
        lambda p: error_rows_csv(p, int(os.environ.get("HOSTILE_ERROR_ROWS", 100_000))),
    ),
    "xlsx_bomb": ("xlsx", xlsx_bomb),
    "xlsx_bomb_lying": ("xlsx", lambda p: xlsx_bomb(p, declared_mb=1)),
    "xlsx_shared_strings": ("xlsx", xlsx_shared_strings),
    "xlsx_rich_runs": ("xlsx", xlsx_rich_runs),
    "xlsx_shared_strings_over": ("xlsx", lambda p: xlsx_shared_strings(p, 500_001, 20)),
}


def _setup() -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    connection.settings_dict["NAME"] = ":memory:"
    connection.close()
    call_command("migrate", verbosity=0)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _child(case: str, path: Path) -> dict:
    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM, Actor
    from xinyong.accounts.choices import DepartmentKind, Role
    from xinyong.ingest import services
    from xinyong.ingest.models import Batch

    dept = accounts.department_save(
        actor=SYSTEM, code="SCJG", name="信安市市场监督管理局",
        kind=DepartmentKind.ADMINISTRATIVE, uscc=AGENCY,
    )  # fmt: skip
    user = accounts.user_create(
        actor=SYSTEM, username="clerk", password="Xinyong-demo-2026",
        role=Role.DEPARTMENT_OPERATOR, department=dept,
    )  # fmt: skip
    file_format = CASES[case][0]
    started = time.monotonic()
    batch = services.batch_submit(
        actor=Actor.for_user(user),
        item_code="administrative_penalty",
        channel="upload",
        file_format=file_format,
        payload=path,
        file_name=path.name,
    )
    with contextlib.suppress(Exception):  # a failed batch is reported by its status
        services.batch_process(batch_id=batch.pk)
    done = Batch.objects.get(pk=batch.pk)
    seconds = round(time.monotonic() - started, 2)
    pages = _pages(user, dept, done) if os.environ.get("HOSTILE_PAGES") else {}
    return {
        "pages": pages,
        "case": case,
        "status": done.status,
        "rules": sorted({e["rule"] for e in done.errors}),
        "errors_json_bytes": len(json.dumps(done.errors, ensure_ascii=False).encode()),
        "rejected": done.rejected,
        "detailed_rows": done.rows.filter(errors__isnull=False).count(),
        "stats_omitted": (done.stats or {}).get("omitted", {}),
        "seconds": seconds,
    }


def _pages(user, dept, batch) -> dict:
    """Size (bytes) and time (ms) of the batch page, the batch list and the API's list and
    detail for this batch, as the clerk and the department's system see them."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM
    from xinyong.accounts.choices import ApiScope

    setup_test_environment()
    _, token = accounts.api_client_issue(
        actor=SYSTEM, name="bench", department=dept, scopes=[ApiScope.RECORDS_WRITE]
    )
    client = Client()
    client.force_login(user)
    auth = {"Authorization": f"Bearer {token}"}
    urls = {
        "batch page": (f"/backoffice/batches/{batch.pk}/", {}),
        "batch page, deep cursor": (
            f"/backoffice/batches/{batch.pk}/?outcome=rejected&after={max(batch.total - 150, 0)}",
            {},
        ),
        "batch list page": ("/backoffice/batches/", {}),
        "GET /api/v1/records/batches": ("/api/v1/records/batches", auth),
        "GET /api/v1/records/batches/{id}": (f"/api/v1/records/batches/{batch.pk}", auth),
    }
    out = {}
    for name, (url, headers) in urls.items():
        client.get(url, headers=headers)  # warm
        started = time.monotonic()
        r = client.get(url, headers=headers)
        ms = (time.monotonic() - started) * 1000
        out[name] = {"status": r.status_code, "bytes": len(r.content), "ms": round(ms, 1)}
    return out


def run(directory: Path, cases: list[str]) -> list[dict]:
    """Each case in a forked child; its result with the child's peak RSS in MB."""
    _setup()
    from django.conf import settings

    settings.XINYONG_BATCH_DIR = directory / "batches"
    results = []
    for case in cases:
        file_format, make = CASES[case]
        path = make(directory / f"{case}.{file_format}")
        size = path.stat().st_size
        out = directory / f"{case}.json"
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                out.write_text(json.dumps(_child(case, path)))
            except BaseException as e:
                out.write_text(json.dumps({"case": case, "crash": repr(e)[:500]}))
                code = 1
            os._exit(code)
        _, status, usage = os.wait4(pid, 0)
        result = json.loads(out.read_text())
        result["file_bytes"] = size
        result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)  # Linux: kilobytes
        result["exit"] = status
        results.append(result)
        path.unlink()
    return results


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for r in run(target, sys.argv[2:] or list(CASES)):
        print(json.dumps(r, ensure_ascii=False), flush=True)
