"""Writes of joint incentives and sanctions: the credit check (each one logged with what it
returned) and the checking department's feedback on each measure.

The check's log row is its audit record: who checked whom, in which matter, and what the
counter was told. It is not also appended to the hash-chained audit trail, whose single
chain would serialise every counter of the city behind one lock; feedback, which changes
what the statistics say, is."""

import datetime
import time

import orjson
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import ApiScope
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.commitments.selectors import commitment_verdict
from xinyong.core import crypto, replicas
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from xinyong.core.prepared import fetch
from xinyong.evaluation.selectors import check_grade
from xinyong.lists.choices import ListEffect
from xinyong.sanctions import selectors
from xinyong.sanctions.choices import CheckStatus, MeasureKind
from xinyong.sanctions.models import CheckFeedback, CreditCheck, Measure
from xinyong.subjects.choices import IdType, SubjectKind
from xinyong.subjects.selectors import person_find
from xinyong.subjects.services import check_person_id, check_uscc

MESSAGES = {
    CheckStatus.HIT: "该主体有生效的名单条目，请按所列措施办理并反馈实施情况",
    CheckStatus.CLEAR: "该主体无生效的名单条目",
    CheckStatus.NO_RECORD: "平台未查询到该主体的信用记录",
}


def _department_code(actor: Actor, department: str | None) -> str:
    """The checking department: the caller's own (a business system checks for the
    department it belongs to)."""
    if actor.department_id is None:
        raise PermissionDenied(gettext("核查须以部门身份进行"))
    own = selectors.department_codes().get(actor.department_id)
    if own is None:
        own = Department.objects.get(pk=actor.department_id).code
    if department and department != own:
        raise PermissionDenied(
            gettext("接口客户端属于部门 %(own)s，不能以部门 %(other)s 的名义核查")
            % {"own": own, "other": department}
        )
    return own


def _asked(actor: Actor, uscc, id_type, id_number) -> tuple[str | None, str | None, str | None]:
    """Whom the check asks about, validated: (the normalised USCC, None, None) or (None,
    the person's ID type, the normalised number)."""
    if bool(uscc) == bool(id_number):
        raise ValidationFailed.one(
            "subject",
            "check.subject",
            gettext("请提供统一社会信用代码，或（经授权）自然人证件号码，二者选一"),
        )
    if uscc:
        return check_uscc(uscc, field="subject"), None, None
    if not actor.has_scope(ApiScope.PERSONS_READ):
        raise PermissionDenied(
            gettext("核查自然人须有“%(scope)s”授权（接口权限 %(code)s）")
            % {"scope": ApiScope.PERSONS_READ.label, "code": ApiScope.PERSONS_READ.value}
        )
    if not actor.reads_person_data:
        raise PermissionDenied(gettext("无权核查自然人"))
    id_type = id_type or IdType.RESIDENT_ID
    if id_type not in IdType.values:
        raise ValidationFailed.one(
            "person.id_type",
            "enum",
            gettext("证件类型应为 %(types)s") % {"types": "、".join(IdType.values)},
        )
    return None, id_type, check_person_id(id_type, id_number, field="person.id_number")


def _subject(code: str | None, id_type: str | None, number: str | None, today: datetime.date):
    """The subject asked about (or None) with its entries in effect, and the query as
    logged (a person's ID masked)."""
    if code:
        subject, entries = selectors.subject_for_check(code, today)
        return subject, entries, code
    person = person_find(id_type=id_type, id_number=number)
    entries = selectors.entries_in_force(person.pk, today) if person else []
    return person, entries, crypto.mask(number)


