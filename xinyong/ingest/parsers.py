"""Reading a batch's payload, whatever its channel: CSV (UTF-8 or GBK), XLSX, or the JSON
rows of an API push.

Rows are numbered the same way everywhere — API answers, batch pages, reports, records'
provenance: **the data row's position in the batch, from 1**. A file's header is not a row
(so row 1 is the spreadsheet's second line); blank rows are skipped but keep their number,
so row *n* is always line *n* + 1 of the sheet; an API push counts its ``rows`` from 1.

A payload that cannot be read as a whole — wrong encoding, not a spreadsheet, unknown or
missing columns, beyond a size limit (:mod:`xinyong.ingest.limits`) — raises
:class:`Unreadable` with errors naming the column and the rule; problems of single rows
are left to the row check. Whether the payload is in the older field set is decided once,
from its header (or the keys of all its API rows): :class:`xinyong.ingest.legacy.Reading`."""

import codecs
import csv
import datetime
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
from django.utils.translation import gettext

from xinyong.catalog.rowschema import HeaderError, RowSchema, printable
from xinyong.core.errors import FieldError
from xinyong.ingest import limits
from xinyong.ingest.legacy import CURRENT, LegacyAdapter, Reading

FORMATS = ("csv", "xlsx", "json")
_SNIFF_BYTES = 1 << 20


class Unreadable(Exception):
    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def _fail(rule: str, message: str, field: str = "file") -> Unreadable:
    return Unreadable([FieldError(field, rule, message)])


@dataclass
class Payload:
    """An opened payload: how its fields are read, and its rows. A CSV also gives its
    resolved header and its records as lists of cells (for the columnar check)."""

    reading: Reading
    rows: Iterator[tuple[int, dict]]
    codes: list[str] | None = None
    records: Iterator[tuple[int, list]] | None = None


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) when the first megabyte decodes as UTF-8, else GBK when
    it decodes as GBK; anything else is refused rather than read as mojibake."""
    for encoding in ("utf-8-sig", "gbk"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(head, final=False)  # a character cut at the sample's end is fine
            return encoding
        except UnicodeDecodeError:
            continue
    raise _fail("file.encoding", gettext("文件编码无法识别：请使用 UTF-8 或 GBK 编码的 CSV 文件"))


def _limited(read):
    try:
        return read()
    except limits.LimitExceeded as e:
        raise Unreadable([e.error]) from None


def _csv(path: Path, schema: RowSchema, adapter: LegacyAdapter | None) -> Payload:
    """The resolved header of a CSV payload and its records as read: ``(row, cells)``,
    blank lines left out (common at the end of exported files). A record is cut after the
    first cell beyond the header (all the row check needs to name it)."""
    raw = path.open("rb")
    try:
        encoding = detect_encoding(raw.read(_SNIFF_BYTES))
        raw.seek(0)
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        first = _guard(None, encoding, lambda: limits.csv_header_line(text))
        # The cell limit stops the C parser itself (a process-wide setting; every reader
        # of batches sets the same value).
        csv.field_size_limit(limits.max_cell())
        reader = csv.reader(itertools.chain([first], limits.csv_lines(text, 2)))
        header = _guard(reader, encoding, lambda: next(reader, None))
        if not header or not any(h.strip() for h in header):
            raise _fail("file.empty", gettext("文件为空或缺少表头行"))
        if len(header) > limits.max_columns():
            raise Unreadable([limits.too_many_columns(len(header)).error])
        reading = adapter.reading(header) if adapter is not None else CURRENT
        codes = _resolve(schema, header, reading)
    except BaseException:
        raw.close()
        raise
    width = len(codes)

    def records() -> Iterator[tuple[int, list]]:
        with raw:
            for n, values in enumerate(reader, 1):
                if any(values):
                    yield n, values if len(values) <= width + 1 else values[: width + 1]

    checked = _checked(reader, encoding, records())
    rows = ((n, record_dict(codes, values)) for n, values in checked)
    return Payload(reading, rows, codes, checked)


def _guard(reader, encoding: str, read):
    try:
        return read()
    except UnicodeDecodeError:
        raise _encoding_error(reader, encoding) from None
    except limits.LimitExceeded as e:
        raise Unreadable([e.error]) from None
    except csv.Error as e:
        raise _csv_error(reader, e) from None


def _line(reader) -> int:
    return reader.line_num if reader is not None else 1


def _csv_error(reader, e: csv.Error) -> Unreadable:
    if "field larger than field limit" in str(e):
        return Unreadable(
            [limits.cell_too_large(gettext("文件第%(line)s行") % {"line": _line(reader)}).error]
        )
    return _fail("file.csv", f"文件第{_line(reader)}行 CSV 格式错误：{e}")


def _encoding_error(reader, encoding: str) -> Unreadable:
    return _fail(
        "file.encoding",
        f"文件第{_line(reader) + 1}行附近有不属于 {encoding.upper()} 编码的字节：文件编码不一致",
    )


def _checked(reader, encoding: str, it: Iterator) -> Iterator:
    """Decoding, CSV and limit errors met while reading on, as the batch's reasons."""
    try:
        yield from it
    except UnicodeDecodeError:
        raise _encoding_error(reader, encoding) from None
    except limits.LimitExceeded as e:
        raise Unreadable([e.error]) from None
    except csv.Error as e:
        raise _csv_error(reader, e) from None


