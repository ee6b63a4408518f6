"""Bounds on what one payload may make a worker hold, checked before its rows are parsed.

A 9.9 MB CSV with a million columns once produced a million header errors (a 115 MB batch
page, a worker of 1.5 GB), and a 1 MB XLSX holding one 1 GiB cell took a worker to 3.4 GB.
So, before any row is read:

- a CSV's header line is read with a bounded ``readline`` and refused beyond
  ``XINYONG_INGEST_MAX_COLUMNS`` columns; every later physical line is read bounded too, and
  a cell beyond ``XINYONG_INGEST_MAX_CELL_CHARS`` characters stops the CSV parser itself;
- an XLSX's zip directory is read first: the declared uncompressed sizes (in total at most
  ``XINYONG_XLSX_MAX_UNCOMPRESSED_BYTES``) and each large part's compression ratio (at most
  ``XINYONG_XLSX_MAX_RATIO``); then every part is decompressed as a stream, counting the
  bytes it really yields (a part that yields more than it declared, or more than the
  limit, is refused while reading), and its XML text runs are measured with expat, so that
  no cell longer than the cell limit reaches openpyxl, which holds a cell's text whole;
  the shared strings, which openpyxl loads all at once, are counted
  (``XINYONG_XLSX_MAX_SHARED_STRINGS``).

Each refusal names its rule (``file.columns``, ``cell.too_large``, ``xlsx.too_large``,
``xlsx.ratio``, ``xlsx.size_mismatch``, ``xlsx.shared_strings``) and the limit, in Chinese."""

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext

from xinyong.core.errors import FieldError

_HEADER_CHARS_PER_COLUMN = 256  # far above any catalog header (code or Chinese name)
_RATIO_MIN_BYTES = 1 << 20  # small parts compress well and are harmless
_BLOCK = 1 << 20
_SHARED_STRINGS = "xl/sharedStrings.xml"
_STRING = frozenset({"si", "is"})  # a shared or inline string: one cell's text, whatever it holds


class LimitExceeded(Exception):
    """A payload beyond a bound; ``error`` names the rule (raised as the batch's reason)."""

    def __init__(self, error: FieldError):
        super().__init__(error.message)
        self.error = error


def max_columns() -> int:
    return settings.XINYONG_INGEST_MAX_COLUMNS


def max_cell() -> int:
    return settings.XINYONG_INGEST_MAX_CELL_CHARS


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.0f} MB"


def too_many_columns(count: int | None) -> LimitExceeded:
    found = f"{count} 列" if count is not None else "过长的表头"
    return LimitExceeded(
        FieldError(
            "file",
            "file.columns",
            gettext(
                "表头有%(found)s，超过每个批次最多 %(max_columns)s 列的上限：请只保留目录项的字段列"
            )
            % {"found": found, "max_columns": max_columns()},
        )
    )


def cell_too_large(where: str) -> LimitExceeded:
    return LimitExceeded(
        FieldError(
            "file",
            "cell.too_large",
            gettext(
                "%(where)s有超过 %(max_cell)s 个字符的单元格，超过单元格大小上限，整个文件未读取"
            )
            % {"where": where, "max_cell": max_cell()},
        )
    )


# -- CSV ---------------------------------------------------------------------------------


def csv_header_line(text: io.TextIOBase) -> str:
    """The first line of a CSV, read without reading further than the column limit allows:
    a header longer than that is refused before it is split into columns."""
    cap = max_columns() * _HEADER_CHARS_PER_COLUMN
    line = text.readline(cap + 1)
    if len(line) > cap:
        raise too_many_columns(None)
    return line


def csv_lines(text: io.TextIOBase, first_line_no: int = 1) -> Iterator[str]:
    """Physical lines of a CSV, each read bounded: a row holds at most the column limit of
    cells of at most the cell limit, so a longer line is refused without being held."""
    cap = max(max_columns(), 1) * (max_cell() + 3)
    n = first_line_no
    while True:
        line = text.readline(cap + 1)
        if not line:
            return
        if len(line) > cap:
            raise cell_too_large(gettext("文件第%(n)s行") % {"n": n})
        n += 1
        yield line


# -- XLSX --------------------------------------------------------------------------------


def _xml_part(name: str) -> bool:
    return name.endswith(".xml") and name.startswith("xl/")


