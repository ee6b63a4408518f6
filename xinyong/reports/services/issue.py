"""Issuing reports. One report is one act: the request is checked (kind, subject, rights,
domains, period, purpose) before anything is written; then the content is read, typeset,
signed and stored, and one audit event names it. The PDF is written (sealed) before the
row is committed, so a report that exists always has its file; a file left by a failed
commit is never referenced and carries no number anyone was given."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.selectors import department_names
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import sealed
from xinyong.core.errors import ValidationFailed
from xinyong.reports import content, special
from xinyong.reports.choices import ReportKind
from xinyong.reports.models import Report, ReportPolicy, SigningKey
from xinyong.reports.render import render_pdf
from xinyong.reports.schemas import LabelValue, ReportDoc
from xinyong.reports.signing import current_public, sign
from xinyong.subjects.choices import SubjectKind

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed
PURPOSE_MIN = 2
PURPOSE_MAX = 200
PURPOSE_REQUIRED = _lazy("请写明用途（如政府采购、招标投标、评优评先）")


def purpose_check(purpose: str, *, required: bool) -> str:
    """The one rule of a report's purpose (single reports, batches, the back-office form):
    at most 200 characters; where required (review reports, staff's special reports,
    batches) at least 2. Refused naming the field and the rule."""
    purpose = (purpose or "").strip()
    if len(purpose) > PURPOSE_MAX:
        raise ValidationFailed.one(
            "purpose", "too_long", _("用途最多 %(n)d 个字符") % {"n": PURPOSE_MAX}
        )
    if required and len(purpose) < PURPOSE_MIN:
        raise ValidationFailed.one("purpose", "required", str(PURPOSE_REQUIRED))
    return purpose


def policy() -> ReportPolicy:
    return ReportPolicy.objects.get_or_create(pk=1)[0]


def code_hash(number: str, code: str) -> str:
    return hashlib.sha256(f"{number}:{code.strip().upper()}".encode()).hexdigest()


def verify_link(number: str, code: str) -> str:
    return f"{settings.XINYONG_PUBLIC_URL}/verify/?n={number}&c={code}"


def _random(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


@dataclass(frozen=True)
class Request:
    """A report asked for, checked: what ``report_issue`` needs to build it."""

    kind: str
    subject: object
    purpose: str = ""
    domains: tuple = ()  # special: (ReportDomain, [Department]) pairs
    period: tuple[datetime.date, datetime.date] | None = None


def report_request_check(
    *, actor: Actor, kind: str, subject, purpose: str = "", domains: list[str] | None = None,
    period_from: datetime.date | None = None, period_to: datetime.date | None = None,
) -> Request:  # fmt: skip
    """Refuse what may not be issued, naming the field and the rule; nothing is written."""
    if kind not in ReportKind.values:
        raise ValidationFailed.one(
            "kind", "unknown_kind",
            _("报告类型必须是 %(kinds)s 之一") % {"kinds": "、".join(ReportKind.values)},
        )  # fmt: skip
    purpose = purpose_check(purpose, required=False)
    person = subject.kind == SubjectKind.PERSON
    if kind == ReportKind.PUBLIC and person:
        raise ValidationFailed.one(
            "subject", "person_own_only",
            _("自然人不出具公开版报告；本人可登录并绑定后获取自查版报告"),
        )  # fmt: skip
    if kind == ReportKind.OWN:
        access.require(
            actor,
            Action.REPORT_OWN,
            subject,
            message=_("自查版报告仅限主体本身通过已绑定的账号获取"),
        )
    elif kind == ReportKind.SPECIAL:
        access.require(
            actor, Action.REPORT_SPECIAL, subject,
            message=_("自然人的报告仅限本人通过已绑定的账号获取") if person and actor.is_staff
            else _("无权获取该主体的专项信用报告"),
        )  # fmt: skip
    elif kind == ReportKind.REVIEW:
        access.require(
            actor, Action.REPORT_REVIEW, message=_("信用审查报告仅限部门工作人员和业务系统获取")
        )
        if person:
            raise ValidationFailed.one(
                "subject", "person_own_only", _("自然人的报告仅限本人通过已绑定的账号获取")
            )
        purpose = purpose_check(purpose, required=True)
    if kind == ReportKind.SPECIAL:
        picked = special.domains_pick(list(domains or []))
        start, end = special.period_check(
            period_from, period_to, today=timezone.localdate(),
            max_years=policy().special_max_years,
        )  # fmt: skip
        # A department's special report states what it was obtained for (as a review does).
        purpose = purpose_check(purpose, required=actor.is_staff)
        return Request(kind, subject, purpose, tuple(picked), (start, end))
    if domains or period_from or period_to:
        field = "domains" if domains else "period_from" if period_from else "period_to"
        raise ValidationFailed.one(field, "special_only", _("领域和查询期仅用于专项信用报告"))
    return Request(kind, subject, purpose)


def _notes(kind: str, days: int) -> list[str]:
    notes = [
        _("本报告依据《公共信用信息报告标准》出具，信息来源于各部门按照全国公共信用信息基础目录"
          "向本平台归集的公共信用信息，反映截至出具时间本平台掌握的情况。"),
        _("标注“异议中”的信息正在异议核查中；标注“已修复”的信息已完成信用修复。"),
    ]  # fmt: skip
    if kind == ReportKind.PUBLIC:
        notes.append(_("本报告为公开版，仅包含依法依规向社会公开的信息，公示期满的信息不再展示。"))
    elif kind == ReportKind.OWN:
        notes.append(_("本报告为自查版，供信用主体了解自身信用状况，含有条件共享信息，请勿公开。"))
    elif kind == ReportKind.SPECIAL:
        notes.append(
            _("本报告按发改财金〔2025〕565号文件关于以专项信用报告替代有无违法违规记录证明的要求出具："
              "所选领域在查询期内“未发现”违法违规记录的，可替代该领域主管部门出具的相应证明。")
        )  # fmt: skip
    else:
        notes.append(
            _("本报告为信用审查报告，含申请部门依共享规则可查看的信息，仅限报告所载用途使用，"
              "不得对外提供；本次查询已记入审计日志。")
        )  # fmt: skip
    notes.append(
        _("本报告自出具之日起 %(days)d 日内有效。报告真伪可通过报告编号和验证码在本平台核验，"
          "或使用平台公布的公钥验证随附数据文件的电子签名。") % {"days": days}
    )  # fmt: skip
    return notes


def _requester(actor: Actor, req: Request, names: dict[int, str]) -> list[LabelValue]:
    out = []
    if req.kind == ReportKind.REVIEW or (req.kind == ReportKind.SPECIAL and actor.is_staff):
        name = names.get(actor.department_id) or settings.XINYONG_PLATFORM_NAME
        out.append(LabelValue(name=_("申请部门"), value=name))
    if req.purpose:
        out.append(LabelValue(name=_("用途"), value=req.purpose))
    if req.period:
        out.append(LabelValue(name=_("查询期"), value=f"{req.period[0]} 至 {req.period[1]}"))
    return out


TITLES = {
    ReportKind.PUBLIC: (_lazy("公共信用信息报告"), _lazy("公开版")),
    ReportKind.OWN: (_lazy("公共信用信息报告"), _lazy("自查版")),
    ReportKind.SPECIAL: (_lazy("专项信用报告"), _lazy("替代有无违法违规记录证明")),
    ReportKind.REVIEW: (_lazy("信用审查报告"), _lazy("部门审查用")),
}


def build(
    actor: Actor, req: Request, *, number: str, issued_at: datetime.datetime,
    valid_until: datetime.date, reader: content.FileReader | None = None,
) -> ReportDoc:  # fmt: skip
    """The report's content as of now (reads only). ``reader``: the file reads of a batch's
    chunk of subjects this one is among (read once for all of them)."""
    today = timezone.localdate()
    subject = req.subject
    suggestions = req.kind in (ReportKind.PUBLIC, ReportKind.OWN)
    if req.kind == ReportKind.SPECIAL:
        sections = special.special_sections(subject, list(req.domains), *req.period)
        names = department_names()
    else:
        reader = reader or content.FileReader(req.kind, actor, [subject.pk], today)
        sections, names = reader.sections(subject.pk), reader.names
    if req.kind == ReportKind.SPECIAL:
        found = _("发现 %(n)d 条记录")
        overview = [
            LabelValue(name=s.title, value=found % {"n": s.total} if s.found else _("未发现"))
            for s in sections
        ]
    else:
        overview = content.overview(sections)
    return ReportDoc(
        number=number,
        kind=req.kind,
        title=str(TITLES[req.kind][0]),
        edition=str(TITLES[req.kind][1]),
        issuer=settings.XINYONG_PLATFORM_NAME,
        issued_at=timezone.localtime(issued_at).isoformat(timespec="seconds"),
        valid_until=valid_until.isoformat(),
        subject=content.subject_block(subject),
        requester=_requester(actor, req, names),
        notes=_notes(req.kind, (valid_until - timezone.localtime(issued_at).date()).days),
        overview=overview,
        sections=sections,
        suggestions=content.suggestions(sections) if suggestions else [],
        verify_url=f"{settings.XINYONG_PUBLIC_URL}/verify/",
    )  # fmt: skip


@dataclass(frozen=True)
class Issued:
    report: Report
    code: str  # the verification code: printed on the PDF, given to the requester once
    pdf: bytes


def new_number(now: datetime.datetime | None = None) -> str:
    return f"XY{timezone.localtime(now or timezone.now()):%Y%m%d}{_random(8)}"


def prepare(
    actor: Actor, req: Request, *, valid_days: int, number: str | None = None,
    code: str | None = None, reader: content.FileReader | None = None,
) -> tuple[Report, str, bytes]:  # fmt: skip
    """Number, content, PDF and signature of one report (unsaved); reads only. A batch
    hands in the number and the code it derives from it, and the reads of its chunk
    (services/batch.py)."""
    now = timezone.now()
    number = number or new_number(now)
    code = code or _random(6)
    valid_until = timezone.localtime(now).date() + datetime.timedelta(days=valid_days)
    doc = build(actor, req, number=number, issued_at=now, valid_until=valid_until,
                reader=reader)  # fmt: skip
    pdf = render_pdf(doc, code=code, link=verify_link(number, code))
    doc.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    twin = doc.model_dump(mode="json")
    digest, key, signature = sign(twin)
    report = Report(
        number=number, code_hash=code_hash(number, code), kind=req.kind,
        subject_id=req.subject.pk,
        department_id=actor.department_id if actor.is_staff else None,
        user_id=actor.user_id, requested_by=actor.label if not actor.is_anonymous else "",
        purpose=req.purpose,
        domains=[d.code for d, _deps in req.domains],
        period_from=req.period[0] if req.period else None,
        period_to=req.period[1] if req.period else None,
        issued_at=now, valid_until=valid_until, twin=twin, content_sha256=digest,
        subject_name=doc.subject.name[:200], subject_code=doc.subject.code[:64],
        issuer=doc.issuer[:200], pdf_sha256=doc.pdf_sha256, pdf_size=len(pdf), key_id=key,
        signature=signature,
    )  # fmt: skip
    return report, code, pdf


def pdf_path(number: str):
    return settings.XINYONG_REPORT_DIR / number[2:8] / f"{number}.pdf"


def store(report: Report, pdf: bytes) -> None:
    """Seal the PDF at its place (before the row that names it is committed)."""
    path = pdf_path(report.number)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    sealed.seal(tmp, sealed.blocks_of(pdf))
    tmp.replace(path)


def signing_key_note(now: datetime.datetime) -> None:
    """Remember the key signing now (published; keeps old reports verifiable)."""
    key, public = current_public()
    # Insert-or-nothing first, then update: two workers on a new key (batch shards) never
    # race into the unique key's IntegrityError, as UPDATE-then-INSERT did.
    SigningKey.objects.bulk_create(
        [SigningKey(key_id=key, public_key=public, first_used_at=now, last_used_at=now)],
        ignore_conflicts=True,
    )
    SigningKey.objects.filter(key_id=key, last_used_at__lt=now).update(last_used_at=now)


def report_issue(
    *, actor: Actor, kind: str, subject, purpose: str = "", domains: list[str] | None = None,
    period_from: datetime.date | None = None, period_to: datetime.date | None = None,
) -> Issued:  # fmt: skip
    """Issue one report for ``subject``. The public report of an organisation is free and
    open to anyone; the others follow :class:`~xinyong.accounts.access.Action`'s rules.
    Reading a non-public report's content is audited in the one event of the issue."""
    req = report_request_check(
        actor=actor, kind=kind, subject=subject, purpose=purpose, domains=domains,
        period_from=period_from, period_to=period_to,
    )  # fmt: skip
    report, code, pdf = prepare(actor, req, valid_days=policy().validity_days)
    store(report, pdf)
    with transaction.atomic(durable=True):
        issued_record(actor, report)
    return Issued(report, code, pdf)


def issued_record(actor: Actor, report: Report, *, key_noted: bool = False) -> None:
    """Step (no transaction of its own): save a prepared and stored report with the one
    audit event naming it, in the caller's transaction — a single issue's or a batch's,
    which issues each of its reports with this same step (``key_noted``: the batch noted
    its process's signing key before its first report)."""
    if not key_noted:
        signing_key_note(report.issued_at)
    report.save()
    detail = {"kind": report.kind, "subject": report.subject_id, "purpose": report.purpose,
              "domains": report.domains, "pdf_sha256": report.pdf_sha256}  # fmt: skip
    if report.batch_id:
        detail["batch"] = report.batch_id
    audit_event_append(
        actor=actor, action=AuditAction.REPORT_ISSUE, object_type="report",
        object_id=report.number, detail=detail,
    )  # fmt: skip
