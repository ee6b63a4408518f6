"""What the agencies' services share: the rules of a text, the agency an account acts for,
an agency by id for the back office, a person registered as a subject."""

from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.agencies.models import Agency
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog.rowschema import printable
from xinyong.core import crypto
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.inputs import DB_INT_MAX
from xinyong.subjects.choices import SubjectKind
from xinyong.subjects.models import Subject
from xinyong.subjects.services import check_person_id, clean_name


def text(errors: list, field: str, value, limit: int, missing: str = "") -> str:
    """A text someone wrote: present (when ``missing`` says what to write), within
    ``limit`` characters, printable."""
    value = (value or "").strip() if isinstance(value, str) else ""
    if not value:
        if missing:
            errors.append(FieldError(field, "required", missing))
    elif len(value) > limit:
        errors.append(
            FieldError(field, "max_length", gettext("不得超过 %(n)s 个字") % {"n": limit})
        )
    elif printable(value) != value:
        message = gettext("含有不可显示的控制字符，请删除后重新填写")
        errors.append(FieldError(field, "text.control_char", message))
    return value


def valid_id(value) -> bool:
    return isinstance(value, int) and 0 < value <= DB_INT_MAX


def own_subject(actor: Actor, subject_id: int, action: Action = Action.AGENCY_ACT) -> Subject:
    """The subject the portal account acts for (approved binding); another is not found."""
    subject = Subject.objects.filter(pk=subject_id).first() if valid_id(subject_id) else None
    if subject is None or not access.allowed(actor, action, subject):
        raise NotFound(gettext("没有绑定主体 %(id)s") % {"id": subject_id})
    return subject


def own_agency(actor: Actor, subject_id: int, *, lock: bool = False) -> Agency:
    """The agency whose subject the account is bound to (not filed yet: not found)."""
    subject = own_subject(actor, subject_id)
    qs = Agency.objects.select_related("subject")
    if lock:
        qs = qs.select_for_update(of=("self",))
    agency = qs.filter(subject=subject).first()
    if agency is None:
        raise NotFound(gettext("该主体尚未办理信用服务机构备案"))
    return agency


def office_agency(actor: Actor, agency_id: int, action: Action, *, lock=False) -> Agency:
    """An agency for a back-office step the access rules allow ``actor``."""
    access.require(actor, action)
    qs = Agency.objects.select_related("subject")
    if lock:
        qs = qs.select_for_update(of=("self",))
    agency = qs.filter(pk=agency_id).first() if valid_id(agency_id) else None
    if agency is None:
        raise NotFound(gettext("没有信用服务机构 %(id)s") % {"id": agency_id})
    return agency


def person_input(errors: list, prefix: str, name, id_type, id_number) -> dict | None:
    """A person's name and identifier as typed, checked; the identifier only ever leaves
    here protected (hash, ciphertext, mask)."""
    before = len(errors)
    try:
        name = clean_name(name or "", field=f"{prefix}name", label=gettext("姓名"))
    except ValidationFailed as e:
        errors.extend(e.errors)
    try:
        number = check_person_id(id_type or "", id_number or "", field=f"{prefix}id_number")
    except ValidationFailed as e:
        for err in e.errors:
            field = f"{prefix}id_type" if err.field == "id_type" else err.field
            errors.append(FieldError(field, err.rule, err.message))
        number = ""
    if len(errors) > before:
        return None
    return {"name": name, **crypto.protect_identifier(id_type, number)}


def person_subject(actor: Actor, person: dict) -> Subject:
    """The person as a subject — the one registered with this identifier, or registered
    now (in the caller's transaction, audited) — so that it has a credit file."""
    found = Subject.objects.filter(
        kind=SubjectKind.PERSON, id_type=person["id_type"], id_hash=person["id_hash"]
    ).first()
    if found is not None:
        return found
    subject = Subject.objects.create(
        kind=SubjectKind.PERSON, name=person["name"], id_type=person["id_type"],
        id_hash=person["id_hash"], id_encrypted=person["id_encrypted"],
        id_masked=person["id_masked"],
    )  # fmt: skip
    audit_event_append(
        actor=actor, action=AuditAction.SUBJECT_CREATE, object_type="subject",
        object_id=subject.pk,
        detail={"kind": SubjectKind.PERSON, "id_masked": subject.id_masked, "via": "agency"},
    )  # fmt: skip
    return subject


def now():
    return timezone.now()
