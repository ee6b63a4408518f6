"""Writes of credit repair (信用修复): eligibility by the rules, the application with its
materials, the responsible department's decision and its effects."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.disclosure.choices import PenaltyClass
from xinyong.disclosure.models import Publication, PublicityRule
from xinyong.disclosure.sweep import publications_end
from xinyong.exchange.choices import Feed
from xinyong.exchange.log import changes_append
from xinyong.lists.choices import RemovalReason
from xinyong.lists.models import ListEntry
from xinyong.lists.services import entries_take_off
from xinyong.records.models import Record
from xinyong.records.signals import records_repaired
from xinyong.remedies import rules
from xinyong.remedies.choices import (
    BindingStatus,
    MaterialKind,
    RepairStatus,
)
from xinyong.remedies.models import (
    RepairApplication,
    RepairMaterial,
    SubjectBinding,
)
from xinyong.remedies.services.bindings import (
    _store,
    _workdays_after,
    material_check,
    notify,
)
from xinyong.reports.selectors import report_as_material

# -- credit repair ----------------------------------------------------------------------
REPAIR_WORKDAYS = 10
CENSURE_MIN_MONTHS = 3  # when the publicity rules set no general minimum (58号令: 3 months)
REPAIRABLE_ITEMS = ("administrative_penalty", "commitment_breach", rules.CENSURE_ITEM)


def censure_min_months() -> int:
    """The minimum period before a public censure may be repaired: the publicity rules'
    minimum for a general dishonest act (:func:`rules.censure_eligibility`)."""
    general = PublicityRule.objects.filter(penalty_class=PenaltyClass.GENERAL).first()
    return (general.min_months if general else None) or CENSURE_MIN_MONTHS


def repair_targets(subject, today):
    """The subject's penalties in view and entries in effect, each with its eligibility."""
    records = list(
        Record.objects.filter(subject=subject, item_code__in=REPAIRABLE_ITEMS, status="active")
    )
    minimum = None
    if any(r.item_code == rules.CENSURE_ITEM for r in records):
        minimum = censure_min_months()
    pubs = {p.record_id: p for p in Publication.objects.filter(record__in=records)}
    entries = list(
        ListEntry.objects.in_force(today)
        .filter(subject=subject)
        .select_related("list_type", "department")
    )
    return (
        [
            (r, rules.record_eligibility(r, pubs.get(r.pk), today, censure_min_months=minimum))
            for r in records
        ],
        [(e, rules.entry_eligibility(e, today)) for e in entries],
    )


def repair_apply(*, actor: Actor, subject_id: int, record_ids=(), entry_ids=(),
                 statement: str, materials: dict, report_number: str = "",
                 report_code: str = "") -> RepairApplication:  # fmt: skip
    """Apply to repair one or several records or entries of one responsible department,
    with the commitment (always) and proof of performance (for penalties). Each target
    must be eligible by the rules; refused, writing nothing, otherwise. A credit report
    issued by this platform may be named by its number and verification code instead of
    uploading one: it must be genuine, the subject's own and within its validity."""
    binding = SubjectBinding.objects.filter(
        user_id=actor.user_id, subject_id=subject_id, status=BindingStatus.APPROVED
    ).first()
    if not actor.is_portal_account or binding is None:
        raise NotFound(gettext("没有绑定主体 %(id)s") % {"id": subject_id})
    today = timezone.localdate()
    records, entries = repair_targets(binding.subject, today)
    chosen_r = [(r, e) for r, e in records if r.pk in set(map(int, record_ids))]
    chosen_e = [(x, e) for x, e in entries if x.pk in set(map(int, entry_ids))]
    errors = []
    if len(chosen_r) != len(set(record_ids)) or len(chosen_e) != len(set(entry_ids)):
        errors.append(
            FieldError(
                "targets", "repair.target", gettext("所选信息不属于本主体或已不在公示、名单中")
            )
        )
    if not chosen_r and not chosen_e:
        errors.append(
            FieldError("targets", "required", gettext("请选择要修复的处罚信息或名单条目"))
        )
    for _item, e in chosen_r + chosen_e:
        if not e.ok:
            errors.append(FieldError("targets", "repair.not_eligible", e.reason))
    pending = RepairApplication.objects.filter(status=RepairStatus.SUBMITTED)
    if (
        pending.filter(records__in=[r.pk for r, _ in chosen_r]).exists()
        or pending.filter(entries__in=[x.pk for x, _ in chosen_e]).exists()
    ):
        errors.append(
            FieldError("targets", "repair.pending", gettext("所选信息已有办理中的修复申请"))
        )
    departments = {r.provider_id for r, _ in chosen_r} | {x.department_id for x, _ in chosen_e}
    if len(departments) > 1:
        errors.append(
            FieldError("targets", "repair.departments", gettext("涉及多个部门的，请按部门分别申请"))
        )
    statement = (statement or "").strip()
    if not statement:
        errors.append(
            FieldError("statement", "required", gettext("请说明纠正失信行为、履行义务的情况"))
        )
    needed = {MaterialKind.COMMITMENT} | (
        {MaterialKind.PERFORMANCE} if any(e.needs_performance for _, e in chosen_r) else set()
    )
    for kind in needed:
        if materials.get(kind) is None:
            message = gettext("请上传%(material)s") % {"material": MaterialKind(kind).label}
            errors.append(FieldError(f"materials.{kind}", "required", message))
    report = None
    if (report_number or "").strip() or (report_code or "").strip():
        if materials.get(MaterialKind.CREDIT_REPORT) is not None:
            message = gettext("信用报告请上传文件或填写平台报告编号，二者选一")
            errors.append(FieldError("report_number", "report.both", message))
        else:
            try:
                report = report_as_material(subject_id=binding.subject_id, number=report_number,
                                            code=report_code, today=today,
                                            field="report_number")  # fmt: skip
            except ValidationFailed as e:
                errors.extend(e.errors)
    unknown = set(materials) - set(MaterialKind.values)
    if unknown:
        errors.append(
            FieldError(
                "materials",
                "enum",
                gettext("未知材料类型：%(kinds)s") % {"kinds": "、".join(sorted(unknown))},
            )
        )
    if errors:
        raise ValidationFailed(errors)
    for kind, upload in materials.items():
        material_check(upload, f"materials.{kind}")
    due = _workdays_after(today, REPAIR_WORKDAYS)
    stored: list[Path] = []
    try:
        with transaction.atomic(durable=True):
            app = RepairApplication.objects.create(
                subject=binding.subject, binding=binding, department_id=departments.pop(),
                statement=statement, status=RepairStatus.SUBMITTED, filed_at=timezone.now(),
                decide_due=due,
            )  # fmt: skip
            app.records.set(Record.objects.filter(pk__in=[r.pk for r, _ in chosen_r]))
            app.entries.set([x for x, _ in chosen_e])
            for kind, upload in materials.items():
                path, digest = _store(upload)
                stored.append(Path(settings.XINYONG_REMEDY_DIR) / path)
                name = Path(upload.name).name[:255]
                RepairMaterial.objects.create(
                    application=app, kind=kind, path=path, name=name, sha256=digest
                )
            if report is not None:
                RepairMaterial.objects.create(
                    application=app, kind=MaterialKind.CREDIT_REPORT, path="", name=report.number,
                    sha256=report.pdf_sha256, report=report,
                    report_code=report_code.strip().upper(),
                )  # fmt: skip
            audit_event_append(
                actor=actor, action=AuditAction.REPAIR_APPLY, object_type="repair",
                object_id=app.pk, detail={"records": [r.pk for r, _ in chosen_r],
                                          "entries": [x.pk for x, _ in chosen_e],
                                          "report": report.number if report else ""},
                subjects=[app.subject_id],
            )  # fmt: skip
            notify(actor.user_id, f"信用修复申请已受理，将于{due:%Y-%m-%d}前办结",
                   f"/account/subjects/{subject_id}/")  # fmt: skip
    except BaseException:
        for p in stored:
            p.unlink(missing_ok=True)
        raise
    return app


