"""Writes for departments, users, sharing rules and API clients; each one transaction and
one audit event."""

import datetime
import re
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import ApiScope, DepartmentKind, Role
from xinyong.accounts.models import ApiClient, Department, SharingRule, User
from xinyong.accounts.tokens import TOKEN_PREFIX, api_clients_forget, hash_token
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed


def _require_operator(actor: Actor) -> None:
    access.require(actor, Action.ADMINISTER,
                   message="只有平台运营（信用办）可以维护部门、用户和接口客户端")  # fmt: skip


def department_save(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    uscc: str = "",
    authority_usccs: list[str] | None = None,
) -> Department:
    """Create or update a department by its code; ``authority_usccs``: the authorities
    whose decisions it reports besides its own (None keeps those registered)."""
    from xinyong.subjects.identifiers import IdentifierError, validate_uscc

    _require_operator(actor)
    errors = []
    if not code.strip():
        errors.append(FieldError("code", "department.code_required", gettext("部门编码不能为空")))
    if not name.strip():
        errors.append(FieldError("name", "department.name_required", gettext("部门名称不能为空")))
    codes = []
    for i, raw in enumerate(authority_usccs or []):
        try:
            codes.append(validate_uscc(raw))
        except IdentifierError as e:
            errors.append(FieldError(f"authority_usccs[{i}]", e.rule, e.message))
    if errors:
        raise ValidationFailed(errors)
    defaults = {"name": name.strip(), "kind": kind, "uscc": uscc}
    if authority_usccs is not None:
        defaults["authority_usccs"] = codes
    with transaction.atomic():
        dept, created = Department.objects.update_or_create(code=code.strip(), defaults=defaults)
        audit_event_append(
            actor=actor,
            action=AuditAction.DEPARTMENT_SAVE,
            object_type="department",
            object_id=dept.pk,
            detail={"code": dept.code, "name": dept.name, "kind": kind, "created": created},
        )
    return dept


def sharing_rule_save(
    *,
    actor: Actor,
    provider: Department,
    consumer: Department,
    purpose: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> SharingRule:
    _require_operator(actor)
    if provider.pk == consumer.pk:
        raise ValidationFailed(
            [
                FieldError(
                    "consumer",
                    "sharing_rule.not_self",
                    gettext("共享规则的使用部门不能是提供部门本身"),
                )
            ]
        )
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed(
            [FieldError("valid_to", "sharing_rule.period", gettext("失效日期不能早于生效日期"))]
        )
    with transaction.atomic():
        rule, _ = SharingRule.objects.update_or_create(
            provider=provider,
            consumer=consumer,
            defaults={"purpose": purpose, "valid_from": valid_from, "valid_to": valid_to},
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.SHARING_RULE_SAVE,
            object_type="sharing_rule",
            object_id=rule.pk,
            detail={
                "provider": provider.code,
                "consumer": consumer.code,
                "purpose": purpose,
                "valid_from": valid_from,
                "valid_to": valid_to,
            },
        )
    return rule


def user_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    department: Department | None = None,
    display_name: str = "",
) -> User:
    _require_operator(actor)
    if role not in Role.values:
        raise ValidationFailed(
            [FieldError("role", "user.role", gettext("未知角色“%(role)s”") % {"role": role})]
        )
    needs_dept = role in (Role.DEPARTMENT_OPERATOR, Role.DEPARTMENT_REVIEWER)
    if needs_dept and department is None:
        raise ValidationFailed(
            [
                FieldError(
                    "department",
                    "user.department_required",
                    gettext("部门经办人和审核人必须属于某个部门"),
                )
            ]
        )
    association = department is not None and department.kind == DepartmentKind.ASSOCIATION
    if (role == Role.ASSOCIATION_CLERK) != association:
        raise ValidationFailed(
            [
                FieldError(
                    "department",
                    "user.association_department",
                    gettext("行业协会商会经办人须属于行业协会商会，行业协会商会只能设经办人"),
                )
            ]
        )  # an association's people never hold a government department's roles
    if User.objects.filter(username=username).exists():
        raise Conflict(
            "username",
            "user.username_unique",
            gettext("用户名“%(username)s”已存在") % {"username": username},
        )
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            role=role,
            department=department,
            display_name=display_name,
            is_staff=role != Role.PUBLIC,
            is_superuser=role == Role.PLATFORM_OPERATOR,
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.USER_SAVE,
            object_type="user",
            object_id=user.pk,
            detail={
                "username": username,
                "role": role,
                "department": department and department.code,
            },
        )
    return user


