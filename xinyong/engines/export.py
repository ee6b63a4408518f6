"""The data a batch job reads, exported from the database to Parquet in bulk: one file per
table, the records in slices of ids (one file each: a province's records are written, and
later read by Spark's executors, in parallel pieces), and a manifest.

Only the columns the jobs read, with the few fields of a record's JSON they need pulled out
(the engines never parse JSON), and a record's local day of storage computed by the
database as the statistics count it. On PostgreSQL every slice is a ``COPY (SELECT …) TO
STDOUT`` in CSV, turned into Parquet by DuckDB (no row passes through Python), all in one
repeatable-read transaction: the files are one snapshot. The manifest keeps its data time
(``core.watermark.data_time`` at the snapshot): a run on the export evaluates the data of
that moment, and the next incremental run takes what changed after it."""

import datetime
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from xinyong.core.watermark import data_time
from xinyong.evaluation.facts import PENALTY, PERFORMANCE, SECTOR

FORMAT = 4  # the manifest's format: raised when a table or a column changes meaning
MANIFEST = "manifest.json"
SLICE = 2_000_000  # record ids per file
CHUNK = 50_000  # rows fetched at a time where Python reads them (SQLite)

# (Parquet type, DuckDB type) of the columns
_TYPES = {"int": (pa.int64(), "BIGINT"), "text": (pa.string(), "VARCHAR"),
          "date": (pa.date32(), "DATE"), "bool": (pa.bool_(), "BOOLEAN")}  # fmt: skip


class ExportError(Exception):
    """A directory that is not a usable export: the message names it and why."""


class BatchRefused(Exception):
    """An export this database may not take results from: the message says why."""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, type key of _TYPES)
    sql: str  # {json:FIELD}, {day:COLUMN}, {before:COLUMN}, {utc_day:COLUMN}: per database
    sliced: bool = False  # by id, in files of SLICE ids
    sqlite: str = ""  # SQLite's text where its JSON functions differ from PostgreSQL's

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([(n, _TYPES[t][0]) for n, t in self.columns])


def _if(item: str, field: str) -> str:
    return f"CASE WHEN r.item_code = '{item}' THEN {{json:{field}}} END"


TABLES = (
    Table("subjects", (("id", "int"), ("kind", "text"), ("established_on", "date"),
                       ("status", "text")),
          "SELECT s.id, s.kind, s.established_on, s.status FROM subjects_subject s"),
    Table("records", (("id", "int"), ("subject_id", "int"), ("provider_id", "int"),
                      ("item_code", "text"), ("status", "text"), ("disclosure", "text"),
                      ("decision_date", "date"),
                      ("valid_to", "date"), ("created_day", "date"), ("stored_before", "bool"),
                      ("cf_yzcd", "text"),
                      ("cf_cxlx", "text"), ("cn_lxzt", "text"), ("pj_ly", "text"),
                      ("pj_dj", "text")),
          "SELECT r.id, r.subject_id, r.provider_id, r.item_code, r.status, r.disclosure, "
          "r.decision_date, "
          "r.valid_to, {day:r.created_at}, {before:r.created_at}, "
          f"{_if(PENALTY, 'CF_YZCD')}, {_if(PENALTY, 'CF_CXLX')}, {_if(PERFORMANCE, 'CN_LXZT')}, "
          f"{_if(SECTOR, 'PJ_LY')}, {_if(SECTOR, 'PJ_DJ')} FROM records_record r", sliced=True),
    Table("objections", (("id", "int"), ("subject_id", "int"), ("record_id", "int"),
                         ("status", "text"), ("decision", "text"), ("decided_on", "date")),
          "SELECT o.id, o.subject_id, o.record_id, o.status, o.decision, {utc_day:o.decided_at} "
          "FROM remedies_objection o"),
    Table("repairs", (("record_id", "int"), ("status", "text")),
          "SELECT ar.record_id, a.status FROM remedies_repairapplication_records ar "
          "JOIN remedies_repairapplication a ON a.id = ar.repairapplication_id"),
    Table("entries", (("id", "int"), ("subject_id", "int"), ("list_code", "text"),
                      ("status", "text"), ("term_end", "date"), ("under_objection", "bool")),
          "SELECT e.id, e.subject_id, lt.code, e.status, e.term_end, e.under_objection "
          "FROM lists_listentry e JOIN lists_listtype lt ON lt.id = e.list_type_id"),
    Table("publications", (("record_id", "int"), ("status", "text"), ("public_until", "date"),
                           ("provider_id", "int"), ("item_code", "text"),
                           ("decision_date", "date"), ("on_time", "bool"),
                           ("published_day", "date"), ("published_before", "bool")),
          "SELECT p.record_id, p.status, p.public_until, p.provider_id, p.item_code, "
          "p.decision_date, p.on_time, {day:p.published_at}, {before:p.published_at} "
          "FROM disclosure_publication p"),
    # The check log: each check's local day and department; the measures it returned (a
    # row a measure of the catalog of measures, from its JSON), suspended or not; the
    # departments' answers. The statistics' credit check rollups.
    Table("checks", (("id", "int"), ("department_id", "int"), ("status", "text"),
                     ("day", "date"), ("checked_before", "bool")),
          "SELECT c.id, c.department_id, c.status, {day:c.at}, {before:c.at} "
          "FROM sanctions_creditcheck c"),
    Table("check_measures", (("check_id", "int"), ("code", "text"), ("suspended", "bool")),
          "SELECT c.id, r.code, jsonb_exists(COALESCE(c.result -> 'suspended', '[]'::jsonb), "
          "r.code) FROM sanctions_creditcheck c CROSS JOIN LATERAL "
          "jsonb_array_elements_text(c.result -> 'measures') AS r(code) "
          "JOIN sanctions_measure m ON m.code = r.code",
          sqlite="SELECT c.id, r.value, EXISTS (SELECT 1 FROM json_each(c.result, "
          "'$.suspended') s WHERE s.value = r.value) FROM sanctions_creditcheck c, "
          "json_each(c.result, '$.measures') AS r JOIN sanctions_measure m ON m.code = r.value"),
    Table("check_answers", (("check_id", "int"), ("code", "text"), ("applied", "bool")),
          "SELECT f.credit_check_id, m.code, f.applied FROM sanctions_checkfeedback f "
          "JOIN sanctions_measure m ON m.id = f.measure_id"),
)  # fmt: skip


