"""The evaluation of early warning: every active rule's evaluator over all subjects at
once, the departments it alerts resolved set-based, then the alerts written in bulk —
run by the daily upkeep and by ``xinyong alerts_run``.

De-duplication: one open alert per rule, subject and department (a partial unique
index holds it). A run whose evidence for a pair equals the open alert's writes nothing;
different evidence updates the open alert; with no open alert, evidence every item of
which a closed alert already had raises nothing while the rule keeps holding for the pair
(a closed alert does not come back for the same facts); anything new raises a new alert.

Auto-close: a pair the rule no longer holds for (the commitment was checked, the penalties
left the period, the listing ended…) has its open or acknowledged alert closed by the run
— outcome ``lapsed``, the evaluator's note naming why, one ``UPDATE`` for the whole rule —
and its closed alerts stop holding back the same evidence (``lapsed_at``): if the rule
holds again later, the next run raises a new alert. Only alerts whose rule still held at
the last run (``lapsed_at`` empty) are read by a run.

One transaction per rule; its audit events: ``alerts.run`` (raised and updated: counts and
ids) and ``alerts.auto_close`` (closed: the count and ids), each when there is any."""

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.accounts.models import Department
from xinyong.alerts.choices import OPEN, AlertStatus, Outcome, Recipients
from xinyong.alerts.evaluators import EVALUATORS
from xinyong.alerts.models import Alert, AlertEvent, AlertRule, WarningNotice
from xinyong.alerts.notices import notice_document
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append

CHUNK = 2000  # subject ids per IN (…) (SQLite binds at most 32,766 parameters)
ID_CAP = 100  # alert ids named in a run's audit event


@dataclass
class RuleRun:
    rule: str
    fired: int = 0  # subjects the evaluator fired on
    raised: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
    notices: int = 0
    closed: list[int] = field(default_factory=list)  # open alerts the rule lapsed for
    forgotten: int = 0  # closed alerts whose rule stopped holding: no longer hold back


def _keys(evidence: list[dict]) -> set[str]:
    return {f"{e['kind']}:{e['id']}" for e in evidence}


def evidence_key(evidence: list[dict]) -> str:
    return hashlib.sha256("|".join(sorted(_keys(evidence))).encode()).hexdigest()


def _chunks(ids):
    ids = list(ids)
    for n in range(0, len(ids), CHUNK):
        yield ids[n : n + CHUNK]


def _departments(rule: AlertRule, found: dict[int, list[dict]]) -> dict[int, set[int]]:
    """subject id → the departments its alert goes to, by the rule's recipients."""
    from xinyong.records.choices import RecordStatus
    from xinyong.records.models import Record
    from xinyong.subjects.models import Subject

    out: dict[int, set[int]] = defaultdict(set)
    if rule.recipients == Recipients.NAMED:
        named = set(
            Department.objects.filter(code__in=rule.departments, is_active=True).values_list(
                "pk", flat=True
            )
        )
        return {s: set(named) for s in found}
    if rule.recipients == Recipients.EVIDENCE:
        for s, evidence in found.items():
            out[s] |= {e["department"] for e in evidence if e["department"]}
    need = [s for s in found if not out.get(s)]  # evidence of no department: the registrar
    if rule.recipients == Recipients.HOLDERS:
        for chunk in _chunks(found):
            rows = (
                Record.objects.filter(subject_id__in=chunk, status=RecordStatus.ACTIVE)
                .values_list("subject_id", "provider_id")
                .distinct()
            )
            for s, dept in rows:
                out[s].add(dept)
        need = [s for s in found if not out.get(s)]
    if rule.recipients == Recipients.REGISTERING:
        need = list(found)
    for chunk in _chunks(need):
        rows = Subject.objects.filter(pk__in=chunk, source_department_id__isnull=False)
        for s, dept in rows.values_list("pk", "source_department_id"):
            out[s].add(dept)
    return out


def _summary(rule: AlertRule, evidence: list[dict]) -> str:
    more = f"等{len(evidence)}项" if len(evidence) > 1 else ""
    return f"{rule.name}：{evidence[0]['label']}{more}"[:300]


def _id_set(ids: list[int]) -> tuple[str, list]:
    """A set of ids as one bound parameter (an array on PostgreSQL, JSON on SQLite): a
    statement over any number of rows, with no limit on bound parameters."""
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", [ids]
    return "SELECT value FROM json_each(%s)", [json.dumps(ids)]


