"""The rule table: who may take each :class:`~.actions.Action` on an object
(:func:`allowed`, :func:`require`), and on a whole queryset at once (:func:`acting_q`),
with the rules it is built on (who serves a subject, who watches persons' changes)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access.actions import _AS_DEPARTMENT, NO_DEPARTMENT, Action
from xinyong.accounts.access.scoping import NOTHING, _model, visible_provider_ids
from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import ApiScope
from xinyong.core.errors import NotFound, PermissionDenied


def _without_department(actor: Actor, action) -> bool:
    """Staff acting in a department's name with no department (an operator account may
    have none): refused, with :data:`NO_DEPARTMENT` as the reason."""
    return (
        action in _AS_DEPARTMENT and actor.is_staff and not actor.is_auditor
        and actor.department_id is None
    )  # fmt: skip


def serves(actor: Actor, subject_id: int, source_department_id: int | None = None) -> bool:
    """A department serves a subject when it registered it: it keeps the subject's basic
    registration, knows who speaks for it, and only then may it speak for the subject,
    e.g. file an objection on its behalf. (A credit check does not make a department the
    subject's: any department may check any subject for any matter, so "checked lately"
    would let any department dispute any other's records.)"""
    if not actor.is_department_staff:
        return False
    if source_department_id is None:
        Subject = _model("subjects", "Subject")
        source_department_id = (
            Subject.objects.filter(pk=subject_id).values_list("source_department_id", flat=True)
        ).first()
    return source_department_id == actor.department_id


def _bound(actor: Actor, subject_id: int) -> bool:
    from xinyong.remedies.choices import BindingStatus

    SubjectBinding = _model("remedies", "SubjectBinding")

    return SubjectBinding.objects.filter(
        user_id=actor.user_id, subject_id=subject_id, status=BindingStatus.APPROVED
    ).exists()


def _rule(actor: Actor, action: Action, obj) -> bool:
    A = Action
    if action == A.CREDIT_CHECK:  # first: asked on the hot path of every check
        return actor.is_staff and not actor.is_auditor
    if action == A.ADMINISTER:
        return actor.may_administer
    if action == A.SUBJECT_REGISTER:
        return actor.is_operator or actor.is_department_staff
    if action == A.SUBJECT_CHANGE:
        return actor.is_operator or (
            actor.is_department_staff and obj.source_department_id == actor.department_id
        )
    if action == A.RELATED_PERSON_END:
        return actor.is_operator or (
            actor.is_department_staff and obj.provider_id == actor.department_id
        )
    if action == A.PERSON_REVEAL:
        return actor.reads_person_data
    if action == A.RECORD_SUBMIT:
        return actor.is_operator or actor.may_prepare or authorised_association(actor)
    if action in (A.RECORD_WITHDRAW, A.BATCH_RETRY):
        if actor.is_association:
            return obj.provider_id == actor.department_id and authorised_association(actor)
        return actor.is_operator or (actor.may_prepare and obj.provider_id == actor.department_id)
    if action == A.OBJECTION_FILE:  # obj: the subject
        if actor.is_portal_account:
            return _bound(actor, obj.pk)
        return actor.is_operator or (
            actor.may_prepare and serves(actor, obj.pk, obj.source_department_id)
        )
    if action == A.OBJECTION_ROUTE:
        return actor.is_operator
    if action == A.OBJECTION_DECIDE:
        return actor.is_department_staff and obj.provider_id == actor.department_id
    if action == A.SUBJECT_BIND:
        return actor.is_portal_account and actor.user_id is not None
    if action == A.BINDING_REVIEW:
        return actor.is_operator or (
            actor.is_department_staff and obj.subject.source_department_id == actor.department_id
        )
    if action == A.REPAIR_DECIDE:
        if actor.is_association:  # the repair of its own censure
            return obj.department_id == actor.department_id and authorised_association(actor)
        return actor.may_decide and obj.department_id == actor.department_id
    if action == A.EVALUATION_VIEW:  # obj: the subject
        if actor.is_portal_account:
            return _bound(actor, obj.pk)
        return actor.is_staff
    if action == A.REPORT_OWN:  # obj: the subject
        return actor.is_portal_account and _bound(actor, obj.pk)
    if action == A.REPORT_SPECIAL:  # obj: the subject (None: may the actor at all)
        if actor.is_portal_account:
            return obj is not None and _bound(actor, obj.pk)
        if obj is not None and obj.kind == "person":
            return False  # a person's special report: its bound account only
        return actor.is_staff and not actor.is_auditor and actor.department_id is not None
    if action == A.REPORT_REVIEW:
        speaks = actor.is_department_staff or actor.is_operator
        return speaks and not actor.is_auditor and actor.department_id is not None
    if action == A.REPORT_FILE:  # obj: the report
        if obj.department_id is not None:
            return actor.is_operator or (
                actor.is_staff and not actor.is_auditor
                and obj.department_id == actor.department_id
            )  # fmt: skip
        return (
            actor.is_portal_account and obj.user_id is not None
            and obj.user_id == actor.user_id
            and (obj.kind == "public" or _bound(actor, obj.subject_id))
        )  # fmt: skip
    # obj: None (submit / create), or the batch (its ZIP) / the subscription
    if action in (A.REPORT_BATCH, A.WEBHOOK_MANAGE):
        if obj is None:
            speaks = actor.is_department_staff or actor.is_operator
            return speaks and not actor.is_auditor and actor.department_id is not None
        return actor.acts_for_department(obj.department_id)
    if action == A.AUDIT_READ:
        return actor.reads_all_departments
    if action == A.REMEDY_QUEUE:
        return actor.is_operator or actor.is_department_staff
    if action == A.REPAIR_QUEUE:
        return actor.is_operator or actor.is_department_staff or authorised_association(actor)
    if action == A.ENTRY_STATEMENT:  # obj: the entry
        return actor.is_portal_account and _bound(actor, obj.subject_id)
    if action == A.ENTRY_DOCUMENT:  # obj: the entry
        if actor.is_portal_account:
            return _bound(actor, obj.subject_id)
        return actor.is_staff
    if action == A.DEPARTMENT_ACT:
        speaks = actor.is_department_staff or actor.is_operator
        return speaks and obj.department_id == actor.department_id
    if action in (A.COMMITMENT_SIGN, A.DECLARATION_SUBMIT, A.DEMONSTRATION_APPLY):  # subject
        return actor.is_portal_account and _bound(actor, obj.pk)
    if action == A.COMMITMENT_HANDLE:  # obj: the commitment (None: record a paper one)
        if not (actor.is_department_staff or actor.is_operator) or actor.department_id is None:
            return False
        return obj is None or obj.department_id == actor.department_id
    if action == A.COMMITMENT_DECIDE:
        return actor.may_decide and obj.department_id == actor.department_id
    if action == A.COMMITMENT_STATEMENT:
        return actor.is_portal_account and _bound(actor, obj.subject_id)
    if action == A.DECLARATION_VERIFY:
        if actor.is_operator:
            return True
        return actor.is_department_staff and obj.department_id == actor.department_id
    if action in (A.SUPERVISION_MANAGE, A.DEMONSTRATION_MANAGE):
        if actor.is_operator:
            return True
        if not actor.is_department_staff:
            return False
        return obj is None or obj.department_id == actor.department_id
    if action == A.DEMONSTRATION_DECIDE:
        return actor.is_operator or (actor.may_decide and obj.department_id == actor.department_id)
    if action == A.SCORECARD_VIEW:  # obj: the department (None: any)
        if actor.reads_all_departments:
            return True
        return actor.is_department_staff and (obj is None or obj.pk == actor.department_id)
    if action == A.MONTHLY_REPORT_GENERATE:
        return actor.is_operator
    if action == A.WEBHOOK_WATCH:  # obj: the subject
        if obj.kind != "person":
            return actor.is_staff and not actor.is_auditor
        return watches_persons(actor) and serves(actor, obj.pk, obj.source_department_id)
    # Public bodies' notices and staff misconduct (issue #18, item 6)
    if action == A.NOTICE_ACKNOWLEDGE:  # obj: the receipt
        return (
            actor.is_department_staff and obj.department_id is not None
            and obj.department_id == actor.department_id
        )  # fmt: skip
    if action == A.NOTICE_RECEIPT_RECORD:  # obj: the receipt
        return actor.is_operator or (
            actor.is_department_staff and obj.issuer_id == actor.department_id
        )
    if action == A.MISCONDUCT_RECORD:
        speaks = actor.is_department_staff or actor.is_operator
        return speaks and not actor.is_auditor and actor.department_id is not None
    # Practitioner credit files (issue #18, item 7)
    if action == A.PRACTITIONER_REGISTER:  # obj: the profession
        return actor.may_prepare and obj.department_id == actor.department_id
    if action == A.PRACTITIONER_FILE_READ:  # obj: the practitioner
        if actor.is_portal_account:
            return _bound(actor, obj.person_id)
        if actor.is_operator:
            return True
        if not actor.is_department_staff:
            return False
        return obj.department_id in visible_provider_ids(actor)
    if action == A.PRACTITIONER_PUBLIC_READ:  # obj: the profession
        return bool(obj.active and obj.public_fields and (obj.publish_basis or "").strip())
    # Early warning (issue #18).
    if action == A.ALERT_QUEUE:
        return actor.reads_all_departments or actor.is_department_staff
    if action == A.ALERT_HANDLE:  # obj: the alert
        return not actor.is_auditor and actor.acts_for_department(obj.department_id)
    if action == A.ALERT_PRECISION:  # obj: the department (None: any)
        if actor.reads_all_departments:
            return True
        return actor.is_department_staff and (obj is None or obj.pk == actor.department_id)
    if action == A.WARNING_NOTICE_READ:  # obj: the notice
        if actor.is_portal_account:
            return _bound(actor, obj.subject_id)
        return actor.reads_all_departments or (
            actor.is_department_staff and obj.department_id == actor.department_id
        )
    # -- Rewarded tips (issue #18 item 3) --
    if action == A.TIP_QUEUE:
        return actor.reads_all_departments or actor.is_department_staff
    if action == A.TIP_ROUTE:
        return actor.is_operator
    if action == A.TIP_HANDLE:  # obj: the tip
        return actor.is_department_staff and obj.department_id == actor.department_id
    if action == A.TIP_TRANSFER:  # obj: the tip
        if actor.is_operator:
            return True
        return actor.is_department_staff and obj.department_id == actor.department_id
    if action == A.TIP_IDENTITY_READ:  # obj: the tip
        return (
            actor.is_department_staff and not actor.is_client and actor.user_id is not None
            and obj.handler_id == actor.user_id and obj.department_id == actor.department_id
        )  # fmt: skip
    # industry associations (xinyong/associations)
    if action == A.ASSOCIATION_AUTHORISE:  # obj: the authorisation (None: grant one)
        if actor.is_operator:
            return True
        if not actor.is_department_staff:
            return False
        return obj is None or obj.granted_by_id == actor.department_id
    if action == A.ASSOCIATION_ACT:  # obj: has association_id (None: any of its own)
        if not authorised_association(actor):
            return False
        return obj is None or obj.association_id == actor.department_id
    if action == A.ASSOCIATION_SIGN:  # obj: the subject
        return actor.is_portal_account and _bound(actor, obj.pk)
    if action == A.ASSOCIATION_STATEMENT:  # obj: the sanction
        return actor.is_portal_account and _bound(actor, obj.subject_id)
    if action == A.ASSOCIATION_SUBJECT_VIEW:  # obj: the subject
        return actor.is_staff
    # credit service agencies (xinyong.agencies)
    if action in (A.AGENCY_ACT, A.AGENCY_AUTHORISE):  # obj: the subject
        return actor.is_portal_account and _bound(actor, obj.pk)
    if action == A.AGENCY_VIEW:
        return actor.is_staff
    if action == A.AGENCY_REVIEW:
        return actor.is_operator
    if action == A.AGENCY_MISCONDUCT:
        speaks = actor.is_department_staff or actor.is_operator
        return speaks and not actor.is_auditor and actor.department_id is not None
    raise ValueError(f"unknown action {action!r}")


def authorised_association(actor: Actor) -> bool:
    """An industry association's people while an authorisation of it is in force today:
    asked afresh at every step, so that ending the authorisation ends their powers at once."""
    if not actor.is_association:
        return False
    today = timezone.localdate()
    return (
        _model("associations", "Authorisation")
        .objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
            association_id=actor.department_id,
            status="active",
            valid_from__lte=today,
        )
        .exists()
    )


