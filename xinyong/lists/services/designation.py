"""Writes of credit lists: the designation procedure as an enforced state machine.

立案 (open) → 事先告知 (notify) → 陈述申辩 (hear) → 认定决定 (decide) → 公示 (publish) →
移出 (remove); a case may be closed without designation (drop) before the decision. Lists
without prior notice (honor list, lists a department keeps under its own statute) go from
open straight to decide. Each step checks the acting department (the designating one) and
role (clerks prepare, reviewers decide), refuses a step out of order, and writes the entry,
its procedure event and one audit event in one transaction — durable, so that no other
service can fold it into its own (it would then be one act with two audit events). What
other services compose (an objection's decision, a repair's approval) are the steps of
:mod:`.steps`, which write no audit event of their own."""

import datetime

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import Role
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import workdays
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from xinyong.lists import documents, feedlog, printing
from xinyong.lists.choices import (
    BasisKind,
    EntryAction,
    EntryStatus,
    ListEffect,
    NationalCategory,
    NoticeKind,
    RemovalReason,
)
from xinyong.lists.models import ListEntry, ListEntryEvent, ListEntryPerson, ListType
from xinyong.lists.procedure import (
    STEPS,
    marks_objections,
    may_open_case,
    next_step,
    sources_of,
)
from xinyong.lists.services.statement import answer_errors
from xinyong.records.choices import RecordStatus
from xinyong.records.models import Record
from xinyong.subjects.choices import RelatedRole
from xinyong.subjects.models import RelatedPerson, Subject

S = EntryStatus
RESPONSIBLE = (RelatedRole.LEGAL_REPRESENTATIVE, RelatedRole.PRINCIPAL,
               RelatedRole.ACTUAL_CONTROLLER, RelatedRole.OPERATOR)  # fmt: skip


def _role_names(roles) -> str:
    return "或".join(str(Role(r).label) for r in roles)


def _event(entry, action, before, actor, now, note="", deadline=None, audit=None, **detail):
    event = ListEntryEvent.objects.create(
        entry=entry, action=action, from_status=before, to_status=entry.status,
        actor=actor.label, at=now, deadline=deadline, note=note,
    )  # fmt: skip
    feedlog.log([event], now)
    audit_event_append(
        actor=actor,
        action=audit,
        object_type="list_entry",
        object_id=entry.pk,
        detail={"list": entry.list_type.code, "subject": entry.subject_id, "from": before,
                "to": entry.status, "deadline": deadline and deadline.isoformat(),
                "note": note, **detail},
        subjects=[entry.subject_id],  # the entry's subject (read-your-writes: core.replicas)
    )  # fmt: skip