class _TextRuns:
    """Feeds an XML part to expat in blocks and refuses a text run (one cell's string)
    longer than the cell limit; memory stays at one block whatever the part holds."""

    def __init__(self, part: str):
        self.part = part
        self.run = 0
        self.depth = 0  # within a string element
        self.strings = 0
        self.max_strings = settings.XINYONG_XLSX_MAX_SHARED_STRINGS
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = False
        self.parser.CharacterDataHandler = self._text
        self.parser.StartElementHandler = self._shared if part == _SHARED_STRINGS else self._start
        self.parser.EndElementHandler = self._end

    def _start(self, name: str, _attrs=None):
        # openpyxl joins a string's rich-text runs (``<si>`` or ``<is>`` holding
        # ``<r><t>…</t></r>``…) into ONE cell: within a string the count goes on across
        # its elements; elsewhere each element's text is counted on its own.
        if name.rpartition(":")[2] in _STRING:
            self.depth += 1
            self.run = 0
        elif not self.depth:
            self.run = 0

    def _end(self, name: str):
        if name.rpartition(":")[2] in _STRING:
            self.depth -= 1
            self.run = 0
        elif not self.depth:
            self.run = 0

    def _shared(self, name: str, _attrs):
        """openpyxl holds every shared string in memory (~150 bytes each beyond its
        text), before the first row is read: their number is bounded too."""
        self._start(name)
        if name == "si" or name.endswith(":si"):
            self.strings += 1
            if self.strings > self.max_strings:
                raise LimitExceeded(
                    FieldError(
                        "file",
                        "xlsx.shared_strings",
                        gettext(
                            "XLSX 的共享字符串超过 %(max_strings)s 个，超过上限："
                            "请拆分文件，或改用 CSV 上传"
                        )
                        % {"max_strings": self.max_strings},
                    )
                )

    def _text(self, data: str):
        self.run += len(data)
        if self.run > max_cell():
            raise cell_too_large(gettext("工作簿部件 %(part)s 中") % {"part": self.part})

    def feed(self, block: bytes, final: bool = False):
        try:
            self.parser.Parse(block, final)
        except expat.ExpatError as e:
            raise LimitExceeded(
                FieldError(
                    "file",
                    "file.xlsx",
                    gettext("不是有效的 XLSX 文件：%(part)s 无法解析（%(e)s）")
                    % {"part": self.part, "e": e},
                )
            ) from None


def xlsx_check(path: Path) -> None:
    """Refuse an XLSX whose parts would decompress beyond the limits (see the module
    docstring) — before openpyxl opens it."""
    limit = settings.XINYONG_XLSX_MAX_UNCOMPRESSED_BYTES
    ratio = settings.XINYONG_XLSX_MAX_RATIO
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise LimitExceeded(
            FieldError("file", "file.xlsx", gettext("不是有效的 XLSX 文件：%(e)s") % {"e": e})
        ) from None
    with archive:
        infos = archive.infolist()
        declared = sum(i.file_size for i in infos)
        if declared > limit:
            raise LimitExceeded(
                FieldError(
                    "file",
                    "xlsx.too_large",
                    gettext("XLSX 解压后共 %(declared)s，超过 %(limit)s 的上限：请拆分后上传")
                    % {"declared": _mb(declared), "limit": _mb(limit)},
                )
            )
        for i in infos:
            if i.file_size >= _RATIO_MIN_BYTES and i.file_size > ratio * max(i.compress_size, 1):
                raise LimitExceeded(
                    FieldError(
                        "file",
                        "xlsx.ratio",
                        gettext(
                            "XLSX 部件 %(filename)s 的压缩比超过 %(ratio)s:1"
                            "（疑似压缩炸弹），已拒收"
                        )
                        % {"filename": i.filename, "ratio": ratio},
                    )
                )
        total = 0
        for i in infos:
            runs = _TextRuns(i.filename) if _xml_part(i.filename) else None
            seen = 0
            try:
                with archive.open(i) as part:
                    while block := part.read(_BLOCK):
                        seen += len(block)
                        total += len(block)
                        if seen > i.file_size or total > limit:
                            raise _mismatch(i.filename)
                        if runs is not None:
                            runs.feed(block)
            except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as e:
                # zipfile stops at the declared size and then finds the CRC wrong: an
                # entry that yields more than it declares ends here (RuntimeError: a part
                # flagged encrypted).
                raise LimitExceeded(
                    FieldError(
                        "file",
                        "xlsx.size_mismatch",
                        gettext("XLSX 部件 %(filename)s 损坏：%(e)s")
                        % {"filename": i.filename, "e": e},
                    )
                ) from None
            if seen != i.file_size:
                raise _mismatch(i.filename)
            if runs is not None:
                runs.feed(b"", final=True)


def _mismatch(name: str) -> LimitExceeded:
    return LimitExceeded(
        FieldError(
            "file",
            "xlsx.size_mismatch",
            gettext("XLSX 部件 %(name)s 解压后的大小与声明不符或超过上限（疑似压缩炸弹），已拒收")
            % {"name": name},
        )
    )
