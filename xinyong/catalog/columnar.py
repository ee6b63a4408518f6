"""The fast path of the row check: a whole chunk of rows checked column by column (polars,
in Rust), accepting only rows whose every value is already in the canonical form the row
check (:mod:`xinyong.catalog.rowschema`) would produce — ISO dates, plain amounts without
trailing zeros, upper-case valid codes, one enumeration value, no surrounding spaces, no
formula, no identifier number, a USCC for the subject. For those rows the row check's
result is the row as written, so it is built here without running it.

Every other row — a different but acceptable spelling, or a real error — goes through the
row check, which normalises it or explains what is wrong. The fast path never decides a
rejection and never accepts what the row check would refuse; `tests/test_columnar.py`
holds the two paths equal on adversarial rows."""

import datetime
from dataclasses import dataclass

import numpy as np
import polars as pl
from pydantic_core import PydanticCustomError

from xinyong.catalog.choices import FieldType
from xinyong.catalog.definitions import ID_PAIRS, SUBJECT_CATEGORY_KIND
from xinyong.catalog.rowschema import (
    CONTROL_CHARS,
    OP,
    REASON,
    SOURCE_ID,
    RowSchema,
    join_choices,
    today,
)
from xinyong.subjects.identifiers import uscc_valid_many

# Surrounding characters Python's str.strip() removes: Unicode White_Space (\s in the Rust
# regex engine) plus the separators \x1c-\x1f that Python also counts as space.
_PADDED = r"^[\s\x1c-\x1f]|[\s\x1c-\x1f]$"
_FORMULA = r"^[=+\-@]"
_CONTROL = f"[{CONTROL_CHARS}]"  # Rust strings hold no surrogates; the rest as the row check
_ISO_DATE = r"^[1-9]\d{3}-\d{2}-\d{2}$"  # years before 1000: the row check decides
_CANONICAL_MONEY = r"^(0|[1-9]\d{0,11})(\.\d{0,5}[1-9])?$"  # what Decimal.normalize() prints
_CANONICAL_INT = r"^(0|[1-9]\d{0,14})$"
_USCC_CHARS = r"^[0-9A-HJ-NPQRTUWXY]{18}$"
_UPSERT = ("", "upsert", "新增或更新")
_META_MAX = {SOURCE_ID: 128, REASON: 500}


@dataclass
class FastRows:
    """The outcome for a chunk: ``accepted[i]`` says whether row ``i`` is taken as written;
    ``ints`` names the integer fields, whose values are stored as numbers."""

    accepted: np.ndarray
    ints: tuple[str, ...]