def _locked(actor: Actor, entry_id: int, action: str) -> ListEntry:
    """The entry, locked, once the actor may take ``action`` on it now."""
    entry = (
        ListEntry.objects.select_for_update()
        .select_related("list_type", "department", "subject")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound(gettext("没有名单条目 %(id)s") % {"id": entry_id})
    if not actor.is_system and entry.department_id != actor.department_id:
        if entry.status in (S.PUBLISHED, S.REMOVED) or actor.writes_all_departments:
            raise PermissionDenied(
                gettext("只有认定部门（%(department)s）可以办理该名单条目")
                % {"department": entry.department.name}
            )
        raise NotFound(
            gettext("没有名单条目 %(id)s") % {"id": entry_id}
        )  # another department's case stays unseen
    step = STEPS[action]
    if not actor.is_system and actor.role not in step.roles:
        raise PermissionDenied(
            gettext("“%(step)s”须由%(roles)s办理")
            % {"step": EntryAction(action).label, "roles": _role_names(step.roles)}
        )
    if entry.status not in sources_of(action, entry.list_type):
        expected = next_step(entry)
        hint = gettext("，下一步应为“%(step)s”") % {"step": expected} if expected else ""
        raise ValidationFailed.one(
            "status",
            "entry.step_order",
            gettext("条目当前为“%(status)s”，不能“%(step)s”%(hint)s；认定程序的环节不能跳过")
            % {"status": S(entry.status).label, "step": EntryAction(action).label, "hint": hint},
        )
    return entry


def _advance(entry: ListEntry, action: str, actor: Actor, *, now, deadline=None, note="",
             **detail) -> ListEntry:  # fmt: skip
    before = entry.status
    entry.status = STEPS[action].target
    entry.deadline = deadline
    entry.save()
    _event(entry, action, before, actor, now, note, deadline, STEPS[action].audit, **detail)
    return entry


# -- open -------------------------------------------------------------------------------
def entry_open(
    *,
    actor: Actor,
    list_code: str,
    subject_id: int,
    grounds: str,
    legal_basis: str,
    basis_kind: str = "",
    basis_document: str = "",
    basis_record_ids: list[int] = (),
    national_category: str = "",
    act_date: datetime.date | None = None,
) -> ListEntry:
    """Open a case to designate a subject. Refused, writing nothing: a department outside
    the list's designating departments, a role other than a clerk's, a case without
    grounds or legal basis, a negative list without its basis (records of the subject, or
    the number of the judgment or decision), a serious-dishonesty case without one of the
    four national categories, and a subject already on the list or with a case open."""
    if not may_open_case(actor):
        raise PermissionDenied(gettext("立案须由部门经办人办理"))
    lt = ListType.objects.filter(code=list_code, active=True).first()
    if lt is None:
        raise NotFound(gettext("没有启用的名单类型“%(list)s”") % {"list": list_code})
    department = Department.objects.get(pk=actor.department_id)
    if not lt.designated_by(department.code):
        raise PermissionDenied(
            gettext("%(department)s不是“%(list)s”的认定部门")
            % {"department": department.name, "list": lt.name}
        )
    subject = Subject.objects.filter(pk=subject_id).first()
    if subject is None:
        raise NotFound(gettext("没有信用主体 %(id)s") % {"id": subject_id})
    errors = []
    grounds, legal_basis = (grounds or "").strip(), (legal_basis or "").strip()
    basis_document = (basis_document or "").strip()
    if not grounds:
        errors.append(FieldError("grounds", "required", gettext("认定事由必填")))
    if not legal_basis:
        errors.append(
            FieldError(
                "legal_basis", "required", gettext("认定依据必填：没有法律、法规或政策依据不得认定")
            )
        )
    if lt.requires_category and national_category not in NationalCategory.values:
        errors.append(FieldError(
            "national_category", "required",
            gettext("“%(list)s”须注明属于哪一类严重失信情形（%(categories)s）")
            % {"list": lt.name, "categories": "、".join(map(str, NationalCategory.labels))},
        ))  # fmt: skip
    elif national_category and national_category not in NationalCategory.values:
        errors.append(FieldError("national_category", "enum", gettext("严重失信类别无效")))
    if basis_kind and basis_kind not in BasisKind.values:
        errors.append(
            FieldError(
                "basis_kind", "enum", gettext("认定依据类型无效：%(kind)s") % {"kind": basis_kind}
            )
        )
    records = _basis_records(subject, department, basis_record_ids, basis_kind, errors)
    if lt.effect == ListEffect.NEGATIVE:
        if not basis_kind:
            errors.append(FieldError(
                "basis_kind", "required",
                gettext("失信类名单须写明认定依据类型（生效司法裁判、行政处罚决定、行政强制执行决定）"),
            ))  # fmt: skip
        if not records and not basis_document:
            errors.append(FieldError(
                "basis_records", "required",
                gettext("失信类名单须有认定依据：选择该主体的处罚、裁判等记录，或填写依据文书号"),
            ))  # fmt: skip
    today = timezone.localdate()
    dated = [r.decision_date for r in records if r.decision_date]
    act = act_date or (max(dated) if dated else today)
    if act > today:
        errors.append(FieldError("act_date", "date.future", gettext("行为日期不能晚于今天")))
    if errors:
        raise ValidationFailed(errors)
    now = timezone.now()
    try:
        with transaction.atomic(durable=True):
            entry = ListEntry.objects.create(
                list_type=lt, subject=subject, department=department, status=S.OPENED,
                national_category=national_category, basis_kind=basis_kind,
                basis_document=basis_document, grounds=grounds, legal_basis=legal_basis,
                measures_text=_measures_text(lt), removal_conditions=lt.removal_conditions,
                remedies=_remedies(lt, department), act_date=act, opened_by=actor.label,
                opened_at=now,
            )  # fmt: skip
            entry.basis_records.set(records)
            _responsible_persons(entry, subject, act)
            _event(entry, EntryAction.OPEN, "", actor, now, audit=AuditAction.LIST_ENTRY_OPEN,
                   records=[r.pk for r in records])  # fmt: skip
    except IntegrityError:
        raise ValidationFailed.one(
            "subject",
            "entry.duplicate",
            gettext("%(subject)s已在“%(list)s”中或已有在办案件")
            % {"subject": subject.name, "list": lt.name},
        ) from None
    return entry


def _basis_records(subject, department, ids, basis_kind, errors) -> list[Record]:
    """Records cited as basis: the subject's own, in force; a penalty or enforcement
    decision must be the designating department's own (its remit)."""
    ids = list(dict.fromkeys(int(i) for i in ids or ()))
    found = {r.pk: r for r in Record.objects.filter(pk__in=ids)}
    out = []
    for i in ids:
        r = found.get(i)
        if r is None or r.subject_id != subject.pk:
            errors.append(
                FieldError(
                    "basis_records",
                    "record.not_found",
                    gettext("记录 %(id)s 不是该主体的信用记录") % {"id": i},
                )
            )
        elif r.status != RecordStatus.ACTIVE:
            errors.append(
                FieldError(
                    "basis_records",
                    "record.not_active",
                    gettext("记录 %(id)s 已撤销或已过保存期") % {"id": i},
                )
            )
        elif basis_kind in (BasisKind.PENALTY, BasisKind.ENFORCEMENT) and (
            r.provider_id != department.pk
        ):
            message = gettext(
                "记录 %(id)s 不是本部门作出的决定：只能依据本部门的处罚或强制执行决定认定"
            ) % {"id": i}
            errors.append(FieldError("basis_records", "record.remit", message))
        else:
            out.append(r)
    return out


def _measures_text(lt: ListType) -> str:
    from xinyong.sanctions.selectors import measures_for_list

    return "；".join(f"{m.name}（{m.legal_basis}）" for m in measures_for_list(lt.code))


def _remedies(lt: ListType, department: Department) -> str:
    text = (
        "对认定决定不服的，可以依法申请行政复议或者提起行政诉讼；"
        "对信息有异议的，可以向平台提出异议。"
    )
    if lt.prior_notice:
        text = (f"可在收到事先告知书之日起{lt.statement_workdays}个工作日内向{department.name}"
                f"陈述申辩；{text}")  # fmt: skip
    return text


def _responsible_persons(entry: ListEntry, subject: Subject, act: datetime.date) -> None:
    """Who was responsible for the organisation when it acted: kept on the entry."""
    rows = RelatedPerson.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=act),
        organization=subject,
        role__in=RESPONSIBLE,
        valid_from__lte=act,
    ).values_list("person_id", "role")
    ListEntryPerson.objects.bulk_create(
        [ListEntryPerson(entry=entry, person_id=p, role=role) for p, role in set(rows)]
    )