def _lapse(rule: AlertRule, stale: list[int], closing: list[int], actor: Actor, now) -> list[int]:
    """The alerts of pairs the rule no longer holds for, in one UPDATE: every one marked
    lapsed; those still open or acknowledged when it runs closed with the evaluator's
    note (the closed ones keep their outcome and note). Then one INSERT … SELECT tells the
    story of each alert it closed. The ids it closed."""
    note = f"规则不再成立，系统自动关闭：{EVALUATORS[rule.evaluator].lapsed}"
    sql, params = _id_set(stale)

    def when_open(value, otherwise: str):
        column = Alert._meta.get_field(otherwise)
        return Case(When(status__in=OPEN, then=Value(value)), default=F(otherwise),
                    output_field=column)  # fmt: skip

    Alert.objects.filter(pk__in=RawSQL(sql, params)).update(  # noqa: S611 - ids bound
        lapsed_at=now,
        status=Value(AlertStatus.CLOSED),
        outcome=when_open(Outcome.LAPSED.value, "outcome"),
        note=when_open(note, "note"),
        closed_by=when_open(actor.label, "closed_by"),
        closed_at=when_open(now, "closed_at"),
    )
    if not closing:
        return []
    # Closed by this statement: among those open at the scan, the ones the UPDATE found
    # still open (a clerk may have closed one in between: its own outcome stands).
    sql, params = _id_set(closing)
    at = connection.ops.adapt_datetimefield_value(now)
    q = connection.ops.quote_name
    # The text is this function's own (names from the models); every value is a parameter.
    closed = (
        f"SELECT id FROM {Alert._meta.db_table}"  # noqa: S608
        f" WHERE id IN ({sql}) AND outcome = %s AND closed_at = %s"
    )
    closed_params = [*params, Outcome.LAPSED.value, at]
    insert = (
        f"INSERT INTO {AlertEvent._meta.db_table}"  # noqa: S608
        f" (alert_id, {q('action')}, {q('by')}, {q('at')}, note)"
        f" SELECT x.id, %s, %s, %s, %s FROM ({closed}) x"
    )
    with connection.cursor() as cur:
        cur.execute(insert, ["auto_closed", actor.label, at, note, *closed_params])
        cur.execute(closed, closed_params)
        return sorted(pk for (pk,) in cur.fetchall())


