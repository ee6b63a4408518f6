"""Reads of ingestion. A department sees its own batches only; the platform operator and the
auditor see all."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.associations.limits import limits_for as association_limits
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog import selectors as catalog
from xinyong.catalog.definitions import ItemDefinition
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.figures import pct
from xinyong.core.todo import SHOWN, Todo, TodoList, late_first
from xinyong.ingest.choices import BatchStatus
from xinyong.ingest.models import Batch, BatchRow
from xinyong.ingest.pipeline import DUPLICATE_RULE
from xinyong.records.models import Record


def _visible(actor: Actor) -> QuerySet[Batch]:
    if not (actor.reads_all_departments or actor.is_department_staff or actor.is_association):
        raise PermissionDenied(_("没有查看报送批次的权限"))
    return Batch.objects.visible_to(actor).select_related("provider")


def submittable_items(*, actor: Actor) -> list[ItemDefinition]:
    """Catalog items the actor may submit records for: those its department provides; all
    of them for the platform operator (who submits on a department's behalf)."""
    items = [d for _, d in catalog.catalog_items()]
    if actor.writes_all_departments:
        return items
    dept = Department.objects.filter(pk=actor.department_id).first()
    limits = association_limits(dept) if dept is not None else None
    if limits is not None:  # an industry association: the items it is authorised for
        return [d for d in items if d.code in limits.items]
    return [d for d in items if dept is not None and d.provided_by(dept.code)]


MAX_PAGE = 200  # batches per page of the list (page and API)
MAX_ROWS_PAGE = 1_000  # row outcomes per page of a batch (page and API)
MAX_ROW_NO = 2**31 - 1


def batch_list(*, actor: Actor, item_code: str | None = None, limit: int = 50, offset: int = 0):
    """One page of the batches the actor sees, newest first: at most MAX_PAGE, each row of
    bounded size (a batch's stored reasons are capped when it ends)."""
    qs = _visible(actor).select_related("item_version").order_by("-received_at", "-id")
    if item_code:
        qs = qs.filter(item_code=item_code)
    offset = min(max(offset, 0), MAX_ROW_NO)
    return list(qs[offset : offset + min(max(limit, 1), MAX_PAGE + 1)])


def batch_get(*, actor: Actor, batch_id: int, audit: AuditAction = AuditAction.BATCH_READ) -> Batch:
    """A batch to show with its rows (page, API) or report (``BATCH_REPORT_DOWNLOAD``): its
    rows carry source ids and error messages quoting content, so the read is audited — once
    there are rows: a running batch has none yet (its page reloads every few seconds)."""
    batch = _visible(actor).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(_("没有批次 %(batch_id)s，或无权查看") % {"batch_id": batch_id})
    if batch.status in (BatchStatus.RECEIVED, BatchStatus.PROCESSING):
        return batch
    with transaction.atomic():
        audit_event_append(
            actor=actor, action=audit, object_type="batch", object_id=batch.pk,
            detail={"item": batch.item_code, "provider_id": batch.provider_id},
        )  # fmt: skip
    return batch


def batch_rows(
    *,
    batch: Batch,
    outcome: str | None = None,
    offset: int = 0,
    limit: int = 1000,
    after: int | None = None,
) -> list[BatchRow]:
    """One page of a batch's row outcomes in row order: those after row ``after`` (a
    cursor: an index probe however deep the page) or from ``offset``; at most
    MAX_ROWS_PAGE + 1 (the extra one tells whether another page follows)."""
    qs = BatchRow.objects.filter(batch_id=batch.pk).order_by("row_no")
    if outcome:
        qs = qs.filter(outcome=outcome)
    if after is not None:
        qs = qs.filter(row_no__gt=min(max(after, 0), MAX_ROW_NO))
    offset = min(max(offset, 0), MAX_ROW_NO)
    return list(qs[offset : offset + min(max(limit, 1), MAX_ROWS_PAGE + 1)])


def omitted_errors(batch: Batch) -> list[tuple[str, str, int]]:
    """Errors of the rejected rows stored without details (beyond the batch's cap), by
    field and rule, most frequent first."""
    omitted = (batch.stats or {}).get("omitted") or {}
    pairs = ((*k.split("|", 1), n) for k, n in (omitted.get("errors") or {}).items())
    return sorted(pairs, key=lambda e: (-e[2], e[0], e[1]))


def batch_report_lines(*, batch: Batch):
    """The per-row report as rows (header first), streamed from the database in pages; made
    into a formula-safe CSV by :func:`xinyong.core.exports.csv_lines`."""
    yield ["行号", "来源记录编号", "结果", "记录ID", "字段", "规则", "说明"]
    labels = dict(BatchRow._meta.get_field("outcome").choices)
    last = 0
    while True:
        page = list(
            BatchRow.objects.filter(batch_id=batch.pk, row_no__gt=last).order_by("row_no")[:5000]
        )
        if not page:
            break
        for r in page:
            errors = r.errors or [{}]
            for e in errors:
                yield [
                    r.row_no,
                    r.source_id,
                    str(labels.get(r.outcome, r.outcome)),
                    r.record_id or "",
                    e.get("field", ""),
                    e.get("rule", ""),
                    e.get("message", ""),
                ]
        last = page[-1].row_no
    omitted = omitted_errors(batch)
    if omitted:
        rows = (batch.stats or {}).get("omitted", {}).get("rows", 0)
        yield ["", "", f"另有 {rows} 行拒收未逐行列出错误明细（按字段和规则计数）", "", "", "", ""]
        for field, rule, n in omitted:
            yield ["", "", "拒收", "", field, rule, f"× {n}"]


# Rules that mean the subject's code was missing, malformed or matched nothing (code defects).
CODE_RULE_PREFIXES = ("uscc.", "resident_id.", "passport.", "id_number.", "subject.")


@dataclass
class ItemQuality:
    code: str
    name: str
    batches: int
    rows: int
    accepted: int
    rejected: int
    within_batch_duplicates: int
    resubmitted: int
    code_defects: int
    completeness: float | None  # share of optional fields filled, over checked rows
    validity: float | None  # share of rows accepted


@dataclass
class QualityReport:
    provider: Department
    providers: list[Department] | None  # for the operator: whose report to open
    items: list[ItemQuality]
    item: ItemDefinition | None
    fields: list[tuple[str, str, bool, int, int]]  # code, name, required, filled, checked
    errors: list[tuple[str, str, str, int]]  # field code, field name, rule, count
    timeliness: dict


def provider_quality(
    *, actor: Actor, provider_code: str | None = None, item_code: str | None = None
) -> QualityReport:
    """Data quality of one department's submissions (质量评估): per item, completeness,
    validity, duplicates and code defects from its batches' statistics; timeliness from its
    records (decision date → received). A department sees its own; the operator and the
    auditor any department's."""
    sees_all = actor.reads_all_departments
    if sees_all and provider_code:
        provider = Department.objects.filter(code=provider_code).first()
    elif actor.department_id is not None:
        provider = Department.objects.filter(pk=actor.department_id).first()
    else:
        provider = Department.objects.order_by("code").first() if sees_all else None
    if provider is None:
        raise PermissionDenied(_("没有可查看的部门"))
    done = Batch.objects.filter(provider=provider, status=BatchStatus.DONE)
    per_item: dict[str, list[Batch]] = {}
    for b in done.only("item_code", "total", "created", "updated", "unchanged", "withdrawn",
                       "rejected", "stats"):  # fmt: skip
        per_item.setdefault(b.item_code, []).append(b)
    definitions = {d.code: d for _, d in catalog.catalog_items(active_only=False)}
    items, filled_all, errors_all, checked_all = [], {}, {}, {}
    for code, batches in sorted(per_item.items()):
        d = definitions.get(code)
        filled: dict[str, int] = {}
        errors: dict[str, int] = {}
        checked = 0
        for b in batches:
            s = b.stats or {}
            checked += s.get("checked", 0)
            for k, n in s.get("filled", {}).items():
                filled[k] = filled.get(k, 0) + n
            for k, n in s.get("errors", {}).items():
                errors[k] = errors.get(k, 0) + n
        filled_all[code], errors_all[code], checked_all[code] = filled, errors, checked
        optional = [f.code for f in d.fields if not f.required] if d else []
        rows = sum(b.total for b in batches)
        accepted = sum(b.created + b.updated + b.unchanged + b.withdrawn for b in batches)
        items.append(
            ItemQuality(
                code=code,
                name=d.name if d else code,
                batches=len(batches),
                rows=rows,
                accepted=accepted,
                rejected=sum(b.rejected for b in batches),
                within_batch_duplicates=sum(
                    n for k, n in errors.items() if k.endswith("|" + DUPLICATE_RULE)
                ),
                resubmitted=sum(b.unchanged for b in batches),
                code_defects=sum(
                    n
                    for k, n in errors.items()
                    if k.split("|", 1)[1].startswith(CODE_RULE_PREFIXES)
                ),
                completeness=pct(sum(filled.get(f, 0) for f in optional), checked * len(optional)),
                validity=pct(accepted, rows),
            )
        )
    item = definitions.get(item_code) if item_code in per_item else None
    fields, errors = [], []
    if item is not None:
        fields = [
            (
                f.code,
                f.name,
                f.required,
                filled_all[item.code].get(f.code, 0),
                checked_all[item.code],
            )
            for f in item.all_fields
        ]
        names = {f.code: f.name for f in item.all_fields} | {"source_id": _("来源记录编号")}
        errors = sorted(
            (
                (field, names.get(field, field), rule, n)
                for field, rule, n in (
                    (*k.split("|", 1), n) for k, n in errors_all[item.code].items()
                )
            ),
            key=lambda e: -e[3],
        )
    return QualityReport(
        provider=provider,
        providers=list(Department.objects.order_by("code")) if sees_all else None,
        items=items,
        item=item,
        fields=fields,
        errors=errors,
        timeliness=_timeliness(provider, item.code if item else None),
    )


def _timeliness(provider: Department, item_code: str | None) -> dict:
    """Days from decision to receipt, over the provider's active records with a decision
    date (calendar days; the working-day publication deadline is the dual-publicity
    column's)."""
    qs = Record.objects.filter(provider_id=provider.pk, decision_date__isnull=False)
    if item_code:
        qs = qs.filter(item_code=item_code)
    received = TruncDate("received_at")
    agg = qs.aggregate(
        n=Count("id"),
        within_7=Count("id", filter=Q(decision_date__gte=received - datetime.timedelta(days=7))),
        within_30=Count("id", filter=Q(decision_date__gte=received - datetime.timedelta(days=30))),
        lag=Avg(ExpressionWrapper(received - F("decision_date"), output_field=DurationField())),
    )
    lag = agg["lag"]
    return {
        "records": agg["n"],
        "within_7": agg["within_7"],
        "within_7_pct": pct(agg["within_7"], agg["n"]),
        "within_30_pct": pct(agg["within_30"], agg["n"]),
        "average_days": round(lag.total_seconds() / 86400, 1) if lag is not None else None,
    }


REJECTED_SHOWN_DAYS = 30  # a whole-batch rejection stays on the to-do list this long


def batches_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """Batches waiting for their department: failed ones to process again, and ones
    rejected as a whole (lately) to correct and submit anew — those the reader may act on
    (the access layer's :func:`acting_q`), oldest failure first. No rule sets a deadline."""
    since = timezone.now() - datetime.timedelta(days=REJECTED_SHOWN_DAYS)
    qs = Batch.objects.filter(access.acting_q(actor, Action.BATCH_RETRY)).filter(
        Q(status=BatchStatus.FAILED) | Q(status=BatchStatus.REJECTED, received_at__gte=since)
    )
    names = catalog.item_names()
    steps = {BatchStatus.FAILED: _("重新处理失败的批次"), BatchStatus.REJECTED: _("修正后重新报送")}
    items = [
        Todo(
            step=str(steps[b.status]),
            subject=names.get(b.item_code, ""),
            about=b.file_name or _("批次 %(n)s") % {"n": b.pk},
            url=reverse("backoffice:batch", args=[b.pk]),
            since=timezone.localtime(b.received_at).date(),
        )
        for b in qs.order_by("received_at", "pk")[:SHOWN]
    ]
    return TodoList("batches", _("报送批次待处理"), reverse("backoffice:batches"), qs.count(),
                    late_first(items))  # fmt: skip