# -- the steps --------------------------------------------------------------------------
def entry_notify(*, actor: Actor, entry_id: int, notice_no: str) -> ListEntry:
    """Issue the prior notice: grounds, basis, intended measures, removal conditions and
    remedies; the statement period runs from today in working days."""
    notice_no = (notice_no or "").strip()
    if not notice_no:
        raise ValidationFailed.one("notice_no", "required", gettext("告知书文号必填"))
    today = timezone.localdate()
    with transaction.atomic(durable=True):
        entry = _locked(actor, entry_id, EntryAction.NOTIFY)
        try:
            due = workdays.add_workdays(today, entry.list_type.statement_workdays)
        except workdays.CalendarNotCovered as e:
            raise ValidationFailed.one("statement_due", "calendar.not_covered", str(e)) from None
        now = timezone.now()
        entry.notice_no, entry.notified_at, entry.statement_due = notice_no, now, due
        _advance(entry, EntryAction.NOTIFY, actor, now=now, deadline=due, note=notice_no)
        documents.notice_issue(entry, NoticeKind.PRIOR_NOTICE, number=notice_no,
                               term=_intended_term(entry.list_type))  # fmt: skip
    return entry


def _intended_term(lt: ListType) -> str:
    if lt.default_term_months:
        return f"{lt.default_term_months}个月（自认定之日起）"
    return "终身" if lt.permanent_allowed else "至移出之日"


