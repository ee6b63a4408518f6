"""Reading a batch's payload, whatever its channel: CSV (UTF-8 or GBK), XLSX, or the JSON
rows of an API push. Each reader yields ``(row_no, {field code: value})`` with row numbers
as the submitter sees them (a file's header is row 1; an API batch counts its rows from 1).

A payload that cannot be read as a whole — wrong encoding, not a spreadsheet, unknown or
missing columns — raises :class:`Unreadable` with errors naming the column and the rule;
problems of single rows are left to the row check."""

import codecs
import csv
import datetime
import io
from collections.abc import Iterator
from pathlib import Path

import orjson

from xinyong.catalog.rowschema import HeaderError, RowSchema
from xinyong.core.errors import FieldError

FORMATS = ("csv", "xlsx", "json")
_SNIFF_BYTES = 1 << 20


class Unreadable(Exception):
    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def _fail(rule: str, message: str, field: str = "file") -> Unreadable:
    return Unreadable([FieldError(field, rule, message)])


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
    raise _fail("file.encoding", "文件编码无法识别：请使用 UTF-8 或 GBK 编码的 CSV 文件")


def csv_records(
    path: Path, schema: RowSchema, adapter=None
) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """The resolved header of a CSV payload and its records as read: ``(line, cells)``,
    blank lines left out (common at the end of exported files). With an older-field-set
    ``adapter`` (:mod:`xinyong.ingest.legacy`), an old header resolves to old codes."""
    raw = path.open("rb")
    try:
        encoding = detect_encoding(raw.read(_SNIFF_BYTES))
        raw.seek(0)
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        reader = csv.reader(text)
        header = _guard(reader, encoding, lambda: next(reader, None))
        if not header or not any(h.strip() for h in header):
            raise _fail("file.empty", "文件为空或缺少表头行")
        codes = _resolve(schema, header, adapter)
    except BaseException:
        raw.close()
        raise

    def records() -> Iterator[tuple[int, list]]:
        with raw:
            for values in reader:
                if any(values):
                    yield reader.line_num, values

    return codes, _checked(reader, encoding, records())


def _guard(reader, encoding: str, read):
    try:
        return read()
    except UnicodeDecodeError:
        raise _encoding_error(reader, encoding) from None
    except csv.Error as e:
        raise _fail("file.csv", f"第{reader.line_num}行 CSV 格式错误：{e}") from None


def _encoding_error(reader, encoding: str) -> Unreadable:
    return _fail(
        "file.encoding",
        f"第{reader.line_num + 1}行附近有不属于 {encoding.upper()} 编码的字节：文件编码不一致",
    )


def _checked(reader, encoding: str, it: Iterator) -> Iterator:
    """Decoding and CSV errors met while reading on, as the batch's reasons."""
    try:
        yield from it
    except UnicodeDecodeError:
        raise _encoding_error(reader, encoding) from None
    except csv.Error as e:
        raise _fail("file.csv", f"第{reader.line_num}行 CSV 格式错误：{e}") from None


def record_dict(codes: list[str], values: list) -> dict:
    """One record as a row: cells by field code; a cell beyond the header is kept under
    ``column[n]`` so that the row check reports it."""
    row = dict(zip(codes, values, strict=False))
    if len(values) > len(codes):
        row[f"column[{len(codes) + 1}]"] = values[len(codes)]
    return row


def _csv_rows(path: Path, schema: RowSchema, adapter=None) -> Iterator[tuple[int, dict]]:
    codes, records = csv_records(path, schema, adapter)
    for line, values in records:
        yield line, record_dict(codes, values)


def _cell(v):
    if v is None or v.__class__ is str or isinstance(v, datetime.date):
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _xlsx_rows(path: Path, schema: RowSchema, adapter=None) -> Iterator[tuple[int, dict]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        # data_only=False: a formula arrives as its text ("=…") and is refused by the row
        # check, instead of its cached value silently entering a credit file.
        book = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise _fail("file.xlsx", f"不是有效的 XLSX 文件：{e}") from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header or not any(header):
            raise _fail("file.empty", "工作表为空或缺少表头行")
        header = [str(h) if h is not None else "" for h in header]
        while header and not header[-1]:
            header.pop()  # trailing empty header cells
        codes = _resolve(schema, header, adapter)
        width = len(codes)
        for n, values in enumerate(rows, 2):
            if not any(v not in (None, "") for v in values):
                continue
            row = {c: _cell(v) for c, v in zip(codes, values, strict=False)}
            extra = [v for v in values[width:] if v not in (None, "")]
            if extra:
                row[f"column[{width + 1}]"] = _cell(extra[0])
            yield n, row
    finally:
        book.close()


def _json_rows(path: Path, schema: RowSchema, adapter=None) -> Iterator[tuple[int, dict]]:
    rows = orjson.loads(path.read_bytes())
    mapping = schema.header_map
    for n, raw in enumerate(rows, 1):
        if adapter is not None and adapter.reads(raw):
            yield n, raw  # an old row: the adapter reads its keys
            continue
        # Keys may be codes or Chinese names; an unknown key is kept so the row check names it.
        yield n, {mapping.get(k, k): v for k, v in raw.items()}


def _resolve(schema: RowSchema, header: list[str], adapter=None) -> list[str]:
    try:
        if adapter is not None and adapter.reads(header):
            return adapter.resolve_headers(header)
        return schema.resolve_headers(header)
    except HeaderError as e:
        raise Unreadable(e.errors) from None


def read_rows(
    path: Path, file_format: str, schema: RowSchema, adapter=None
) -> Iterator[tuple[int, dict]]:
    reader = {"csv": _csv_rows, "xlsx": _xlsx_rows, "json": _json_rows}[file_format]
    return reader(path, schema, adapter)


def format_of(file_name: str) -> str:
    suffix = Path(file_name).suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx"):
        raise _fail("file.format", f"不支持的文件类型“.{suffix}”：请上传 CSV 或 XLSX 文件", "file")
    return suffix
