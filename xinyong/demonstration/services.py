"""Writes of integrity demonstration units (诚信示范单位): an organising department creates a
campaign with its criteria, records the units' applications, assesses each criterion and
awards or refuses with reasons, publishes the results at once; the daily scan finds an
awarded unit whose members breached the criteria (a negative list entry in force, decided
after the title was published) and the organiser revokes the title with reasons, or keeps
it with reasons. Each step is one transaction with one audit event.

A title is an incentive, not a sanction: revoking it needs no prior notice under the local
plans, but it needs a reason and a person who decided, and a finding is never acted on
automatically — the organiser decides (a list entry may be overturned the next day)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.inputs import DB_INT_MAX
from xinyong.demonstration.choices import CampaignStatus, UnitKind, UnitStatus
from xinyong.demonstration.models import Campaign, Unit
from xinyong.lists.choices import ListEffect
from xinyong.lists.models import ListEntry, in_force_q
from xinyong.subjects.choices import SubjectKind
from xinyong.subjects.identifiers import normalize_code, uscc_problem
from xinyong.subjects.models import Subject
from xinyong.supervision.services.common import acting_department, text

CRITERIA_MAX, CRITERION_MAX, MEMBERS_MAX = 20, 200, 500
_MARKET = (SubjectKind.ORGANIZATION, SubjectKind.INDIVIDUAL_BUSINESS)


def _campaign(actor: Actor, campaign_id, *, lock: bool = False) -> Campaign:
    found = None
    if isinstance(campaign_id, int) and 0 < campaign_id <= DB_INT_MAX:
        qs = Campaign.objects.visible_to(actor).select_related("department")
        found = (qs.select_for_update(of=("self",)) if lock else qs).filter(pk=campaign_id).first()
    if found is None:
        raise NotFound(gettext("没有诚信示范创建活动 %(id)s") % {"id": campaign_id})
    return found


def _unit(actor: Actor, unit_id, *, lock: bool = True) -> Unit:
    found = None
    if isinstance(unit_id, int) and 0 < unit_id <= DB_INT_MAX:
        qs = Unit.objects.visible_to(actor).select_related("campaign", "subject")
        found = (qs.select_for_update(of=("self",)) if lock else qs).filter(pk=unit_id).first()
    if found is None:
        raise NotFound(gettext("没有诚信示范单位申报 %(id)s") % {"id": unit_id})
    return found


def _criteria(errors: list, value) -> list[str]:
    """One criterion per line (a list, or a text with one per line), each printable."""
    lines = value if isinstance(value, list) else str(value or "").splitlines()
    items = [str(c).strip() for c in lines if str(c).strip()]
    if not items:
        errors.append(FieldError("criteria", "required", gettext("请填写创建标准，每行一条")))
    elif len(items) > CRITERIA_MAX:
        message = gettext("创建标准不得超过 %(n)s 条") % {"n": CRITERIA_MAX}
        errors.append(FieldError("criteria", "max_items", message))
    else:
        for c in items:
            checked: list[FieldError] = []
            text(checked, "criteria", c, CRITERION_MAX)
            if checked:
                errors.extend(checked)
                break
    return items


def campaign_create(
    *, actor: Actor, title: str, kind: str, year, criteria, apply_until, valid_years,
    department_code: str = "", today: datetime.date | None = None,
) -> Campaign:  # fmt: skip
    """A campaign of the actor's department (the operator names the organiser or acts as its
    own): its criteria in order, the closing date of applications (today or later), and
    how many years a title lasts (1–5). Refused, writing nothing, naming each field."""
    access.require(actor, Action.DEMONSTRATION_MANAGE, None)
    today = today or timezone.localdate()
    errors: list[FieldError] = []
    title = text(errors, "title", title, 200, gettext("请填写活动名称"))
    if kind not in UnitKind.values:
        choices = "、".join(str(label) for label in UnitKind.labels)
        errors.append(
            FieldError("kind", "enum", gettext("示范单位类型应为：%(c)s") % {"c": choices})
        )
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        errors.append(FieldError("year", "range", gettext("年度应为 2000 至 2100 之间的整数")))
    items = _criteria(errors, criteria)
    if not isinstance(apply_until, datetime.date):
        errors.append(FieldError("apply_until", "required", gettext("请填写申报截止日期")))
    elif apply_until < today:
        message = gettext("申报截止日期不得早于今天")
        errors.append(FieldError("apply_until", "date.past", message))
    if (
        not isinstance(valid_years, int)
        or isinstance(valid_years, bool)
        or not 1 <= valid_years <= 5
    ):
        errors.append(FieldError("valid_years", "range", gettext("命名有效期应为 1 至 5 年")))
    try:
        department = acting_department(actor, department_code)
    except ValidationFailed as e:
        errors.extend(e.errors)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title=title, kind=kind, year=year, department=department, criteria=items,
            apply_until=apply_until, valid_years=valid_years, created_at=timezone.now(),
        )  # fmt: skip
        audit_event_append(
            actor=actor, action=AuditAction.DEMONSTRATION_CAMPAIGN_CREATE,
            object_type="demonstration_campaign", object_id=campaign.pk,
            detail={"title": title, "kind": kind, "department": department.code},
        )  # fmt: skip
    return campaign


def _subject(errors: list, field: str, code: str) -> Subject | None:
    """A registered market subject by its USCC (never a person: no identifier is typed)."""
    problem = uscc_problem(code)
    if problem:
        errors.append(FieldError(field, "uscc.invalid", f"{code}：{problem}"))
        return None
    found = Subject.objects.filter(uscc=normalize_code(code), kind__in=_MARKET).first()
    if found is None:
        message = gettext("%(code)s 未在平台登记") % {"code": code}
        errors.append(FieldError(field, "subject.unknown", message))
    return found


def _members(errors: list, value) -> list[Subject]:
    codes = value if isinstance(value, list) else str(value or "").split()
    codes = list(dict.fromkeys(str(c).strip() for c in codes if str(c).strip()))
    if not codes:
        message = gettext("请填写成员主体的统一社会信用代码，每行一个")
        errors.append(FieldError("members", "required", message))
        return []
    if len(codes) > MEMBERS_MAX:
        message = gettext("成员主体不得超过 %(n)s 个") % {"n": MEMBERS_MAX}
        errors.append(FieldError("members", "max_items", message))
        return []
    found = [_subject(errors, "members", c) for c in codes]
    return [s for s in found if s is not None]


def unit_apply(
    *, actor: Actor, campaign_id: int, name: str, applicant: str, statement: str,
    subject_uscc: str = "", area: str = "", members="", today: datetime.date | None = None,
) -> Unit:  # fmt: skip
    """An application recorded by the organiser (from the township, the school, the
    enterprise's letter) until the closing date: an area unit with its location and its
    member subjects by USCC; a school or enterprise by its own USCC."""
    campaign = _campaign(actor, campaign_id)
    access.require(actor, Action.DEMONSTRATION_MANAGE, campaign)
    _open(campaign, today)
    errors: list[FieldError] = []
    name = text(errors, "name", name, 200, gettext("请填写单位名称"))
    applicant = text(errors, "applicant", applicant, 200, gettext("请填写申报单位"))
    subject, member_list = None, []
    if UnitKind.is_area(campaign.kind):
        area = text(errors, "area", area, 200, gettext("请填写所在区域"))
        member_list = _members(errors, members)
    else:
        area = ""
        subject = _subject(errors, "subject", (subject_uscc or "").strip())
        if subject is not None and subject.kind != SubjectKind.ORGANIZATION:
            message = gettext("信用学校和诚信示范企业须为法人或非法人组织")
            errors.append(FieldError("subject", "subject.kind", message))
    return _unit_create(actor, campaign, errors, name=name, applicant=applicant, area=area,
                        statement=statement, subject=subject, members=member_list)  # fmt: skip


def unit_apply_online(
    *, actor: Actor, subject_id: int, campaign_id: int, statement: str,
    today: datetime.date | None = None,
) -> Unit:  # fmt: skip
    """A school or an enterprise applies for itself through its bound portal account, to a
    campaign of its kind still taking applications: the unit is the subject, under its
    registered name; the organiser assesses it like any other."""
    from xinyong.remedies.selectors import bound_subject

    subject = bound_subject(actor=actor, subject_id=subject_id)
    access.require(actor, Action.DEMONSTRATION_APPLY, subject, hide=True)
    campaign = None
    if isinstance(campaign_id, int) and 0 < campaign_id <= DB_INT_MAX:
        campaign = Campaign.objects.filter(
            pk=campaign_id, status=CampaignStatus.OPEN,
            kind__in=(UnitKind.SCHOOL, UnitKind.ENTERPRISE),
        ).first()  # fmt: skip
    if campaign is None:
        message = gettext("没有接受申报的诚信示范创建活动 %(id)s") % {"id": campaign_id}
        raise ValidationFailed.one("campaign", "demonstration.unknown", message)
    _open(campaign, today)
    errors: list[FieldError] = []
    if subject.kind != SubjectKind.ORGANIZATION:
        message = gettext("信用学校和诚信示范企业须为法人或非法人组织")
        errors.append(FieldError("subject", "subject.kind", message))
    if Unit.objects.filter(campaign=campaign, subject=subject).exists():
        message = gettext("本主体已申报该活动")
        errors.append(FieldError("campaign", "demonstration.applied", message))
    return _unit_create(actor, campaign, errors, name=subject.name, applicant=subject.name,
                        area="", statement=statement, subject=subject, members=[])  # fmt: skip


def _open(campaign: Campaign, today: datetime.date | None) -> None:
    today = today or timezone.localdate()
    if campaign.status != CampaignStatus.OPEN or today > campaign.apply_until:
        message = gettext("该活动的申报已于 %(d)s 截止") % {"d": campaign.apply_until}
        raise ValidationFailed.one("campaign", "demonstration.closed", message)


def _unit_create(actor: Actor, campaign: Campaign, errors: list, *, name: str, applicant: str,
                 area: str, statement: str, subject, members: list) -> Unit:  # fmt: skip
    """The application written with its audit event, once nothing was found wrong."""
    statement = text(errors, "statement", statement, 4000, gettext("请填写创建情况"))
    if name and Unit.objects.filter(campaign=campaign, name=name).exists():
        message = gettext("该活动已有名为“%(n)s”的申报") % {"n": name}
        errors.append(FieldError("name", "unique", message))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        unit = Unit.objects.create(
            campaign=campaign, name=name, subject=subject, area=area, applicant=applicant,
            statement=statement, submitted_by=actor.label, submitted_at=timezone.now(),
        )  # fmt: skip
        unit.members.set(members)
        audit_event_append(
            actor=actor, action=AuditAction.DEMONSTRATION_UNIT_APPLY,
            object_type="demonstration_unit", object_id=unit.pk,
            detail={"campaign": campaign.pk, "name": name, "members": len(members)},
        )  # fmt: skip
    return unit


def unit_subject_ids(unit: Unit) -> list[int]:
    """The subjects whose files a unit answers for: itself, or its members."""
    if unit.subject_id:
        return [unit.subject_id]
    return list(unit.members.values_list("pk", flat=True))


def negative_entries(subject_ids: list[int], today: datetime.date, since=None):
    """Entries of negative lists (serious dishonesty, watch, abnormal operations, bans) in
    force on ``today`` against these subjects — the breach every campaign's criteria
    imply; ``since``: only those that went public at or after that moment."""
    qs = ListEntry.objects.filter(
        in_force_q(today), subject_id__in=subject_ids, list_type__effect=ListEffect.NEGATIVE
    )
    if since is not None:
        qs = qs.filter(published_at__gte=since)
    return qs.select_related("list_type", "subject").order_by("published_at", "pk")


def unit_assess(
    *, actor: Actor, unit_id: int, met: list, notes: dict | None = None, award: bool,
    reason: str, today: datetime.date | None = None,
) -> Unit:  # fmt: skip
    """The assessment: each criterion met or not (``met``: the indexes of those met, from
    0), a note per criterion where given, and the decision with its reasons. A title is
    never awarded with a criterion unmet, nor while the unit or a member is on a negative
    list in force (the error names them). Only a unit still applied for, before the
    campaign's results are published."""
    today = today or timezone.localdate()
    with transaction.atomic():
        unit = _unit(actor, unit_id)
        campaign = unit.campaign
        access.require(actor, Action.DEMONSTRATION_DECIDE, campaign)
        if unit.status != UnitStatus.APPLIED or campaign.status != CampaignStatus.OPEN:
            raise ValidationFailed.one(
                "unit", "demonstration.decided", gettext("该申报已评审，不能再次评审")
            )
        errors: list[FieldError] = []
        count = len(campaign.criteria)
        indexes = met if isinstance(met, list) else []
        if any(
            not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < count for i in indexes
        ):
            message = gettext("达标的创建标准应为第 1 至第 %(n)s 条") % {"n": count}
            errors.append(FieldError("met", "range", message))
        notes = notes if isinstance(notes, dict) else {}
        answer = []
        for i, criterion in enumerate(campaign.criteria):
            note = text(errors, f"note_{i}", notes.get(i, ""), 500)
            answer.append({"criterion": criterion, "met": i in indexes, "note": note})
        if not isinstance(award, bool):
            errors.append(FieldError("award", "required", gettext("请选择评审结论")))
        reason = text(errors, "reason", reason, 2000, gettext("请填写评审结论的理由"))
        if award is True and not errors:
            unmet = [a["criterion"] for a in answer if not a["met"]]
            if unmet:
                message = gettext("尚有未达标的创建标准，不能命名：%(c)s") % {"c": "；".join(unmet)}
                errors.append(FieldError("award", "demonstration.unmet", message))
            listed = list(negative_entries(unit_subject_ids(unit), today))
            if listed:
                names = "；".join(f"{e.subject.name}（{e.list_type.name}）" for e in listed)
                message = gettext("以下主体在失信类名单期内，不能命名：%(n)s") % {"n": names}
                errors.append(FieldError("award", "demonstration.listed", message))
        if errors:
            raise ValidationFailed(errors)
        unit.assessment = answer
        unit.status = UnitStatus.AWARDED if award else UnitStatus.NOT_AWARDED
        unit.reason, unit.decided_by, unit.decided_at = reason, actor.label, timezone.now()
        unit.save(update_fields=["assessment", "status", "reason", "decided_by", "decided_at"])
        audit_event_append(
            actor=actor, action=AuditAction.DEMONSTRATION_UNIT_ASSESS,
            object_type="demonstration_unit", object_id=unit.pk,
            detail={"status": unit.status, "met": sorted(set(indexes))},
        )  # fmt: skip
    return unit


def campaign_publish(*, actor: Actor, campaign_id: int) -> Campaign:
    """The results published on the portal, for every unit at once: only when every
    application is assessed. Each awarded title runs from today for the campaign's years."""
    with transaction.atomic():
        campaign = _campaign(actor, campaign_id, lock=True)
        access.require(actor, Action.DEMONSTRATION_DECIDE, campaign)
        if campaign.status != CampaignStatus.OPEN:
            raise ValidationFailed.one(
                "campaign", "demonstration.published", gettext("该活动的结果已公布")
            )
        waiting = campaign.units.filter(status=UnitStatus.APPLIED).count()
        if waiting:
            message = gettext("尚有 %(n)s 个申报未评审，评审完毕后方可公布") % {"n": waiting}
            raise ValidationFailed.one("campaign", "demonstration.unassessed", message)
        now = timezone.now()
        until = timezone.localdate(now) + relativedelta(years=campaign.valid_years)
        awarded = campaign.units.filter(status=UnitStatus.AWARDED)
        count = awarded.update(valid_until=until)
        campaign.status, campaign.published_at = CampaignStatus.PUBLISHED, now
        campaign.save(update_fields=["status", "published_at"])
        audit_event_append(
            actor=actor, action=AuditAction.DEMONSTRATION_CAMPAIGN_PUBLISH,
            object_type="demonstration_campaign", object_id=campaign.pk,
            detail={"awarded": count, "valid_until": until.isoformat()},
        )  # fmt: skip
    return campaign


def units_breach_scan(*, actor: Actor, now: datetime.datetime | None = None) -> int:
    """The daily upkeep's scan: every awarded unit in its term whose subject or members have
    a negative list entry in force that went public after its title (and was not already
    examined) gets the finding, for the organiser to decide. One query for the entries of
    all units; one audit event when something new was found. The count of units newly
    flagged."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    units = Unit.objects.filter(
        status=UnitStatus.AWARDED, valid_until__gte=today,
        campaign__status=CampaignStatus.PUBLISHED,
    ).values("pk", "subject_id", "breaches", "breaches_cleared",
             published=F("campaign__published_at"))  # fmt: skip
    units = {u["pk"]: u for u in units}
    if not units:
        return 0
    own = {u["subject_id"]: [pk] for pk, u in units.items() if u["subject_id"]}
    of: dict[int, list[int]] = {}
    for s, pks in own.items():
        of.setdefault(s, []).extend(pks)
    through = Unit.members.through.objects.filter(unit_id__in=list(units))
    for unit_id, subject_id in through.values_list("unit_id", "subject_id"):
        of.setdefault(subject_id, []).append(unit_id)
    found: dict[int, list[dict]] = {}
    earliest = min(u["published"] for u in units.values())
    for e in negative_entries(list(of), today, since=earliest).iterator():
        for unit_id in of[e.subject_id]:
            u = units[unit_id]
            if e.published_at < u["published"] or e.pk in u["breaches_cleared"]:
                continue
            found.setdefault(unit_id, []).append({
                "entry": e.pk, "subject": e.subject.name, "list": e.list_type.name,
                "published_at": timezone.localtime(e.published_at).date().isoformat(),
            })  # fmt: skip
    changed = {pk: b for pk, b in found.items() if b != units[pk]["breaches"]}
    if not changed:
        return 0
    with transaction.atomic():
        for pk, breaches in changed.items():  # a few units a day: no bulk path needed
            Unit.objects.filter(pk=pk).update(breaches=breaches, breach_found_at=now)
        audit_event_append(
            actor=actor, action=AuditAction.DEMONSTRATION_BREACH_SCAN,
            object_type="demonstration_unit", object_id="",
            detail={"units": sorted(changed)},
        )  # fmt: skip
    return len(changed)


def unit_revoke(*, actor: Actor, unit_id: int, reason: str) -> Unit:
    """The title revoked with reasons (a breach found, or another cause the organiser
    states): the portal shows it revoked."""
    with transaction.atomic():
        unit = _unit(actor, unit_id)
        access.require(actor, Action.DEMONSTRATION_DECIDE, unit.campaign)
        if unit.status != UnitStatus.AWARDED or unit.campaign.status != CampaignStatus.PUBLISHED:
            raise ValidationFailed.one(
                "unit", "demonstration.not_awarded", gettext("只有已公布命名的单位可以撤销命名")
            )
        reason = _reason(reason, gettext("请填写撤销理由"))
        unit.status, unit.revoked_at = UnitStatus.REVOKED, timezone.now()
        unit.revoked_by, unit.revoke_reason = actor.label, reason
        unit.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
        audit_event_append(
            actor=actor, action=AuditAction.DEMONSTRATION_UNIT_REVOKE,
            object_type="demonstration_unit", object_id=unit.pk,
            detail={"breaches": [b["entry"] for b in unit.breaches]},
        )  # fmt: skip
    return unit


def unit_breach_clear(*, actor: Actor, unit_id: int, reason: str) -> Unit:
    """The organiser examined the finding and keeps the title (e.g. the member left the
    village before the act), with reasons: the entries found are not found again."""
    with transaction.atomic():
        unit = _unit(actor, unit_id)
        access.require(actor, Action.DEMONSTRATION_DECIDE, unit.campaign)
        if not unit.breach_pending:
            raise ValidationFailed.one(
                "unit", "demonstration.no_breach", gettext("该单位没有待核查的失信情形")
            )
        reason = _reason(reason, gettext("请填写保留命名的理由"))
        entries = [b["entry"] for b in unit.breaches]
        unit.breaches_cleared = sorted({*unit.breaches_cleared, *entries})
        unit.breaches = []
        unit.save(update_fields=["breaches_cleared", "breaches"])
        audit_event_append(
            actor=actor, action=AuditAction.DEMONSTRATION_BREACH_CLEAR,
            object_type="demonstration_unit", object_id=unit.pk,
            detail={"entries": entries, "reason": reason},
        )  # fmt: skip
    return unit


def _reason(value, missing: str) -> str:
    errors: list[FieldError] = []
    value = text(errors, "reason", value, 2000, missing)
    if errors:
        raise ValidationFailed(errors)
    return value