def entry_hear(*, actor: Actor, entry_id: int, statement: str = "") -> ListEntry:
    """Record the subject's statement and defence (the clerk's record, else what it filed
    online) — or, once the period has ended without one, that none was made."""
    statement = (statement or "").strip()
    with transaction.atomic(durable=True):
        entry = _locked(actor, entry_id, EntryAction.HEAR)
        if not statement:  # what the subject filed online stands as its statement
            statement = "\n".join(entry.statements.values_list("text", flat=True))
        today = timezone.localdate()
        if not statement and entry.statement_due and today <= entry.statement_due:
            raise ValidationFailed.one(
                "statement", "entry.statement_period",
                gettext("陈述申辩期至%(due)s：期内未收到意见的，期满后方可记录“未陈述申辩”")
                % {"due": f"{entry.statement_due:%Y-%m-%d}"},
            )  # fmt: skip
        now = timezone.now()
        entry.statement, entry.statement_at = statement, now
        _advance(entry, EntryAction.HEAR, actor, now=now,
                 note=statement[:200] if statement else "期满未陈述申辩")  # fmt: skip
    return entry


def entry_decide(
    *,
    actor: Actor,
    entry_id: int,
    decision_no: str,
    decided_on: datetime.date | None = None,
    term_months: int | None = None,
    permanent: bool = False,
    statement_adoption: str = "",
    statement_reply: str = "",
) -> ListEntry:
    """Issue the decision with its term (Civil Code counting from the decision date; at
    most the list's maximum; for life only where the list allows it), answering the
    statement if one was made. A public institution or state-owned enterprise also gets a
    notice to its superior body and the auditors."""
    decision_no = (decision_no or "").strip()
    statement_reply = (statement_reply or "").strip()
    today = timezone.localdate()
    decided_on = decided_on or today
    with transaction.atomic(durable=True):
        entry = _locked(actor, entry_id, EntryAction.DECIDE)
        lt = entry.list_type
        errors = []
        if not decision_no:
            errors.append(FieldError("decision_no", "required", gettext("认定决定书文号必填")))
        errors += answer_errors(entry, statement_adoption, statement_reply)
        if decided_on > today:
            errors.append(FieldError("decided_on", "date.future", gettext("认定日期不能晚于今天")))
        elif decided_on < entry.act_date:
            errors.append(
                FieldError("decided_on", "date.order", gettext("认定日期不能早于行为日期"))
            )
        months = None
        if permanent:
            if not lt.permanent_allowed:
                errors.append(
                    FieldError(
                        "permanent",
                        "term.permanent",
                        gettext("“%(list)s”不能终身") % {"list": lt.name},
                    )
                )
        else:
            months = term_months or lt.default_term_months or lt.max_term_months
            if not months or months < 1:
                errors.append(FieldError("term_months", "required", gettext("请写明期限（月）")))
            elif lt.max_term_months and months > lt.max_term_months:
                message = gettext("“%(list)s”期限最长%(n)s个月") % {
                    "list": lt.name, "n": lt.max_term_months,
                }  # fmt: skip
                errors.append(FieldError("term_months", "term.max", message))
        if errors:
            raise ValidationFailed(errors)
        now = timezone.now()
        entry.decision_no, entry.decided_on, entry.permanent = decision_no, decided_on, permanent
        if entry.statement:
            entry.statement_adoption, entry.statement_reply = statement_adoption, statement_reply
        entry.term_end = decided_on + relativedelta(months=months) if months else None
        if entry.term_end is not None and entry.term_end < today:
            raise ValidationFailed.one(
                "term_months", "term.ended", gettext("按该期限，名单已经届满，无需认定")
            )
        _advance(entry, EntryAction.DECIDE, actor, now=now, note=decision_no)
        term = documents.term_text(entry)
        documents.notice_issue(entry, NoticeKind.DECISION, number=decision_no, term=term,
                               extra={"answer": printing.statement_answer(entry),
                                      "remedies": printing.decision_remedies(entry)})  # fmt: skip
        if lt.effect == ListEffect.NEGATIVE and documents.is_public_body(entry.subject):
            notice = documents.notice_issue(
                entry, NoticeKind.SUPERIOR, number=decision_no, term=term,
                addressee=f"{entry.subject.name}的上级主管单位、审计部门",
                persons=list(entry.persons.select_related("person")),
            )  # fmt: skip
            # Each addressee's receipt, followed until acknowledged (xinyong.bodies builds on
            # lists: imported here, when a decision needs it).
            from xinyong.bodies.services import receipts_for_entry_notice

            receipts_for_entry_notice(notice)
    return entry