def record_dict(codes: list[str], values: list) -> dict:
    """One record as a row: cells by field code; a cell beyond the header is kept under
    ``column[n]`` so that the row check reports it."""
    row = dict(zip(codes, values, strict=False))
    if len(values) > len(codes):
        row[f"column[{len(codes) + 1}]"] = values[len(codes)]
    return row


def _cell(v):
    if v is None or v.__class__ is str or isinstance(v, datetime.date):
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _xlsx(path: Path, schema: RowSchema, adapter: LegacyAdapter | None) -> Payload:
    import zipfile

    from openpyxl import load_workbook

    _limited(lambda: limits.xlsx_check(path))  # sizes and cells, before openpyxl reads it
    try:
        # data_only=False: a formula arrives as its text ("=…") and is refused by the row
        # check, instead of its cached value silently entering a credit file.
        book = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise _fail(
            "file.xlsx", gettext("不是有效的 XLSX 文件：%(e)s") % {"e": printable(str(e))[:200]}
        ) from None
    try:
        if not book.worksheets:
            raise _fail("file.empty", gettext("工作簿中没有工作表"))
        sheet = book.worksheets[0]
        # A declared dimension (A1:XFD1048576) would pad every row to it: read cells only.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header or not any(header):
            raise _fail("file.empty", gettext("工作表为空或缺少表头行"))
        header = [str(h) if h is not None else "" for h in header]
        while header and not header[-1]:
            header.pop()  # trailing empty header cells
        if len(header) > limits.max_columns():
            raise Unreadable([limits.too_many_columns(len(header)).error])
        reading = adapter.reading(header) if adapter is not None else CURRENT
        codes = _resolve(schema, header, reading)
    except BaseException:
        book.close()
        raise

    def read() -> Iterator[tuple[int, dict]]:
        width = len(codes)
        try:
            for n, values in enumerate(rows, 1):
                if not any(v not in (None, "") for v in values):
                    continue
                row = {c: _cell(v) for c, v in zip(codes, values, strict=False)}
                extra = next((v for v in values[width:] if v not in (None, "")), None)
                if extra is not None:
                    row[f"column[{width + 1}]"] = _cell(extra)
                yield n, row
        finally:
            book.close()

    return Payload(reading, read())


def _json(path: Path, schema: RowSchema, adapter: LegacyAdapter | None) -> Payload:
    data = path.read_bytes()
    try:
        rows = orjson.loads(data)
    except orjson.JSONDecodeError:  # escaped lone surrogates (see batch_submit_rows)
        rows = json.loads(data)
    keys = {k for raw in rows for k in raw} if adapter is not None else ()
    reading = adapter.reading(keys) if adapter is not None else CURRENT
    mapping = schema.header_map

    def read() -> Iterator[tuple[int, dict]]:
        for n, raw in enumerate(rows, 1):
            if reading.legacy:
                yield n, raw  # the adapter reads old and current keys alike
            else:
                # Keys may be codes or Chinese names; an unknown key is kept so the row
                # check names it.
                yield n, {mapping.get(k, k): v for k, v in raw.items()}

    return Payload(reading, read())


def _resolve(schema: RowSchema, header: list[str], reading: Reading) -> list[str]:
    try:
        if reading.legacy:
            return reading.adapter.resolve_headers(header)
        return schema.resolve_headers(header)
    except HeaderError as e:
        raise Unreadable(e.errors) from None


def open_payload(
    path: Path, file_format: str, schema: RowSchema, adapter: LegacyAdapter | None = None
) -> Payload:
    """Open a payload: its field set decided, its header checked and resolved."""
    opener = {"csv": _csv, "xlsx": _xlsx, "json": _json}[file_format]
    return opener(path, schema, adapter)


def read_rows(
    path: Path, file_format: str, schema: RowSchema, adapter: LegacyAdapter | None = None
) -> Iterator[tuple[int, dict]]:
    return open_payload(path, file_format, schema, adapter).rows


def format_of(file_name: str) -> str:
    suffix = Path(file_name).suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx"):
        raise _fail(
            "file.format",
            gettext("不支持的文件类型“.%(suffix)s”：请上传 CSV 或 XLSX 文件") % {"suffix": suffix},
            "file",
        )
    return suffix
