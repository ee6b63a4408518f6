"""The public credit evaluation on a batch engine: the facts of every organisation as one
Ibis expression over an export — the same counts, recency windows and ids as the database
query of ``evaluation/facts.py``, bucket for bucket — scored by the evaluation's own code
(``scoring.py``) and handed to ``evaluation.engine.run_execute``, which writes the results
by COPY and switches the grades as for any run.

A record falls in the first bucket whose condition it meets (under objection first,
repaired next, then its item and window), exactly as the database query's ``CASE``; the
ids kept per bucket are the smallest 20 (the database keeps any 20 when more: a reader
needs some, the points never depend on which)."""

import datetime
import functools
import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import ibis
import pyarrow.dataset as ds

from xinyong.engines.connect import Engine, Tables, spark_session
from xinyong.engines.export import BatchRefused, Manifest, database_check
from xinyong.engines.scoring import RESULTS_DDL, score_batches
from xinyong.evaluation import facts as F
from xinyong.evaluation.choices import RunStatus
from xinyong.evaluation.models import EvaluationRun, ModelVersion


def _buckets(r, d: dict) -> list[tuple[str, ibis.Value]]:
    """(fact, condition) in the order of ``facts._buckets`` (the tests hold them equal)."""
    serious = ibis.coalesce(r.cf_yzcd, "") == "严重"  # absent: 一般 (the item's rule)
    summary = ibis.coalesce(r.cf_cxlx, "") == "简易程序"
    pen, item = r.item_code == F.PENALTY, r.item_code
    recent, window = r.decision_date >= d["y1"], r.decision_date >= d["y3"]
    valid = r.valid_to.isnull() | (r.valid_to >= d["today"])
    return [
        ("doubt", r.doubt),
        ("repaired", r.repaired),
        ("pen_s1", pen & serious & recent),
        ("pen_s3", pen & serious & window),
        ("pen_summary", pen & summary & recent),
        ("pen_g1", pen & ~summary & recent),
        ("pen_g3", pen & ~summary & window),
        ("enf_1", (item == F.ENFORCEMENT) & recent),
        ("enf_3", (item == F.ENFORCEMENT) & window),
        ("court_rec", (item == F.COURT) & valid),
        ("breach", (item == F.BREACH) & window),
        ("kept", (item == F.PERFORMANCE) & (r.cn_lxzt == "已履约") & window),
        ("honour", item.isin(F.HONOURS) & window),
        ("licence", (item == F.LICENCE) & valid),
        ("declared", (item == F.DECLARATION) & window),
        ("sector", (item == F.SECTOR) & valid),
    ]


def _bounds(as_of: datetime.date) -> dict:
    return {k: ibis.date(v) for k, v in F.bounds(as_of).items()}


def _record_facts(t: Tables, d: dict) -> ibis.Table:
    r = t.records
    undated = r.item_code.isin((F.LICENCE, F.COURT, F.SECTOR))  # read whatever their date
    r = r.filter(r.status == "active", r.item_code.isin(F.ITEMS),
                 (r.decision_date >= d["y3"]) | undated)  # fmt: skip
    o = t.objections
    doubt = o.filter(o.status.isin(("marked", "forwarded")), o.record_id.notnull())
    doubt = doubt.select(doubt_id=doubt.record_id).distinct()
    rp = t.repairs.filter(t.repairs.status == "approved")
    rp = rp.select(repaired_id=rp.record_id).distinct()
    j = r.left_join(doubt, r.id == doubt.doubt_id).left_join(rp, r.id == rp.repaired_id)
    j = j.select(*[r[c] for c in r.columns], doubt=doubt.doubt_id.notnull(),
                 repaired=rp.repaired_id.notnull())  # fmt: skip
    buckets = _buckets(j, d)
    day = ibis.coalesce(j.decision_date.cast("string"), "")
    text = (ibis.coalesce(j.pj_ly, "") + "|" + ibis.coalesce(j.pj_dj, "") + "|" + day + "|"
            + j.id.cast("string"))  # fmt: skip
    b = j.select(j.id, j.subject_id, b=ibis.cases(*[(c, n) for n, c in buckets], else_=None),
                 t=ibis.ifelse(j.item_code == F.SECTOR, text, ibis.null("string")))  # fmt: skip
    b = b.filter(b.b.notnull())
    aggs = {}
    for name, _cond in buckets:
        hit = b.b == name
        if name == "sector":
            aggs["sector"] = b.t.collect(where=hit)
        else:
            aggs[name] = b.id.count(where=hit)
            aggs[f"{name}_ids"] = b.id.collect(where=hit).sort()[: F.ID_CAP]
    return b.group_by("subject_id").aggregate(**aggs)