def entry_publish(*, actor: Actor, entry_id: int) -> ListEntry:
    """The entry takes effect: the credit check hits it, and the portal shows it when the
    list is public."""
    with transaction.atomic(durable=True):
        entry = _locked(actor, entry_id, EntryAction.PUBLISH)
        now = timezone.now()
        entry.published_at = now
        return _advance(entry, EntryAction.PUBLISH, actor, now=now)


def entry_remove(*, actor: Actor, entry_id: int, reason: str, note: str = "") -> ListEntry:
    """Take an entry off its list; its effects end in the very next check."""
    note = (note or "").strip()
    if reason not in RemovalReason.values:
        raise ValidationFailed.one(
            "reason",
            "enum",
            gettext("移出原因应为：%(reasons)s")
            % {"reasons": "、".join(map(str, RemovalReason.labels))},
        )
    if reason in (RemovalReason.REVOKED, RemovalReason.OVERTURNED) and not note:
        raise ValidationFailed.one(
            "note", "required", gettext("撤销移出须写明理由或复议、诉讼文书号")
        )
    with transaction.atomic(durable=True):
        entry = _locked(actor, entry_id, EntryAction.REMOVE)
        now = timezone.now()
        entry.removed_at, entry.removal_reason, entry.removal_note = now, reason, note
        entry.under_objection = False
        return _advance(entry, EntryAction.REMOVE, actor, now=now, note=note, reason=reason)


def entry_drop(*, actor: Actor, entry_id: int, note: str) -> ListEntry:
    """Close the case without designation (e.g. the statement was accepted)."""
    note = (note or "").strip()
    if not note:
        raise ValidationFailed.one("note", "required", gettext("不予认定须写明理由"))
    with transaction.atomic(durable=True):
        entry = _locked(actor, entry_id, EntryAction.DROP)
        return _advance(entry, EntryAction.DROP, actor, now=timezone.now(), note=note)


def entry_objection_set(*, actor: Actor, entry_id: int, under: bool, note: str = "") -> ListEntry:
    """Mark (or clear) an objection on an entry in force: while marked, its measures are
    suspended and the credit check says so. The designating department or the platform
    operator (who receives objections) may."""
    with transaction.atomic(durable=True):
        entry = (
            ListEntry.objects.select_for_update().select_related("list_type")
            .filter(pk=entry_id).first()
        )  # fmt: skip
        if entry is None:
            raise NotFound(gettext("没有名单条目 %(id)s") % {"id": entry_id})
        if not marks_objections(actor, entry):
            raise PermissionDenied(gettext("只有认定部门或平台运营人员可以标记异议"))
        if not entry.is_in_force():
            raise ValidationFailed.one(
                "status", "entry.not_in_force", gettext("只能对已公示且在有效期内的条目标记异议")
            )
        if not under and _objection_holds(entry):
            raise ValidationFailed.one(
                "under", "entry.objection_open",
                gettext("该条目（或其依据的信用记录）的异议正在办理中：由提供部门办结异议后自动解除"),
            )  # fmt: skip
        entry.under_objection = under
        entry.save(update_fields=["under_objection", "updated_at"])
        _event(entry, EntryAction.OBJECTION, entry.status, actor, timezone.now(),
               note or ("异议中，措施中止" if under else "异议已处理"),
               audit=AuditAction.LIST_ENTRY_OBJECTION, under=under)  # fmt: skip
    return entry


def _objection_holds(entry: ListEntry) -> bool:
    """A marked or forwarded objection on the entry or a record it rests on: its
    suspension ends with the objection's decision, not by hand. (The objection procedure
    lives in remedies, which builds on lists: reached through the app registry.)"""
    Objection = apps.get_model("remedies", "Objection")
    suspending = Objection.objects.filter(status__in=("marked", "forwarded"))
    return (
        suspending.filter(entry_id=entry.pk).exists()
        or suspending.filter(record__in=entry.basis_records.all()).exists()
    )