def credit_check(
    *,
    actor: Actor,
    matter: str,
    department: str | None = None,
    uscc: str | None = None,
    id_type: str | None = None,
    id_number: str | None = None,
    today: datetime.date | None = None,
) -> dict:
    """What applies to a subject in a matter now: its entries in force (and, for a person,
    those of organisations they were responsible for), the sanction and incentive measures
    those entries trigger in this matter — suspended while an entry is under objection —
    and a clear "no record" for an unknown subject. Logged, whatever the answer."""
    access.require(actor, Action.CREDIT_CHECK)  # attributes only: no query on the hot path
    cfg = selectors.config()
    if matter not in cfg.matters:
        raise ValidationFailed(
            [FieldError("matter", "matter.unknown",
                        gettext("未知办理事项“%(matter)s”：应为 %(matters)s")
                        % {"matter": matter, "matters": "、".join(sorted(cfg.matters))})]
        )  # fmt: skip
    dept_code = _department_code(actor, department)
    today = today or timezone.localdate()
    code, id_type, number = _asked(actor, uscc, id_type, id_number)
    # The answer may be read from a replica that has replayed every write about this
    # subject (a person's answer also shows other subjects' entries: every write naming a
    # subject); the log row below is written to the primary (core.replicas).
    with replicas.reading(replicas.uscc_key(code) if code else replicas.ANY_SUBJECT):
        subject, entries, query = _subject(code, id_type, number, today)
        hits = [_hit(cfg, e) for e in entries]
        if subject is not None and subject.kind == SubjectKind.PERSON:
            for row in selectors.responsibilities_in_force(subject.pk, today):
                e = {k.removeprefix("entry__"): v for k, v in row.items()}
                hits.append(
                    _hit(cfg, e, role=row["role"], organization=row["entry__subject__name"])
                )
        hits = [h for h in hits if h is not None]
        sanctions, incentives = _measures(cfg, hits, matter, dept_code)
        incentives += _clean_incentives(cfg, subject, hits, incentives, matter, dept_code, today)
        verdict = commitment_verdict(
            subject.pk if subject else None, matter, today=today, entries=entries,
            barred=getattr(subject, "barred", None),  # the probe of the check's own query
        )  # fmt: skip
        # Read by the check's own query; a person (looked up by its ID) is never evaluated.
        checked = isinstance(subject, selectors.CheckedSubject)
        grade, grade_name = check_grade(subject.grade if checked else None)
    status = (
        CheckStatus.NO_RECORD if subject is None else CheckStatus.HIT if hits else CheckStatus.CLEAR
    )
    if settings.XINYONG_CHECK_TEST_PAUSE:  # tests only: a server killed mid-check
        time.sleep(settings.XINYONG_CHECK_TEST_PAUSE)
    now = timezone.now()
    check_id = _log(
        at=now, department_id=actor.department_id, client_id=actor.client_id,
        actor=actor.label[:150], matter=matter, query=query,
        subject_id=subject.pk if subject else None, status=status, hits=len(hits),
        result={"entries": [h["entry_id"] for h in hits],
                "measures": [m["code"] for m in sanctions + incentives],
                "suspended": [m["code"] for m in sanctions + incentives if m["suspended"]],
                "commitment_allowed": verdict.allowed},
    )  # fmt: skip
    return {
        "check_id": check_id,
        "checked_at": now,
        "matter": matter,
        "department": dept_code,
        "status": status,
        "message": MESSAGES[status],
        "subject": _subject_out(subject),
        "hits": hits,
        "measures": sanctions,
        "incentives": incentives,
        "grade": grade,
        "grade_name": grade_name,
        "pending_objections": sum(1 for h in hits if h["under_objection"]),
        "commitment_allowed": verdict.allowed,
        "commitment_kinds": verdict.kinds,
        "commitment_reasons": verdict.reasons,
    }


_LOG_COLUMNS = ("at", "department_id", "client_id", "actor", "matter", "query", "subject_id",
                "status", "hits", "result")  # fmt: skip


def _log(**row) -> int:
    """One log row, one INSERT … RETURNING (no ORM instance on the hot path)."""
    row["result"] = orjson.dumps(row["result"]).decode()
    cast = "::jsonb" if connections[selectors.HOT].vendor == "postgresql" else ""
    marks = ", ".join(["%s"] * (len(_LOG_COLUMNS) - 1)) + f", %s{cast}"
    sql = (
        f"INSERT INTO {CreditCheck._meta.db_table} ({', '.join(_LOG_COLUMNS)}) "  # noqa: S608
        f"VALUES ({marks}) RETURNING id"
    )
    return fetch(selectors.HOT, sql, [row[c] for c in _LOG_COLUMNS])[0][0]


def _subject_out(subject) -> dict | None:
    if subject is None:
        return None
    person = subject.kind == SubjectKind.PERSON
    return {
        "id": subject.pk,
        "kind": subject.kind,
        "name": crypto.mask_name(subject.name) if person else subject.name,
        "uscc": subject.uscc,
        "id_masked": subject.id_masked or None,
    }


def _hit(cfg, e: dict, role: str | None = None, organization: str | None = None) -> dict | None:
    lv = cfg.lists.get(e["list_type_id"])
    if lv is None:  # a list switched off: its entries have no effect
        return None
    return {
        "entry_id": e["id"],
        "list": lv.code,
        "list_name": lv.name,
        "effect": lv.effect,
        "department": selectors.department_codes().get(e["department_id"], ""),
        "decision_no": e["decision_no"],
        "decided_on": e["decided_on"],
        "term_end": e["term_end"],
        "permanent": e["permanent"],
        "under_objection": e["under_objection"],
        "role": role,  # set when the person checked was responsible for a listed organisation
        "organization": organization,
    }


