"""From parsed rows to staged rows: the per-row Python work of a batch (check against the
item's schema, subject keys, identifier hashing and encryption, canonical content and its
keyed hash). Everything after this is set-based SQL (:mod:`xinyong.ingest.apply`)."""

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import orjson
from django.utils.translation import gettext

from xinyong.catalog.columnar import ColumnarCheck, date_or_none
from xinyong.catalog.definitions import SUBJECT_CATEGORY_KIND
from xinyong.catalog.rowschema import (
    CONTROL_RULE,
    OP,
    OPS,
    REASON,
    SOURCE_ID,
    CheckedRow,
    RowSchema,
    cell_problems,
    printable,
)
from xinyong.core import crypto
from xinyong.core.errors import FieldError
from xinyong.ingest.legacy import CURRENT, Reading
from xinyong.ingest.parsers import record_dict

STAGE_COLUMNS = (
    "row_no", "source_id", "op", "kind", "uscc", "name", "org_code", "id_type",
    "id_hash", "id_encrypted", "id_masked", "data", "sealed", "content_hash", "decision_date",
    "valid_to",
)  # fmt: skip
MAX_SOURCE_ID = 128
MAX_REASON = 500
DUPLICATE_RULE = "batch.duplicate_source_id"  # a source id seen earlier in the same batch
MAX_ERRORS_PER_ROW = 20  # a row's further errors are counted in one more entry
MORE_RULE = "row.more_errors"
# The field holding the deciding authority's USCC, per item: it must be the submitting
# department or an authority the department is registered to submit for.
AUTHORITY_FIELDS = {"administrative_penalty": "CF_CFJGDM", "administrative_licence": "XK_XKJGDM"}
AUTHORITY_RULE = "authority.not_provider"
UNREGISTERED_RULE = "authority.provider_unregistered"


def reason_errors(reason: str) -> list[FieldError]:
    """A withdrawal's reason is kept with the record: up to 500 characters."""
    if len(reason) > MAX_REASON:
        return [
            FieldError(
                REASON,
                "max_length",
                gettext("撤销原因不得超过%(MAX_REASON)s个字符") % {"MAX_REASON": MAX_REASON},
            )
        ]
    return []


@dataclass
class Prepared:
    staged: list[tuple] = field(default_factory=list)
    # (row, source id, errors); errors None once the batch's detailed rows are used up
    rejected: list[tuple[int, str, list[dict] | None]] = field(default_factory=list)
    copy_text: str | None = None  # the staged rows as PostgreSQL COPY text, when built ahead


@dataclass
class QualityCounter:
    """Per-field counts for the provider's data-quality page: values present (completeness)
    and rule violations (validity)."""

    filled: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    # errors of rejected rows stored without details (beyond XINYONG_INGEST_MAX_ERROR_ROWS)
    omitted: Counter = field(default_factory=Counter)
    omitted_rows: int = 0
    checked: int = 0
    legacy_rows: int = 0  # rows read in the older field set
    supplied: Counter = field(default_factory=Counter)  # fields the translation filled in

    def as_dict(self) -> dict:
        out = {
            "checked": self.checked,
            "filled": dict(self.filled),
            "errors": {f"{k[0]}|{k[1]}": n for k, n in self.errors.items()},
        }
        if self.legacy_rows:
            out["legacy"] = {"rows": self.legacy_rows, "supplied": dict(self.supplied)}
        if self.omitted_rows:
            out["omitted"] = {
                "rows": self.omitted_rows,
                "errors": {f"{k[0]}|{k[1]}": n for k, n in self.omitted.items()},
            }
        return out