@dataclass(frozen=True)
class Manifest:
    path: Path
    data_time: datetime.datetime
    database: str  # the database exported: results go back to that one only
    rows: dict[str, int]
    organisations: int  # subjects evaluated (not persons)


def _sql(table: Table, since: datetime.datetime) -> str:
    """The table's SELECT for this database (the time zone named is the settings'):
    ``{day:COLUMN}`` a moment's local day, as the statistics count days; ``{before:COLUMN}``
    whether it is before ``since``, the export's data time, as the database compares it —
    what a rollup up to that moment counts (a record's ``stored_before``, a publication's
    ``published_before``; NULL where the moment is NULL)."""
    tz = timezone.get_current_timezone_name()
    if not re.fullmatch(r"[A-Za-z0-9_/+-]+", tz):
        raise ExportError(f"TIME_ZONE {tz!r}")
    pg = connection.vendor == "postgresql"

    def json_field(m: re.Match) -> str:
        f = m.group(1)
        return f"r.data->>'{f}'" if pg else f"json_extract(r.data, '$.{f}')"

    def utc_day(m: re.Match) -> str:  # the UTC date: a date bound compares with it so
        col = m.group(1)
        return f"({col} AT TIME ZONE 'UTC')::date" if pg else f"date({col})"

    def day(m: re.Match) -> str:
        col = m.group(1)
        return (f"({col} AT TIME ZONE '{tz}')::date" if pg
                else f"django_datetime_cast_date({col}, '{tz}', 'UTC')")  # fmt: skip

    moment = connection.ops.adapt_datetimefield_value(since)  # SQLite: its stored text

    def before(m: re.Match) -> str:
        col = m.group(1)
        return (f"{col} < '{moment.isoformat()}'::timestamptz" if pg
                else f"{col} < '{moment}'")  # fmt: skip

    sql = re.sub(r"\{json:(\w+)\}", json_field, table.sql if pg or not table.sqlite
                 else table.sqlite)  # fmt: skip
    for name, fill in (("utc_day", utc_day), ("day", day), ("before", before)):
        sql = re.sub(r"\{" + name + r":([\w.]+)\}", fill, sql)
    return sql


def export(dest: Path) -> Manifest:
    """Export every table into ``dest`` (created; an existing export there is replaced)."""
    dest = Path(dest)
    if (dest / MANIFEST).exists():
        for t in TABLES:
            shutil.rmtree(dest / t.name, ignore_errors=True)
        (dest / MANIFEST).unlink()
    dest.mkdir(parents=True, exist_ok=True)
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:  # every table as of one moment
            with connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        since = data_time(timezone.now())
        rows = {t.name: _table(t, dest / t.name, since) for t in TABLES}
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM subjects_subject WHERE kind <> 'person'")
            organisations = cur.fetchone()[0]
    name = str(connection.settings_dict["NAME"])
    (dest / MANIFEST).write_text(json.dumps({
        "format": FORMAT, "data_time": since.isoformat(), "database": name, "rows": rows,
        "organisations": organisations, "exported_at": timezone.now().isoformat(),
    }, indent=2))  # fmt: skip
    return Manifest(dest, since, name, rows, organisations)