def _measures(cfg, hits: list[dict], matter: str, dept_code: str) -> tuple[list, list]:
    """Measures of the subject's own entries in this matter; a measure is suspended when
    every entry that triggers it is under objection."""
    found: dict[str, dict] = {}
    for h in hits:
        if h["role"] is not None:
            continue  # a responsible person's hit is reported, its measures are the entity's
        for m in cfg.by_list.get(h["list"], ()):
            if not m.applies_in(matter):
                continue
            out = found.get(m.code)
            if out is None:
                out = found[m.code] = _measure_out(m, dept_code, suspended=True, entries=[])
            out["entries"].append(h["entry_id"])
            out["suspended"] = out["suspended"] and h["under_objection"]
    measures = sorted(found.values(), key=lambda m: m["code"])
    return (
        [m for m in measures if m["kind"] == MeasureKind.SANCTION],
        [m for m in measures if m["kind"] == MeasureKind.INCENTIVE],
    )


def _measure_out(m, dept_code: str, **extra) -> dict:
    return {
        "code": m.code, "name": m.name, "kind": m.kind, "category": m.category,
        "legal_basis": m.legal_basis, "memorandum": m.memorandum, "term": m.term,
        "implementing_departments": list(m.departments),
        "applies_to_you": m.implemented_by(dept_code), **extra,
    }  # fmt: skip


def _clean_incentives(cfg, subject, hits, granted, matter, dept_code, today) -> list[dict]:
    """Incentives for a clean record (国发〔2016〕33号): to a subject on no negative list
    with no negative record for the measure's years — one more indexed read, only when
    such a measure applies in this matter."""
    have = {m["code"] for m in granted}
    due = [m for m in cfg.clean if m.applies_in(matter) and m.code not in have]
    if subject is None or not due:
        return []
    lists = {lv.code: lv for lv in cfg.lists.values()}
    if any(lists[h["list"]].effect == ListEffect.NEGATIVE for h in hits if h["role"] is None):
        return []
    out, clean = [], {}
    for m in sorted(due, key=lambda m: m.code):
        if m.clean_years not in clean:  # one read per number of years (usually one)
            clean[m.clean_years] = selectors.clean_for(subject, m.clean_years, today)
        if clean[m.clean_years]:
            out.append(_measure_out(m, dept_code, suspended=False, entries=[],
                                    trigger="clean_record", clean_years=m.clean_years))  # fmt: skip
    return out


def check_feedback_submit(*, actor: Actor, check_id: int, items: list[dict]) -> list[CheckFeedback]:
    """The checking department says, per measure the check returned, whether it applied it
    (and why not). Another department's check is not found; a measure the check did not
    return, a missing reason or a repeated measure is refused, writing nothing. Sending
    again corrects the earlier answer."""
    check = CreditCheck.objects.visible_to(actor).filter(pk=check_id).first()
    if check is None or not access.allowed(actor, Action.DEPARTMENT_ACT, check):
        raise NotFound(
            gettext("没有核查记录 %(id)s") % {"id": check_id}
        )  # only the checking department answers
    returned = set(check.result.get("measures", []))
    errors, seen = [], set()
    if not items:
        errors.append(FieldError("items", "required", gettext("请至少反馈一项措施")))
    for i, item in enumerate(items):
        code, applied = item.get("measure"), item.get("applied")
        reason = (item.get("reason") or "").strip()
        if code not in returned:
            message = gettext("措施“%(measure)s”不在本次核查返回的措施中") % {"measure": code}
            errors.append(
                FieldError(f"items[{i}].measure", "feedback.measure_not_in_check", message)
            )
        elif code in seen:
            errors.append(
                FieldError(
                    f"items[{i}].measure",
                    "feedback.repeated",
                    gettext("措施“%(measure)s”重复") % {"measure": code},
                )
            )
        if applied is False and not reason:
            errors.append(
                FieldError(f"items[{i}].reason", "required", gettext("未实施的须说明原因"))
            )
        seen.add(code)
    if errors:
        raise ValidationFailed(errors)
    # Measures by code, switched off since the check or not: the answer is about the check.
    ids = dict(Measure.objects.filter(code__in=returned).values_list("code", "pk"))
    now = timezone.now()
    with transaction.atomic():
        out = []
        for item in items:
            fb, _ = CheckFeedback.objects.update_or_create(
                credit_check=check, measure_id=ids[item["measure"]],
                defaults={"applied": bool(item["applied"]),
                          "reason": (item.get("reason") or "").strip(), "by": actor.label,
                          "at": now},
            )  # fmt: skip
            out.append(fb)
        audit_event_append(
            actor=actor, action=AuditAction.CHECK_FEEDBACK, object_type="credit_check",
            object_id=check.pk,
            detail={"items": [{"measure": i["measure"], "applied": bool(i["applied"])}
                              for i in items]},
        )  # fmt: skip
    return out