def watches_persons(actor: Actor) -> bool:
    """May watch persons' changes at all (those its department serves): a department's
    staff reading persons' data; a business system only with the ``persons:read`` scope."""
    return (
        actor.is_department_staff
        and actor.reads_person_data
        and actor.has_scope(ApiScope.PERSONS_READ)
    )


# The scope a business system needs for each kind of change (``exchange.choices.Feed``):
# the same as for reading that feed by its cursor; users act by their role (staff).
FEED_SCOPES = {"evaluations": "evaluation:read"}
FEED_SCOPE_DEFAULT = "publicity:read"


def feed_allowed(actor: Actor, feed: str) -> bool:
    """Whether ``actor`` may be told of changes of ``feed`` (a subscription's kind)."""
    if not actor.is_staff or actor.is_auditor:
        return False
    return actor.has_scope(FEED_SCOPES.get(feed, FEED_SCOPE_DEFAULT))


def acting_q(actor: Actor, action: Action) -> Q:
    """The rows on which ``actor`` may take ``action``, as a filter on the acted-on model —
    :func:`allowed` for a whole queryset at once (the back-office to-do lists count them at
    a million subjects, so they cannot ask row by row). Only the actions a to-do list
    offers; a test holds each equal to :func:`allowed` on sample rows."""
    A = Action
    dept = actor.department_id
    if action in (A.RECORD_WITHDRAW, A.BATCH_RETRY):  # a batch or a record
        if actor.is_operator:
            return Q()
        return Q(provider_id=dept) if actor.may_prepare else NOTHING
    if action == A.OBJECTION_ROUTE:
        return Q() if actor.is_operator else NOTHING
    if action == A.OBJECTION_DECIDE:
        return Q(provider_id=dept) if actor.is_department_staff else NOTHING
    if action == A.BINDING_REVIEW:
        if actor.is_operator:
            return Q()
        return Q(subject__source_department_id=dept) if actor.is_department_staff else NOTHING
    if action == A.REPAIR_DECIDE:
        if actor.is_association:
            return Q(department_id=dept) if authorised_association(actor) else NOTHING
        return Q(department_id=dept) if actor.may_decide else NOTHING
    if action == A.DEPARTMENT_ACT:
        speaks = actor.is_department_staff or actor.is_operator
        return Q(department_id=dept) if speaks and dept is not None else NOTHING
    if action == A.COMMITMENT_HANDLE:
        may = (actor.is_department_staff or actor.is_operator) and dept is not None
        return Q(department_id=dept) if may else NOTHING
    if action == A.COMMITMENT_DECIDE:
        return Q(department_id=dept) if actor.may_decide else NOTHING
    # a declaration, an inspection plan (or task: plan__department_id), a subscription
    if action in (
        A.DECLARATION_VERIFY,
        A.SUPERVISION_MANAGE,
        A.WEBHOOK_MANAGE,
        A.DEMONSTRATION_MANAGE,
    ):
        if actor.is_operator:
            return Q()
        return Q(department_id=dept) if actor.is_department_staff else NOTHING
    if action == A.DEMONSTRATION_DECIDE:
        if actor.is_operator:
            return Q()
        return Q(department_id=dept) if actor.may_decide else NOTHING
    if action == A.NOTICE_ACKNOWLEDGE:  # a receipt
        return Q(department_id=dept) if actor.is_department_staff else NOTHING
    if action == A.NOTICE_RECEIPT_RECORD:  # a receipt
        if actor.is_operator:
            return Q()
        return Q(issuer_id=dept) if actor.is_department_staff else NOTHING
    if action == A.TIP_ROUTE:  # a tip
        return Q() if actor.is_operator else NOTHING
    if action == A.TIP_HANDLE:  # a tip
        return Q(department_id=dept) if actor.is_department_staff else NOTHING
    raise ValueError(f"no set rule for action {action!r}")


def allowed(actor: Actor, action: Action, obj=None) -> bool:
    """Whether ``actor`` may take ``action`` on ``obj`` (for a page deciding what to offer)."""
    return _rule(actor, action, obj)


def require(actor: Actor, action: Action, obj=None, *, message: str = "",
            hide: bool = False) -> None:  # fmt: skip
    """Refuse unless ``actor`` may take ``action`` on ``obj``: ``PermissionDenied`` naming
    the action, or ``NotFound`` with ``hide`` (another subject's data stays unseen)."""
    if _rule(actor, action, obj):
        return
    if _without_department(actor, action):
        raise PermissionDenied(str(NO_DEPARTMENT))
    if hide:
        raise NotFound(message or str(_("没有该对象，或无权查看")))
    raise PermissionDenied(message or str(_("无权%(action)s") % {"action": Action(action).label}))