def api_client_issue(
    *,
    actor: Actor,
    name: str,
    department: Department,
    scopes: list[str],
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiClient, str]:
    """Issue a client and return it with its token, which is never retrievable again."""
    _require_operator(actor)
    name = (name or "").strip()
    errors = []
    if not name or len(name) > 100:
        errors.append(
            FieldError("name", "api_client.name", gettext("请填写业务系统名称（100 字以内）"))
        )
    unknown = sorted(set(scopes) - set(ApiScope.values))
    if unknown:
        errors.append(
            FieldError(
                "scopes",
                "api_client.scope",
                gettext("未知权限范围：%(join)s") % {"join": ", ".join(unknown)},
            )
        )
    elif not scopes:
        errors.append(FieldError("scopes", "api_client.scope", gettext("请至少选择一项权限范围")))
    if errors:
        raise ValidationFailed(errors)
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        client = ApiClient.objects.create(
            name=name,
            department=department,
            token_prefix=prefix,
            token_hash=hash_token(token),
            scopes=sorted(set(scopes)),
            expires_at=expires_at,
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.API_CLIENT_ISSUE,
            object_type="api_client",
            object_id=client.pk,
            detail={"name": name, "department": department.code, "scopes": client.scopes},
        )
    return client, token


def api_client_revoke(*, actor: Actor, client: ApiClient) -> None:
    _require_operator(actor)

    with transaction.atomic():
        ApiClient.objects.filter(pk=client.pk).update(is_active=False)
        api_clients_forget()  # harmless if this rolls back: tokens are verified again
        audit_event_append(
            actor=actor,
            action=AuditAction.API_CLIENT_REVOKE,
            object_type="api_client",
            object_id=client.pk,
            detail={"name": client.name, "at": timezone.now()},
        )


USE_MARK_INTERVAL = datetime.timedelta(hours=1)


def api_client_mark_used(*, client: ApiClient) -> None:
    """Record when a client was last seen, so operators can find and revoke stale tokens.
    At most one write an hour per client, to keep it off the hot path of every request;
    not audited, as it changes no credit data."""
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at >= USE_MARK_INTERVAL:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now


_USERNAME = re.compile(r"^[A-Za-z0-9_]{4,30}$")


def portal_account_register(
    *, username: str, password: str, display_name: str, email: str = ""
) -> User:
    """A member of the public makes a portal account (to act for a subject once bound).
    Refused, writing nothing: a malformed or taken username, a weak password (Django's
    validators), no name."""
    username, display_name = (username or "").strip(), (display_name or "").strip()
    errors = []
    if not _USERNAME.match(username):
        message = gettext("用户名应为 4–30 位字母、数字或下划线")
        errors.append(FieldError("username", "username.format", message))
    elif User.objects.filter(username=username).exists():
        errors.append(FieldError("username", "user.username_unique", gettext("该用户名已被使用")))
    if not display_name:
        errors.append(FieldError("display_name", "required", gettext("请填写姓名")))
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors.append(FieldError("email", "email.format", gettext("电子邮箱格式不正确")))
    try:
        validate_password(password, User(username=username))
    except DjangoValidationError as e:
        errors += [FieldError("password", "password.weak", m) for m in e.messages]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            role=Role.PUBLIC,
            display_name=display_name,
            email=email,
        )
        audit_event_append(
            actor=Actor.for_user(user), action=AuditAction.PORTAL_ACCOUNT_REGISTER,
            object_type="user", object_id=user.pk, detail={"username": username},
        )  # fmt: skip
    return user


def portal_password_reset(*, user: User, password: str) -> None:
    """A portal account's new password, set through the link e-mailed to it: the link is
    the proof, so the account itself is the actor. Staff accounts are never reset by
    e-mail (a mailbox would then be enough to reach non-public data): the credit office
    sets their passwords. Also lifts the account's login lockouts, since the holder of
    the mailbox has proved more than a password would."""
    if not access.resets_password_by_email(user):
        raise PermissionDenied(gettext("工作人员账号的密码由市信用办重置，不能通过电子邮件重置"))
    _password_set(actor=Actor.for_user(user), user=user, password=password, how="reset_by_email")


def staff_password_set(*, actor: Actor, user: User, password: str) -> None:
    """The credit office sets a staff member's password (forgotten, or to be changed after
    a suspected leak) and hands it over in person or by official channel; e-mail is never
    used for staff. Lifts the account's login lockouts."""
    _require_operator(actor)
    if not user.is_staff:
        raise ValidationFailed(
            [
                FieldError(
                    "username", "user.not_staff", gettext("门户账号请通过电子邮件自行重置密码")
                )
            ]
        )
    _password_set(actor=actor, user=user, password=password, how="set_by_credit_office")


def _password_set(*, actor: Actor, user: User, password: str, how: str) -> None:
    """A new password checked by Django's validators, the account's lockouts lifted, one
    audit event saying how it was set."""
    from axes.utils import reset as axes_reset

    try:
        validate_password(password, user)
    except DjangoValidationError as e:
        raise ValidationFailed(
            [FieldError("password", "password.weak", m) for m in e.messages]
        ) from None
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        axes_reset(username=user.username)
        audit_event_append(
            actor=actor, action=AuditAction.USER_SAVE, object_type="user", object_id=user.pk,
            detail={"username": user.username, "password": how},
        )  # fmt: skip