class RowPreparer:
    """Prepares the rows of one batch; remembers source ids across chunks to reject a
    record submitted twice in the same batch."""

    def __init__(
        self,
        *,
        schema: RowSchema,
        reading: Reading = CURRENT,
        authorities: frozenset[str] | None = None,
        max_cell: int = 32_768,
        detail_rows: int = 1_000,
        limits=None,
        deferred: bool = False,
    ):
        """``reading``: the batch's field set (asked once, when its payload was opened);
        ``authorities``: USCCs the submitting department may name as the deciding
        authority (None: not checked); ``detail_rows``: how many rejected rows keep their
        error details, the others are counted by field and rule; ``limits``: what an
        industry association may submit (:mod:`xinyong.associations.limits`; None: a
        department, not limited by membership)."""
        self.columnar = ColumnarCheck(schema)
        self.schema = schema
        self.reading = reading
        self.source_field = schema.item.source_id_field
        self.authority_field = AUTHORITY_FIELDS.get(schema.item.code)
        self.authorities = authorities
        self.max_cell = max_cell
        self.detail_rows = detail_rows
        self.limits = limits
        self.seen: dict[str, int] = {}
        # Chunk mode (:mod:`xinyong.ingest.chunks`): rejections are kept whole and booked
        # (details budget, error counts) by the final step in file order; ``probed`` holds
        # every source id looked up in ``seen``, to find duplicates across chunks.
        self.deferred = deferred
        self.probed: set[str] = set()
        self.quality = QualityCounter()
        self._budget = threading.Lock()  # the next chunk is prepared while one is applied

    def count_applied(self, rejected: dict[str, int], omitted: dict[str, int]) -> None:
        """Rows the set-based apply rejected (by rule; ``omitted`` of them without
        details): counted like the preparer's own, the details' budget reduced."""
        from xinyong.ingest.apply import APPLY_ERRORS

        q = self.quality
        with self._budget:
            for rule, n in rejected.items():
                q.errors[(APPLY_ERRORS[rule]["field"], rule)] += n
            for rule, n in omitted.items():
                q.omitted[(APPLY_ERRORS[rule]["field"], rule)] += n
                q.omitted_rows += n
            detailed = sum(rejected.values()) - sum(omitted.values())
            self.detail_rows = max(self.detail_rows - detailed, 0)

    def _reject(self, out: Prepared, row_no: int, source_id: str, errors: list[FieldError]):
        source_id = printable(source_id[:MAX_SOURCE_ID])
        # Fields and messages may quote what was sent (an unknown key): stored printable.
        found = [
            FieldError(printable(e.field), e.rule, printable(e.message)).as_dict() for e in errors
        ]
        if self.deferred:
            out.rejected.append((row_no, source_id, found))
            return
        self.book_reject(out, row_no, source_id, found)

    def book_reject(self, out: Prepared, row_no: int, source_id: str, errors: list[dict]):
        """A rejected row counted, and kept with its details while the budget lasts."""
        q = self.quality
        with self._budget:
            q.errors.update((e["field"], e["rule"]) for e in errors)
            detailed = self.detail_rows > 0
            if detailed:
                self.detail_rows -= 1
            else:
                q.omitted_rows += 1
                q.omitted.update((e["field"], e["rule"]) for e in errors)
        if not detailed:
            out.rejected.append((row_no, source_id, None))
            return
        shown = errors[:MAX_ERRORS_PER_ROW]
        if len(errors) > MAX_ERRORS_PER_ROW:
            more = len(errors) - MAX_ERRORS_PER_ROW
            shown.append(
                {"field": "row", "rule": MORE_RULE, "message": f"本行另有 {more} 处错误未列出"}
            )
        out.rejected.append((row_no, source_id, shown))

    def prepare(self, rows: Iterable[tuple[int, dict]]) -> Prepared:
        """The row path: each row through the row check."""
        out = Prepared()
        for row_no, row in rows:
            self._one(out, row_no, row)
        return out

    def prepare_records(self, codes: list[str], records: list[tuple[int, list]]) -> Prepared:
        """A chunk of CSV records: rows the columnar check accepts as written are staged
        as they are; the others take the row path. Rows are handled in file order, so the
        first of two rows with one source id wins whichever path each takes."""
        out = Prepared()
        fast = self.columnar.check(codes, [values for _, values in records])
        accepted = fast.accepted.tolist()
        for (row_no, values), ok in zip(records, accepted, strict=True):
            row = dict(zip(codes, values, strict=True)) if ok else record_dict(codes, values)
            if ok:
                self._as_written(out, row_no, row, fast.ints)
            else:
                self._one(out, row_no, row)
        return out

    def _meta(self, out: Prepared, row_no: int, row: dict) -> tuple[str, str, str] | None:
        """Source id, operation and withdrawal reason of a row (taken out of it); None when
        the row was rejected for them."""
        self.quality.checked += 1
        source_id = str(row.pop(SOURCE_ID, None) or "").strip()
        op_raw = str(row.pop(OP, None) or "upsert").strip()
        reason = str(row.pop(REASON, None) or "").strip()
        if not source_id and self.source_field:
            source_id = str(row.get(self.source_field) or "").strip()
        errors = []
        op = OPS.get(op_raw)
        if op is None:
            errors.append(
                FieldError(
                    OP,
                    "op.enum",
                    gettext("操作“%(op_raw)s”无效：应为 新增或更新 / 撤销") % {"op_raw": op_raw},
                )
            )
        errors += reason_errors(reason)
        if not source_id:
            errors.append(FieldError(SOURCE_ID, "required", gettext("来源记录编号必填")))
        elif len(source_id) > MAX_SOURCE_ID:
            errors.append(
                FieldError(SOURCE_ID, "max_length", gettext("来源记录编号不得超过128个字符"))
            )
        else:
            if self.deferred:
                self.probed.add(source_id)
            if source_id in self.seen:
                errors.append(
                    FieldError(
                        SOURCE_ID,
                        DUPLICATE_RULE,
                        gettext("与本批次第%(seen)s行的来源记录编号重复")
                        % {"seen": self.seen[source_id]},
                    )
                )
        if errors:
            self._reject(out, row_no, source_id, errors)
            return None
        self.seen[source_id] = row_no
        return source_id, op, reason

    def _refused_cells(self, out: Prepared, row_no: int, row: dict) -> bool:
        """A cell with a forbidden character (NUL, a lone surrogate, other controls) or
        beyond the cell limit: the row is refused before anything reads its values, and
        neither the value nor the cell is quoted back."""
        problems = cell_problems(row, self.max_cell)
        if not problems:
            return False
        self.quality.checked += 1
        source_id = str(row.get(SOURCE_ID) or row.get(self.source_field or SOURCE_ID) or "")
        errors = [
            self.schema._error(
                key,
                rule,
                "含有不允许的控制字符（如 NUL）或无效字符，本行已拒收"
                if rule == CONTROL_RULE
                else f"超过 {self.max_cell} 个字符的单元格上限，本行已拒收",
            )
            for key, rule in problems
        ]
        self._reject(out, row_no, source_id.strip(), errors)
        return True

    def _one(self, out: Prepared, row_no: int, row: dict) -> None:
        if self._refused_cells(out, row_no, row):
            return
        adapted = None
        if self.reading.legacy:
            adapted = self.reading.adapter.adapt(row)
            row = adapted.row
        meta = self._meta(out, row_no, row)
        if meta is None:
            return
        source_id, op, reason = meta
        if adapted is not None:
            self.quality.legacy_rows += 1
            if adapted.errors:
                self._reject(out, row_no, source_id, adapted.errors)
                return
            self.quality.supplied.update(adapted.supplied)
        if op == "withdraw" and (errors := self._limited(None)):
            self._reject(out, row_no, source_id, errors)
            return
        if op == "withdraw":  # the record's id is all it needs; its content is the reason
            content = orjson.dumps({REASON: reason}).decode() if reason else "{}"
            out.staged.append(
                (row_no, source_id, op, "", None, "", None, None, None, None, None, content,
                 None, "", None, None)
            )  # fmt: skip
            return
        checked = self.schema.check(row)
        if checked.__class__ is not CheckedRow:
            self._reject(out, row_no, source_id, checked)
            return
        if errors := self._authority(checked.data) or self._limited(checked):
            self._reject(out, row_no, source_id, errors)
            return
        self.quality.filled.update(checked.data.keys())
        out.staged.append(self._stage(row_no, source_id, checked))

    def _limited(self, checked: CheckedRow | None) -> list[FieldError]:
        """An industry association's row: in an item it is authorised for and, unless a
        withdrawal, about a member on the record's date (the one hook of its limits)."""
        if self.limits is None:
            return []
        item = self.schema.item.code
        if checked is None:
            return self.limits.row_errors(item, check_member=False)
        return self.limits.row_errors(item, checked.kind, checked.uscc, checked.decision_date)

    def _authority(self, data: dict) -> list[FieldError]:
        """A department reports its own decisions (谁决定、谁报送): the deciding
        authority's code must be its own or one it is registered to submit for."""
        code = self.authority_field
        if code is None or self.authorities is None:
            return []
        given = data.get(code)
        if given in self.authorities:
            return []
        if not self.authorities:
            return [
                self.schema._error(
                    code,
                    UNREGISTERED_RULE,
                    "报送部门未登记统一社会信用代码，无法核对决定机关：请平台运营人员在部门设置中"
                    "登记本部门及其代报机关的统一社会信用代码",
                )
            ]
        return [
            self.schema._error(
                code,
                AUTHORITY_RULE,
                f"决定机关“{given}”不是报送部门，也不是其登记代报的机关：请由决定机关自行报送，"
                "或请平台运营人员登记代报关系",
            )
        ]

    def _as_written(self, out: Prepared, row_no: int, row: dict, ints: tuple[str, ...]) -> None:
        """A row the columnar check accepted: its check result is the row itself."""
        meta = self._meta(out, row_no, row)
        if meta is None:
            return
        source_id = meta[0]
        data = {k: v for k, v in row.items() if v}
        for code in ints:
            if code in data:
                data[code] = int(data[code])
        if errors := self._authority(data):
            self._reject(out, row_no, source_id, errors)
            return
        item = self.schema.item
        checked = CheckedRow(
            data=data,
            sensitive={},
            kind=SUBJECT_CATEGORY_KIND[data["XDR_LB"]],
            uscc=data["XDR_SHXYM"],
            name=data["XDR_MC"],
            org_code=None,
            id_type=None,
            id_number=None,
            decision_date=date_or_none(data.get(item.decision_date_field)),
            valid_to=date_or_none(data.get(item.valid_to_field)),
        )
        if errors := self._limited(checked):
            self._reject(out, row_no, source_id, errors)
            return
        self.quality.filled.update(data.keys())
        out.staged.append(self._stage(row_no, source_id, checked))

    def _stage(self, row_no: int, source_id: str, c: CheckedRow) -> tuple:
        data = orjson.dumps(c.data, option=orjson.OPT_SORT_KEYS)
        sealed = None
        if c.sensitive:
            secret = orjson.dumps(c.sensitive, option=orjson.OPT_SORT_KEYS)
            sealed = crypto.encrypt(secret.decode())
            digest = crypto.content_hash(data + b"\n" + secret)
        else:
            digest = crypto.content_hash(data)
        id_hash = id_encrypted = id_masked = None
        if c.id_type is not None:
            id_hash = crypto.identifier_hash(c.id_type, c.id_number)
            id_encrypted = crypto.encrypt(c.id_number)
            id_masked = crypto.mask(c.id_number)
        return (
            row_no, source_id, "upsert", c.kind, c.uscc, c.name, c.org_code,
            c.id_type, id_hash, id_encrypted, id_masked, data.decode(), sealed, digest,
            c.decision_date, c.valid_to,
        )  # fmt: skip