class ColumnarCheck:
    """A compiled item version's column rules; see the module docstring."""

    def __init__(self, schema: RowSchema):
        self.schema = schema
        item = schema.item
        self.item = item
        self.ints = tuple(f.code for f in item.all_fields if f.type == FieldType.INTEGER)
        self.kinds = {
            label: kind
            for label, kind in SUBJECT_CATEGORY_KIND.items()
            if kind in item.subject_kinds and kind != "person"
        }
        # Columns whose presence sends the row to the row check: identifier numbers and
        # their types (encrypted and masked there), and the codes a name match rests on.
        self.slow_columns = {*ID_PAIRS, *ID_PAIRS.values(), "XDR_ZZJG", "XDR_SWDJ"}
        self.slow_columns |= {f.code for f in item.all_fields if f.type == FieldType.ID_NUMBER}

    def _column_ok(self, code: str, s: pl.Expr, column: pl.Series) -> pl.Expr | None:
        f = self.schema.fields.get(code)
        if f is None:
            return None
        filled = s != ""
        if code in self.slow_columns:
            return ~filled
        if f.type in (FieldType.STRING, FieldType.TEXT):
            rule = s.str.len_chars() <= (
                f.max_length or (4000 if f.type == FieldType.TEXT else 200)
            )
        elif f.type == FieldType.ENUM and f.multiple:
            rule = s.is_in(_canonical_several(f.choices, column.unique().to_list()))
        elif f.type == FieldType.ENUM:
            rule = s.is_in(list(f.choices))
        elif f.type == FieldType.DATE:
            rule = s.str.contains(_ISO_DATE) & s.str.to_date("%Y-%m-%d", strict=False).is_not_null()
        elif f.type == FieldType.MONEY:
            rule = s.str.contains(_CANONICAL_MONEY)
        elif f.type == FieldType.INTEGER:
            rule = s.str.contains(_CANONICAL_INT)
        elif f.type == FieldType.USCC:
            rule = s.str.contains(_USCC_CHARS)  # check characters: uscc_valid_many below
        else:
            return ~filled
        return ~filled | rule

    def check(self, codes: list[str], records: list[list[str]]) -> FastRows:
        """``codes``: the resolved header; ``records``: the rows' cells as read."""
        width = len(codes)
        n = len(records)
        shaped = np.fromiter((len(r) == width for r in records), dtype=bool, count=n)
        cells = [r if len(r) == width else (r + [""] * width)[:width] for r in records]
        frame = pl.DataFrame(
            list(zip(*cells, strict=True)) if n else [[] for _ in codes],
            schema=[f"c{i}" for i in range(width)],
            orient="col",
        )
        present = set(codes)
        rules = [pl.lit(True)]
        for i, code in enumerate(codes):
            s = pl.col(f"c{i}")
            rules.append(
                ~s.str.contains(_PADDED) & ~s.str.contains(_FORMULA) & ~s.str.contains(_CONTROL)
            )
            if code == OP:
                rules.append(s.is_in(list(_UPSERT)))
            elif code in _META_MAX:  # longer ones: the row check says which rule they break
                rules.append(s.str.len_chars() <= _META_MAX[code])
            else:
                rule = self._column_ok(code, s, frame.get_column(f"c{i}"))
                if rule is not None:
                    rules.append(rule)
        for f in self.item.all_fields:
            if f.required and f.code not in present:
                return FastRows(np.zeros(n, dtype=bool), self.ints)
            if f.required:
                rules.append(pl.col(f"c{codes.index(f.code)}") != "")
        if "XDR_SHXYM" not in present or "XDR_LB" not in present:
            return FastRows(np.zeros(n, dtype=bool), self.ints)
        # Date rules on canonical ISO dates, which compare as strings in date order.
        decided = self.item.decision_date_field
        if decided in present:
            rules.append(pl.col(f"c{codes.index(decided)}") <= today().isoformat())
        for earlier, later in self.item.date_order:
            if earlier in present and later in present:
                a, b = pl.col(f"c{codes.index(earlier)}"), pl.col(f"c{codes.index(later)}")
                rules.append((a == "") | (b == "") | (a <= b))
        rules.append(pl.col(f"c{codes.index('XDR_LB')}").is_in(list(self.kinds)))
        rules.append(pl.col(f"c{codes.index('XDR_SHXYM')}") != "")
        accepted = frame.select(pl.all_horizontal(rules)).to_series().to_numpy()
        accepted = accepted & shaped
        for i, code in enumerate(codes):  # check characters of every USCC column
            f = self.schema.fields.get(code)
            if f is not None and f.type == FieldType.USCC:
                column = [r[i] for r in cells]
                valid = uscc_valid_many(column)
                accepted &= valid | np.fromiter((v == "" for v in column), dtype=bool, count=n)
        return FastRows(accepted, self.ints)


def _canonical_several(choices: tuple[str, ...], values: list[str]) -> list[str]:
    """Of the distinct values of a multiple-choice column (few), those already written as
    the row check writes them: known choices in the catalog's order, joined by ';'."""
    out = []
    for v in values:
        try:
            if v and join_choices(choices, v) == v:
                out.append(v)
        except PydanticCustomError:
            continue
    return out


def date_or_none(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