def _entry_facts(t: Tables, d: dict) -> ibis.Table:
    e = t.entries
    e = e.filter(e.status == "published", e.term_end.isnull() | (e.term_end >= d["today"]),
                 e.list_code.isin(F.LISTS))  # fmt: skip
    aggs = {f"l_{c}": e.id.count(where=(e.list_code == c) & ~e.under_objection) for c in F.LISTS}
    aggs["l_doubt"] = e.id.count(where=e.under_objection)
    aggs["entry_ids"] = e.id.collect().sort()[: F.ID_CAP]
    return e.group_by("subject_id").aggregate(**aggs)


def facts_expr(t: Tables, as_of: datetime.date, names: list[str]) -> ibis.Table:
    """(id, established_on, status, then ``names``) per organisation: the rows of
    ``facts.facts_sql`` on any engine."""
    d = _bounds(as_of)
    rf, ef = _record_facts(t, d), _entry_facts(t, d)
    o = t.objections
    ob = o.filter(o.decision.isin(("corrected", "revoked")), o.decided_on >= d["y3"])
    ob = ob.group_by("subject_id").aggregate(upheld=ob.id.count())
    s = t.subjects.filter(t.subjects.kind != "person")
    j = (s.left_join(rf, s.id == rf.subject_id).left_join(ef, s.id == ef.subject_id)
         .left_join(ob, s.id == ob.subject_id))  # fmt: skip
    tables = {**dict.fromkeys(rf.columns, rf), **dict.fromkeys(ef.columns, ef), "upheld": ob}
    return j.select(s.id, s.established_on, s.status, *[tables[n][n] for n in names])


def export_check(manifest: Manifest) -> None:
    """A run may take the export's results: it is of this database, and not older than the
    data the grades in force were computed from (they would go back in time)."""
    database_check(manifest)
    mv = ModelVersion.objects.filter(active=True).first()
    last = (EvaluationRun.objects.filter(status=RunStatus.DONE, model_version=mv)
            .exclude(data_time=None).order_by("-data_time").first())  # fmt: skip
    if last is not None and manifest.data_time < last.data_time:
        raise BatchRefused(
            f"导出的数据截至 {manifest.data_time:%Y-%m-%d %H:%M:%S}，早于评价批次 {last.pk} "
            f"的数据（{last.data_time:%Y-%m-%d %H:%M:%S}）：请重新导出"
        )


@dataclass
class EngineBatch:
    """A full run's results computed on a batch engine (``evaluation.engine.Batch``)."""

    tables: Tables
    manifest: Manifest

    @property
    def engine(self) -> str:
        return str(self.tables.engine)

    @property
    def data_time(self) -> datetime.datetime:
        return self.manifest.data_time

    @property
    def total(self) -> int:
        return self.manifest.organisations

    def results(self, run: EvaluationRun) -> Iterator[tuple]:
        names = F._columns()
        expr = facts_expr(self.tables, run.as_of, names)
        score = functools.partial(score_batches, definition=run.model_version.definition,
                                  as_of=run.as_of, names=names)  # fmt: skip
        if self.tables.engine == Engine.DUCKDB:
            batches = score(self.tables.backend.to_pyarrow_batches(expr, chunk_size=50_000))
            yield from _rows(batches)
            return
        yield from self._spark(expr, score, run)

    def _spark(self, expr, score, run: EvaluationRun) -> Iterator[tuple]:
        """Each executor scores its partitions (``mapInArrow``) into Parquet beside the
        export; this process reads them back and the run writes them."""
        out = f"{str(self.manifest.path).rstrip('/')}/results/run-{run.pk}"
        frame = spark_session().sql(self.tables.backend.compile(expr))
        frame.mapInArrow(score, RESULTS_DDL).write.mode("overwrite").parquet(out)
        try:
            yield from _rows(ds.dataset(out, format="parquet").to_batches())
        finally:
            if "://" not in out:
                shutil.rmtree(out, ignore_errors=True)


def _rows(batches) -> Iterator[tuple]:
    for batch in batches:
        yield from zip(*(batch.column(i).to_pylist() for i in range(5)), strict=True)
