"""Reads of ingestion. A department sees its own batches only; the platform operator and the
auditor see all."""

from django.db.models import QuerySet

from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import Role
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.ingest.models import Batch, BatchRow


def _visible(actor: Actor) -> QuerySet[Batch]:
    qs = Batch.objects.select_related("provider")
    if actor.sees_all_departments or actor.role == Role.AUDITOR:
        return qs
    if actor.department_id is None:
        raise PermissionDenied("没有查看报送批次的权限")
    return qs.filter(provider_id=actor.department_id)


def batch_list(*, actor: Actor, item_code: str | None = None, limit: int = 50, offset: int = 0):
    qs = _visible(actor).order_by("-received_at", "-id")
    if item_code:
        qs = qs.filter(item_code=item_code)
    return list(qs[offset : offset + limit])


def batch_get(*, actor: Actor, batch_id: int) -> Batch:
    batch = _visible(actor).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(f"没有批次 {batch_id}，或无权查看")
    return batch


def batch_rows(
    *, batch: Batch, outcome: str | None = None, offset: int = 0, limit: int = 1000
) -> list[BatchRow]:
    qs = BatchRow.objects.filter(batch_id=batch.pk).order_by("row_no")
    if outcome:
        qs = qs.filter(outcome=outcome)
    return list(qs[offset : offset + limit])


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A cell for an exported CSV that no spreadsheet will run as a formula (OWASP: prefix
    ``'``)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def batch_report_lines(*, batch: Batch):
    """The per-row report as CSV rows (header first), formula-safe, streamed from the
    database in pages."""
    yield ["行号", "来源记录编号", "结果", "记录ID", "字段", "规则", "说明"]
    labels = dict(BatchRow._meta.get_field("outcome").choices)
    last = 0
    while True:
        page = list(
            BatchRow.objects.filter(batch_id=batch.pk, row_no__gt=last).order_by("row_no")[:5000]
        )
        if not page:
            return
        for r in page:
            errors = r.errors or [{}]
            for e in errors:
                yield [
                    spreadsheet_safe(x)
                    for x in (
                        r.row_no,
                        r.source_id,
                        str(labels.get(r.outcome, r.outcome)),
                        r.record_id or "",
                        e.get("field", ""),
                        e.get("rule", ""),
                        e.get("message", ""),
                    )
                ]
        last = page[-1].row_no
