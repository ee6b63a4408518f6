"""The credit reports' data on a batch engine: what ``reports.content.FileReader`` reads
from the records table for each subject of a batch of reports — per catalog item, how
many records there are and the newest ``SECTION_MAX`` of them — as one Ibis expression
over an export, for every organisation (a province's whole register) or a batch's
subjects, in two forms:

- ``items``, the public report's: the records the public sees, per item;
- ``files``, the review report's: every record of the whole file, per item *and* per
  (provider, disclosure) — the groups the one read rule (``accounts.access``) decides on
  as a whole (its own department's records, a sharing provider's not restricted ones,
  everyone's public ones). What a department sees is a union of groups, so one
  computation serves every department under every sharing rule: the newest 20 of a union
  are among its groups' newest 20. Which groups a reader sees is decided when a report
  is issued, by the database through ``Record.objects.visible_to`` on the groups' ids —
  the rule is not written a second time here, and a sharing rule that began or ended
  since the export applies at once. Only of the organisations with a large file (an
  item holding more than ``SECTION_MAX`` records, where a section is cut): a small file
  is read whole either way, and the database reads it in fewer queries than the data
  takes (``bench/RESULTS.md``); NULL for the others.

Written back by the reports app (``services/data.py``); the reports then read the records
by id, and everything else (objections, repairs, list entries, the evaluation) from the
database as before — small reads keyed by those ids.

What the public sees is ``records.selectors.public_records_qs``: active, public records of
the items public while in force, and of licences and penalties the sweep published whose
period has not ended on ``as_of`` (``disclosure.rules.shown_q``). The item sets are the
catalog's, passed in (``public_item_codes``), so the two paths cannot disagree on them.
The whole file is ``content._file_records``: the active records. Records without a
decision date sort as the database the data goes back to sorts them (``nulls_first``)."""

import datetime
from collections.abc import Iterator
from pathlib import Path

import ibis
import orjson
import pyarrow.dataset as ds

from xinyong.engines.connect import Engine, Tables
from xinyong.records.choices import RecordStatus
from xinyong.reports.content import LIST_ITEMS, SECTION_MAX, SKIP_ITEMS

CHUNK = 10_000  # subjects handed to the database's writer at a time


def report_data_expr(
    t: Tables,
    *,
    as_of: datetime.date,
    always: list[str],
    swept: list[str],
    nulls_first: bool,
    subject_ids: list[int] | None = None,
) -> ibis.Table:
    """(subject_id, items, files) of every organisation (or of ``subject_ids``):
    ``items`` a list of (item, n, ids) — the item's public records and the sorted ids of
    its newest ``SECTION_MAX`` (newest by decision date, then id); ``files`` a list of
    (item, provider, disclosure, n, ids), the same of the whole file's records per item
    and group, of a large file only; NULL: none (``files``: or a small file)."""
    r = t.records
    r = r.filter(r.status == RecordStatus.ACTIVE.value, ~r.item_code.isin(SKIP_ITEMS + LIST_ITEMS))
    if subject_ids is not None:
        r = r.filter(r.subject_id.isin(subject_ids))
    s = t.subjects.filter(t.subjects.kind != "person")
    if subject_ids is not None:
        s = s.filter(s.id.isin(subject_ids))
    public = _per_subject(_public(t, r, as_of, always, swept), (), nulls_first, "items")
    files = _per_subject(r, ("provider_id", "disclosure"), nulls_first, "files", large=True)
    j = s.left_join(public, s.id == public.subject_id).left_join(files, s.id == files.subject_id)
    return j.select(subject_id=s.id, items=public["items"], files=files["files"])


def _public(t: Tables, r: ibis.Table, as_of, always: list[str], swept: list[str]) -> ibis.Table:
    """The records of ``r`` the public sees on ``as_of``."""
    r = r.filter(r.disclosure == "public", r.item_code.isin(always + swept or [""]))
    p = t.publications
    p = p.filter(p.status == "public",
                 p.public_until.isnull() | (p.public_until >= ibis.date(as_of)))  # fmt: skip
    p = p.select(shown_id=p.record_id)  # one publication a record at most
    j = r.left_join(p, r.id == p.shown_id)
    return j.filter(j.item_code.isin(always or [""])
                    | (j.item_code.isin(swept or [""]) & j.shown_id.notnull()))  # fmt: skip


def _per_subject(r: ibis.Table, group: tuple[str, ...], nulls_first: bool, name: str,
                 large: bool = False):  # fmt: skip
    """(subject_id, ``name``): per subject, a list of (item, *``group``, n, ids) — the
    records of ``r`` of each item (and group) counted, and the ids of the newest
    ``SECTION_MAX``. ``large``: only of the subjects with an item of more than
    ``SECTION_MAX`` records."""
    part = [r.subject_id, r.item_code, *(r[c] for c in group)]
    newest = ibis.window(group_by=part, order_by=[
        ibis.desc(r.decision_date, nulls_first=nulls_first), ibis.desc(r.id)])  # fmt: skip
    k = r.select(*part, r.id, rank=ibis.row_number().over(newest),
                 n=r.id.count().over(ibis.window(group_by=part)))  # fmt: skip
    k = k.filter(k.rank < SECTION_MAX)  # row_number counts from 0
    keys = ["subject_id", "item_code", *group]
    g = k.group_by(keys).aggregate(n=k.n.max(), ids=k.id.collect().sort())
    if large:
        items = g.group_by(["subject_id", "item_code"]).aggregate(n=g.n.sum())
        items = items.filter(items.n > SECTION_MAX).select("subject_id").distinct()
        g = g.semi_join(items, "subject_id")
    entry = ibis.struct({"item": g.item_code, **{c: g[c] for c in group}, "n": g.n,
                         "ids": g.ids})  # fmt: skip
    return g.group_by("subject_id").aggregate(**{name: entry.collect()})


def report_data_parquet(t: Tables, expr: ibis.Table, out: str) -> Iterator[list[tuple]]:
    """Run ``expr`` on the engine into Parquet at ``out`` (a directory: one file from
    DuckDB, a file a partition from Spark's executors), then its rows as (subject id,
    items as JSON text ``{item: [n, ids]}``, files as JSON text ``{item: [[provider,
    disclosure, n, ids], …]}`` with the groups in order, or None: a small file),
    ``CHUNK`` at a time — never whole in this process, and the engine done before the
    database's writer starts."""
    if t.engine == Engine.DUCKDB:
        Path(out).mkdir(parents=True)
        t.backend.to_parquet(expr, f"{out}/part-0.parquet")
    else:
        t.backend.to_parquet(expr, out, mode="overwrite")
    return _chunks(ds.dataset(out, format="parquet"))


def _chunks(dataset: ds.Dataset) -> Iterator[list[tuple]]:
    for batch in dataset.to_batches(batch_size=CHUNK):
        cols = (batch.column(c).to_pylist() for c in ("subject_id", "items", "files"))
        yield [
            (sid, _json({e["item"]: [e["n"], e["ids"]] for e in items or ()}),
             None if files is None else _json(_files(files)))
            for sid, items, files in zip(*cols, strict=True)
        ]  # fmt: skip


def _files(groups: list[dict]) -> dict[str, list]:
    out: dict[str, list] = {}
    for e in sorted(groups, key=lambda e: (e["item"], e["provider_id"], e["disclosure"])):
        out.setdefault(e["item"], []).append([e["provider_id"], e["disclosure"], e["n"], e["ids"]])
    return out


def _json(value) -> str:
    return orjson.dumps(value).decode()
