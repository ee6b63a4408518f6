"""Files people open in a spreadsheet: CSV in UTF-8 with a BOM (so Excel reads it as such),
every cell formula-safe."""

import csv
from collections.abc import Iterable, Iterator

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A cell no spreadsheet will run as a formula (OWASP: prefix ``'``)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """The rows as CSV text, line by line (for streaming), BOM first, cells formula-safe."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([spreadsheet_safe(v) for v in row])