def rule_run(
    rule: AlertRule, *, actor: Actor = SYSTEM, now: datetime.datetime | None = None
) -> RuleRun:
    """One rule over every subject (see the module's docstring)."""
    now = now or timezone.now()
    ev = EVALUATORS[rule.evaluator]
    params = ev.params.model_validate(rule.params)
    found = {s: e for s, e in ev.fn(params, timezone.localdate(now)).items() if e}
    report = RuleRun(rule=rule.code, fired=len(found))
    targets = _departments(rule, found)
    holds = {(s, d) for s in found for d in targets.get(s, ())}
    with transaction.atomic():
        existing = Alert.objects.filter(rule=rule, lapsed_at__isnull=True).values_list(
            "pk", "subject_id", "department_id", "status", "evidence_key", "evidence"
        )
        open_: dict[tuple[int, int], tuple[int, str]] = {}
        closed: dict[tuple[int, int], set[str]] = defaultdict(set)
        stale: list[int] = []
        closing: list[int] = []
        for pk, s, d, status, key, evidence in existing.iterator(chunk_size=5000):
            if (s, d) not in holds:
                stale.append(pk)
                if status in OPEN:
                    closing.append(pk)
                else:
                    report.forgotten += 1
            elif status in OPEN:
                open_[(s, d)] = (pk, key)
            else:
                closed[(s, d)] |= _keys(evidence)
        new, changed, events = [], [], []
        for s, evidence in found.items():
            key = evidence_key(evidence)
            for d in sorted(targets.get(s, ())):
                if (s, d) in open_:
                    pk, old = open_[(s, d)]
                    if old == key:
                        report.unchanged += 1
                        continue
                    changed.append(
                        Alert(
                            pk=pk,
                            evidence=evidence,
                            evidence_key=key,
                            summary=_summary(rule, evidence),
                            updated_at=now,
                            rule_version=rule.version,
                        )
                    )
                elif _keys(evidence) <= closed.get((s, d), set()):
                    report.unchanged += 1
                else:
                    new.append(
                        Alert(
                            rule=rule,
                            rule_version=rule.version,
                            subject_id=s,
                            department_id=d,
                            status=AlertStatus.OPEN,
                            summary=_summary(rule, evidence),
                            evidence=evidence,
                            evidence_key=key,
                            raised_at=now,
                            updated_at=now,
                        )
                    )
        if stale:
            report.closed = _lapse(rule, stale, closing, actor, now)
        if changed:
            Alert.objects.bulk_update(
                changed, ["evidence", "evidence_key", "summary", "updated_at", "rule_version"]
            )
            events += [
                AlertEvent(alert_id=a.pk, action="updated", by=actor.label, at=now, note=a.summary)
                for a in changed
            ]
        created = Alert.objects.bulk_create(new)
        events += [
            AlertEvent(alert=a, action="raised", by=actor.label, at=now, note=a.summary)
            for a in created
        ]
        AlertEvent.objects.bulk_create(events)
        if rule.notify_subject and created:
            report.notices = _notices(rule, created, now)
        report.raised = [a.pk for a in created]
        report.updated = [a.pk for a in changed]
        if created or changed:
            audit_event_append(
                actor=actor,
                action=AuditAction.ALERTS_RUN,
                object_type="alert_rule",
                object_id=rule.code,
                detail={
                    "version": rule.version,
                    "fired": report.fired,
                    "raised": len(created),
                    "updated": len(changed),
                    "notices": report.notices,
                    "ids": [*report.raised, *report.updated][:ID_CAP],
                },
            )
        if report.closed or report.forgotten:
            audit_event_append(
                actor=actor,
                action=AuditAction.ALERTS_AUTO_CLOSE,
                object_type="alert_rule",
                object_id=rule.code,
                detail={
                    "version": rule.version,
                    "closed": len(report.closed),
                    "reason": ev.lapsed,
                    "released": report.forgotten,
                    "ids": report.closed[:ID_CAP],
                },
            )
    return report


def _notices(rule: AlertRule, created: list[Alert], now) -> int:
    """One warning notice per subject newly alerted (on the alert of its first department:
    the subject is warned once about the same facts, however many departments are told)."""
    from xinyong.subjects.models import Subject

    first: dict[int, Alert] = {}
    for a in sorted(created, key=lambda a: (a.subject_id, a.department_id)):
        first.setdefault(a.subject_id, a)
    subjects = Subject.objects.in_bulk(list(first))
    depts = Department.objects.in_bulk({a.department_id for a in first.values()})
    notices = [
        WarningNotice(
            alert=a,
            subject_id=s,
            department_id=a.department_id,
            title=rule.name,
            issued_at=now,
            document=notice_document(rule, a, subjects[s], depts[a.department_id], now),
        )
        for s, a in first.items()
    ]
    WarningNotice.objects.bulk_create(notices)
    _tell_accounts(rule, list(first), now)
    return len(notices)


def _tell_accounts(rule: AlertRule, subject_ids: list[int], now) -> None:
    """An in-app message to each account bound to a subject warned (one query, one insert)."""
    from django.urls import reverse

    from xinyong.remedies.choices import BindingStatus
    from xinyong.remedies.models import Notification, SubjectBinding

    bindings = SubjectBinding.objects.filter(subject_id__in=subject_ids,
                                             status=BindingStatus.APPROVED)  # fmt: skip
    Notification.objects.bulk_create(
        Notification(user_id=user, created_at=now,
                     text=f"您绑定的主体收到失信预警提示书：{rule.name}"[:500],
                     link=reverse("portal:account_warnings", args=[subject]))
        for user, subject in bindings.values_list("user_id", "subject_id")
    )  # fmt: skip


def alerts_run(
    *, actor: Actor = SYSTEM, now: datetime.datetime | None = None, codes: list[str] | None = None
) -> list[RuleRun]:
    """Every active rule (or those named), one after the other."""
    rules = AlertRule.objects.filter(active=True, evaluator__in=list(EVALUATORS))
    if codes:
        rules = rules.filter(code__in=codes)
    return [rule_run(rule, actor=actor, now=now) for rule in rules.order_by("code")]
