"""Scoring on an engine: each subject's row of facts turned into its facts
(``evaluation.facts.facts_of``) and scored by the model (``evaluation.scoring.Compiled``)
— the very code of a database run, so the three engines cannot disagree. Batches of Arrow
rows in, batches of results out: DuckDB's result stream in this process, Spark's
``mapInArrow`` on each executor, where this module is imported without the application's
settings (only the evaluation's pure modules are needed there).

Subjects with the same counts share one computation (the model's memo, one per process):
a partition of a million subjects scores a few thousand distinct files."""

import datetime
from collections.abc import Iterator

import orjson
import pyarrow as pa

RESULTS = pa.schema([("subject_id", pa.int64()), ("score", pa.int64()), ("grade", pa.string()),
                     ("points", pa.string()), ("facts", pa.string())])  # fmt: skip
RESULTS_DDL = "subject_id long, score long, grade string, points string, facts string"

_COMPILED: dict[bytes, object] = {}  # per process: the memo lives as long as the worker


def _ready() -> None:
    """On a Spark executor: the settings the evaluation's modules need to be imported (the
    indicators' texts, untranslated: a run's reasons are never translated while scoring)."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)
        import django

        django.setup()


def _compiled(definition: dict):
    from xinyong.evaluation.scoring import Compiled

    key = orjson.dumps(definition, option=orjson.OPT_SORT_KEYS)
    if key not in _COMPILED:
        _COMPILED[key] = Compiled(definition)
    return _COMPILED[key]


def score_batches(batches: Iterator[pa.RecordBatch], *, definition: dict,
                  as_of: datetime.date, names: list[str]) -> Iterator[pa.RecordBatch]:  # fmt: skip
    """Results (``RESULTS``) of the facts rows in ``batches``: (id, established on, status,
    then ``names`` — the columns of ``facts._columns()``)."""
    _ready()
    from xinyong.evaluation.facts import facts_of

    compiled, dumps = _compiled(definition), orjson.dumps
    for batch in batches:
        ids, scores, grades, points, facts = [], [], [], [], []
        columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        for row in zip(*columns, strict=True):
            f = facts_of(row, names, as_of)
            s = compiled.score(f)
            ids.append(row[0])
            scores.append(s.score)
            grades.append(s.grade)
            points.append(dumps(s.points).decode())
            facts.append(dumps(f).decode())
        yield pa.record_batch([ids, scores, grades, points, facts], schema=RESULTS)