def manifest_read(path: Path) -> Manifest:
    """The export at ``path``, or :class:`ExportError` saying why it is not one."""
    path = Path(path)
    if not path.is_dir():
        raise ExportError(f"目录不存在：{path}")
    try:
        m = json.loads((path / MANIFEST).read_text())
    except FileNotFoundError:
        raise ExportError(f"{path} 不是数据导出目录（缺少 {MANIFEST}）") from None
    except (OSError, ValueError, RecursionError) as e:  # not UTF-8, not JSON, nested past reason
        raise ExportError(f"{path / MANIFEST} 无法读取：{str(e)[:200]}") from None
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise ExportError(f"{path / MANIFEST} 的格式不是本版本的导出格式 {FORMAT}")
    try:
        when = datetime.datetime.fromisoformat(m["data_time"])
        if when.tzinfo is None or not isinstance(m["database"], str):
            raise ValueError(m["database"])
        rows = {str(k): int(v) for k, v in m["rows"].items()}
        organisations = m["organisations"]
        if not isinstance(organisations, int) or organisations < 0:
            raise ValueError(organisations)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        raise ExportError(f"{path / MANIFEST} 的内容不完整或已损坏") from None
    missing = [t.name for t in TABLES if not any((path / t.name).glob("*.parquet"))]
    if missing:
        raise ExportError(f"{path} 缺少数据表：{'、'.join(missing)}")
    return Manifest(path, when, m["database"], rows, organisations)


def database_check(manifest: Manifest) -> None:
    """Results computed from the export may go to this database only if it was exported
    from it."""
    here = str(connection.settings_dict["NAME"])
    if manifest.database != here:
        raise BatchRefused(f"导出来自数据库 {manifest.database}，不是当前数据库 {here}")


def _table(table: Table, out: Path, since: datetime.datetime) -> int:
    out.mkdir()
    sql = _sql(table, since)
    if connection.vendor != "postgresql":
        return _fetched(table, sql, out / "part-0.parquet")
    slices = [(None, None)]
    if table.sliced:
        with connection.cursor() as cur:
            cur.execute("SELECT min(id), max(id) FROM records_record")  # the one sliced
            lo, hi = cur.fetchone()
        if lo is not None:
            slices = [(a, min(a + SLICE, hi + 1)) for a in range(lo, hi + 1, SLICE)]
    n = 0
    for i, (a, b) in enumerate(slices):
        where = f" WHERE r.id >= {a} AND r.id < {b}" if a is not None else ""
        n += _copied(table, sql + where, out / f"part-{i}.parquet")
    return n


def _copied(table: Table, sql: str, out: Path) -> int:
    """PostgreSQL: the rows as CSV from COPY into a temporary file, DuckDB writes Parquet
    (CSV keeps NULL apart from the empty string: unquoted empty is NULL)."""
    columns = "{" + ", ".join(f"'{n}': '{_TYPES[t][1]}'" for n, t in table.columns) + "}"
    with tempfile.NamedTemporaryFile(suffix=".csv", dir=out.parent) as tmp:
        with connection.cursor() as cur, cur.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)"
                                                          ) as copy:  # fmt: skip
            for block in copy:
                tmp.write(block)
        tmp.flush()
        duck = duckdb.connect()
        try:
            duck.execute(
                f"COPY (SELECT * FROM read_csv('{tmp.name}', header = false, auto_detect = "
                f"false, columns = {columns}, allow_quoted_nulls = false)) TO '{out}' "
                "(FORMAT parquet)"
            )
            return duck.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]
        finally:
            duck.close()


def _array(values: list, typ: pa.DataType) -> pa.Array:
    try:
        return pa.array(values, type=typ)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # SQLite: dates as text, booleans as 0/1
        return pa.array(values).cast(typ)


def _fetched(table: Table, sql: str, out: Path) -> int:
    """SQLite (an embedded city): the rows read in chunks and written to one file."""
    schema, n = table.schema, 0
    with pq.ParquetWriter(out, schema) as writer, connection.cursor() as cur:
        cur.execute(sql)
        while rows := cur.fetchmany(CHUNK):
            cols = list(zip(*rows, strict=True))
            writer.write_batch(pa.record_batch(
                [_array(list(c), f.type) for c, f in zip(cols, schema, strict=True)],
                schema=schema,
            ))  # fmt: skip
            n += len(rows)
    return n


def default_dir() -> Path:
    """A new directory for an export under ``XINYONG_PARQUET_DIR``."""
    base = Path(settings.XINYONG_PARQUET_DIR)
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"export-{timezone.now():%Y%m%d-%H%M%S}-", dir=base))
