"""The public reports' data on a batch engine: what ``reports.content.FileReader`` reads
from the records table for each subject of a batch of public reports — per catalog item,
how many records the public sees and the newest ``SECTION_MAX`` of them — as one Ibis
expression over an export, for every organisation (a province's whole register) or a
batch's subjects. Written back by the reports app (``services/data.py``); the reports then
read the records by id, and everything else (objections, repairs, list entries, the
evaluation) from the database as before — small reads keyed by those ids.

What the public sees is ``records.selectors.public_records_qs``: active, public records of
the items public while in force, and of licences and penalties the sweep published whose
period has not ended on ``as_of`` (``disclosure.rules.shown_q``). The item sets are the
catalog's, passed in (``public_item_codes``), so the two paths cannot disagree on them;
records without a decision date sort as the database the data goes back to sorts them."""

import datetime
from collections.abc import Iterator
from pathlib import Path

import ibis
import orjson
import pyarrow.dataset as ds

from xinyong.engines.connect import Engine, Tables
from xinyong.reports.content import LIST_ITEMS, SECTION_MAX, SKIP_ITEMS

CHUNK = 10_000  # subjects handed to the database's writer at a time


def public_report_expr(
    t: Tables,
    *,
    as_of: datetime.date,
    always: list[str],
    swept: list[str],
    nulls_first: bool,
    subject_ids: list[int] | None = None,
) -> ibis.Table:
    """(subject_id, items) of every organisation (or of ``subject_ids``): ``items`` a list
    of (item, n, ids) — the item's public records and the sorted ids of its newest
    ``SECTION_MAX`` (newest by decision date, then id); NULL: none."""
    r = t.records
    wanted = [c for c in always + swept if c not in SKIP_ITEMS + LIST_ITEMS]
    r = r.filter(r.status == "active", r.disclosure == "public",
                 r.item_code.isin(wanted or [""]))  # fmt: skip
    if subject_ids is not None:
        r = r.filter(r.subject_id.isin(subject_ids))
    p = t.publications
    p = p.filter(p.status == "public",
                 p.public_until.isnull() | (p.public_until >= ibis.date(as_of)))  # fmt: skip
    p = p.select(shown_id=p.record_id)  # one publication a record at most
    j = r.left_join(p, r.id == p.shown_id)
    j = j.filter(j.item_code.isin(always or [""])
                 | (j.item_code.isin(swept or [""]) & j.shown_id.notnull()))  # fmt: skip
    part = [j.subject_id, j.item_code]
    newest = ibis.window(group_by=part, order_by=[
        ibis.desc(j.decision_date, nulls_first=nulls_first), ibis.desc(j.id)])  # fmt: skip
    k = j.select(j.subject_id, j.item_code, j.id, rank=ibis.row_number().over(newest),
                 n=j.id.count().over(ibis.window(group_by=part)))  # fmt: skip
    k = k.filter(k.rank < SECTION_MAX)  # row_number counts from 0
    per_item = k.group_by(["subject_id", "item_code"]).aggregate(
        n=k.n.max(), ids=k.id.collect().sort()
    )
    entry = ibis.struct({"item": per_item.item_code, "n": per_item.n, "ids": per_item.ids})
    per_subject = per_item.group_by("subject_id").aggregate(items=entry.collect())
    s = t.subjects.filter(t.subjects.kind != "person")
    if subject_ids is not None:
        s = s.filter(s.id.isin(subject_ids))
    j = s.left_join(per_subject, s.id == per_subject.subject_id)
    return j.select(subject_id=s.id, items=per_subject["items"])


def public_report_parquet(t: Tables, expr: ibis.Table, out: str) -> Iterator[list[tuple]]:
    """Run ``expr`` on the engine into Parquet at ``out`` (a directory: one file from
    DuckDB, a file a partition from Spark's executors), then its rows as (subject id, items
    as JSON text ``{item: [n, ids]}``), ``CHUNK`` at a time — never whole in this
    process, and the engine done before the database's writer starts."""
    if t.engine == Engine.DUCKDB:
        Path(out).mkdir(parents=True)
        t.backend.to_parquet(expr, f"{out}/part-0.parquet")
    else:
        t.backend.to_parquet(expr, out, mode="overwrite")
    return _chunks(ds.dataset(out, format="parquet"))


def _chunks(dataset: ds.Dataset) -> Iterator[list[tuple]]:
    for batch in dataset.to_batches(batch_size=CHUNK):
        ids, items = batch.column("subject_id").to_pylist(), batch.column("items").to_pylist()
        yield [
            (sid, orjson.dumps({e["item"]: [e["n"], e["ids"]] for e in (got or ())}).decode())
            for sid, got in zip(ids, items, strict=True)
        ]
