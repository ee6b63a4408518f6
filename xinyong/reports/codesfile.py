"""The codes of a batch of reports, as a department has them: a textarea (one code a line)
and/or a CSV (UTF-8 or GBK) or XLSX file with a USCC column — the bidders' list of a
tender. Reading only; the codes are checked by the batch service, which names each bad
line by where it was given ("第3行", "文件第5行": the spreadsheet's own line number).
Encoding detection and the XLSX size guard are ingestion's (:mod:`xinyong.ingest`)."""

import csv
import io
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.ingest import limits
from xinyong.ingest.parsers import Unreadable, detect_encoding
from xinyong.reports.services.batch import Coded

MAX_BYTES = 2 << 20
MAX_LINES = 20_000  # far above any batch: a file of more is refused before it is read on
HEADERS = {"统一社会信用代码", "社会信用代码", "信用代码", "uscc", "xdr_shxym", "code", "代码"}


def _refuse(rule: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldError("file", rule, message)])


def codes_from_text(text: str) -> list[Coded]:
    lines = (text or "").splitlines()
    if len(lines) > MAX_LINES:
        raise ValidationFailed.one("codes", "too_many_lines", _("行数过多"))
    where = _("第%(n)d行")
    return [Coded(line.strip(), where % {"n": n}) for n, line in enumerate(lines, 1)]


def codes_from_file(upload) -> list[Coded]:
    """The codes of an uploaded CSV or XLSX: the column headed 统一社会信用代码 (or USCC),
    else the first column when its first cell is already a code (no header)."""
    name = (getattr(upload, "name", "") or "").lower()
    if upload.size > MAX_BYTES:
        raise _refuse("file.max_size", _("文件不得超过 2 MB"))
    if name.endswith(".csv"):
        rows = _csv_rows(upload.read())
    elif name.endswith(".xlsx"):
        rows = _xlsx_rows(upload)
    else:
        raise _refuse("file.format", _("请上传 CSV 或 XLSX 文件"))
    return _column(rows)


def _csv_rows(raw: bytes):
    try:
        text = raw.decode(detect_encoding(raw))
    except (Unreadable, UnicodeDecodeError):
        raise _refuse("file.encoding", _("文件编码无法识别：请使用 UTF-8 或 GBK 编码")) from None
    try:
        return list(csv.reader(io.StringIO(text)))[: MAX_LINES + 1]
    except csv.Error as e:
        raise _refuse("file.csv", _("不是有效的 CSV 文件：%(e)s") % {"e": str(e)[:100]}) from None


def _xlsx_rows(upload):
    import zipfile

    from openpyxl import load_workbook

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "codes.xlsx"
        path.write_bytes(upload.read())
        try:
            limits.xlsx_check(path)  # sizes before openpyxl decompresses anything
        except limits.LimitExceeded as e:
            raise ValidationFailed([e.error]) from None
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
            raise _refuse("file.xlsx", _("不是有效的 XLSX 文件")) from None
        try:
            if not book.worksheets:
                return []
            sheet = book.worksheets[0]
            sheet.reset_dimensions()
            rows = []
            for values in sheet.iter_rows(values_only=True):
                rows.append(["" if v is None else str(v) for v in values])
                if len(rows) > MAX_LINES:
                    break
            return rows
        finally:
            book.close()


def _column(rows: list[list[str]]) -> list[Coded]:
    if len(rows) > MAX_LINES:
        raise _refuse("file.max_rows", _("文件行数过多"))
    if not rows:
        raise _refuse("file.no_rows", _("文件中没有代码"))
    header = [c.strip().lower() for c in rows[0]]
    col = next((i for i, h in enumerate(header) if h in HEADERS), None)
    start = 1
    if col is None:
        first = header[0] if header else ""
        if len(first) == 18 and first.isalnum():
            col, start = 0, 0  # no header: the codes start on line 1
        else:
            raise _refuse(
                "file.no_uscc_column", _("文件中没有“统一社会信用代码”列（表头须为该名称或 USCC）")
            )
    where = _("文件第%(n)d行")
    return [
        Coded(row[col].strip() if col < len(row) else "", where % {"n": n})
        for n, row in enumerate(rows[start:], start + 1)
    ]
