"""Batch work, as the operator starts it: an export of the data to Parquet (audited: the
whole credit file leaves the database), and a full evaluation run on DuckDB or Spark
written back as the evaluation's own run."""

import datetime
import shutil
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import ValidationFailed
from xinyong.engines import export as exporting
from xinyong.engines.connect import Engine, EngineUnavailable, connect, tables
from xinyong.engines.evaluation import BatchRefused, EngineBatch, export_check
from xinyong.evaluation import services as evaluation
from xinyong.evaluation.choices import RunKind
from xinyong.evaluation.engine import run_execute
from xinyong.evaluation.models import EvaluationRun


def parquet_export(*, actor: Actor, dest: Path) -> exporting.Manifest:
    """Export the tables batch jobs read into ``dest`` (see ``export.py``)."""
    access.require(actor, Action.ADMINISTER)
    manifest = exporting.export(dest)
    with transaction.atomic():  # the export's own transaction is read-only
        audit_event_append(
            actor=actor, action=AuditAction.ENGINES_EXPORT, object_type="parquet_export",
            object_id=manifest.path.name[:64], detail={"path": str(manifest.path),
            "rows": manifest.rows, "data_time": manifest.data_time.isoformat()},
        )  # fmt: skip
    return manifest


def _engine(value: str) -> Engine:
    try:
        return Engine(value)
    except ValueError:
        raise ValidationFailed.one(
            "engine", "enum", gettext("引擎应为 %(engines)s") % {"engines": "、".join(Engine)}
        ) from None


def evaluation_batch_run(
    *,
    actor: Actor,
    engine: str,
    data: Path | None = None,
    as_of: datetime.date | None = None,
    master: str | None = None,
    conf: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvaluationRun:
    """A full evaluation run computed on ``engine`` from the export at ``data`` (None: an
    export made now, into a directory removed after the run). Refused, with nothing
    written, for an unknown engine, a directory that is not an export of this database or
    is older than the grades in force, or an engine that cannot start."""  # fmt: skip
    access.require(actor, Action.ADMINISTER)
    engine = _engine(engine)
    made = exporting.default_dir() if data is None else None
    try:
        try:
            if made is not None:
                manifest = parquet_export(actor=actor, dest=made)
            else:
                manifest = exporting.manifest_read(data)
            export_check(manifest)
            source = tables(connect(engine, master=master, conf=conf), engine, manifest.path)
        except exporting.ExportError as e:
            raise ValidationFailed.one("data", "engines.export", str(e)) from None
        except BatchRefused as e:
            raise ValidationFailed.one("data", "engines.stale", str(e)) from None
        except EngineUnavailable as e:
            raise ValidationFailed.one("engine", "engines.unavailable", str(e)) from None
        run = evaluation.run_request(actor=actor, kind=RunKind.FULL, as_of=as_of, enqueue=False)
        return run_execute(run.pk, progress, batch=EngineBatch(source, manifest))
    finally:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