def repair_decide(*, actor: Actor, application_id: int, approve: bool, reason: str,
                  reapply: str = "") -> RepairApplication:  # fmt: skip
    """The responsible department decides (its reviewer). Approval, at once: publicity of
    the penalties ends (the feed says so), the entries leave their lists (the next check
    no longer hits), and the repair is in the outbound repair feed. A refusal states its
    reasons and how to reapply.

    One act, one transaction, one audit event naming the publications ended and the
    entries taken off (by the same step as an objection found valid or a term ended). An
    entry whose list's minimum period has not run yet cannot be approved either."""
    reason, reapply = (reason or "").strip(), (reapply or "").strip()
    errors = []
    if not reason:
        errors.append(FieldError("reason", "required", gettext("请写明理由")))
    if not approve and not reapply:
        errors.append(FieldError("reapply", "required", gettext("不予修复的，请告知如何重新申请")))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic(durable=True):
        app = RepairApplication.objects.select_for_update().filter(pk=application_id).first()
        if app is None or app.department_id != actor.department_id:
            raise NotFound(gettext("没有本部门的修复申请 %(id)s") % {"id": application_id})
        access.require(
            actor, Action.REPAIR_DECIDE, app, message=gettext("信用修复由受理部门的审核人决定")
        )
        if app.status != RepairStatus.SUBMITTED:
            raise ValidationFailed.one("status", "repair.decided", gettext("该申请已办结"))
        now = timezone.now()
        unpublished, removed = 0, []
        if approve:
            _not_before(app, timezone.localdate(now))
            unpublished = publications_end(app.records.all(), now=now)
            records_repaired.send(
                sender=repair_decide, record_ids=list(app.records.values_list("pk", flat=True)),
                now=now, by=actor.label,
            )  # fmt: skip
            removed = entries_take_off(
                app.entries.values_list("pk", flat=True), reason=RemovalReason.REPAIRED,
                by=actor.label, now=now, note=f"信用修复（申请 #{app.pk}）：{reason}",
            )  # fmt: skip
        app.status = RepairStatus.APPROVED if approve else RepairStatus.REJECTED
        app.decided_at, app.decided_by = now, actor.label
        app.decision_reason, app.reapply = reason, reapply
        app.save()
        if approve:
            changes_append(Feed.REPAIRS, [("approve", app.pk, app.subject_id)], now)
        audit_event_append(
            actor=actor, action=AuditAction.REPAIR_DECIDE, object_type="repair",
            object_id=app.pk, detail={"status": app.status, "reason": reason,
                                      "late": timezone.localdate() > app.decide_due,
                                      "publications_ended": unpublished,
                                      "entries_removed": removed},
            subjects=[app.subject_id],  # its records and entries (core.replicas)
        )  # fmt: skip
        outcome = (
            "信用修复成功，相关公示和名单已撤下" if approve else f"不予修复：{reason}。{reapply}"
        )
        notify(app.binding.user_id, outcome, f"/account/subjects/{app.subject_id}/")
    return app


def _not_before(app: RepairApplication, today) -> None:
    """An entry's list may set a minimum time listed before repair: approval waits for it
    (as the application did), whatever the reviewer decides."""
    for entry in app.entries.select_related("list_type"):
        early = rules.entry_repairable_from(entry)
        if early and today < early:
            raise ValidationFailed.one(
                "entries", "repair.too_early", rules.entry_too_early(entry, early)
            )
