"""Reads: where each department-scoped model's owning department is (:class:`Scope`), and
the one read rule as a filter (:func:`visible_q`), behind ``Model.objects.visible_to``.
See the package's docstring for the rule in words. Imports no models (app registry)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from xinyong.accounts.actors import Actor

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    """Where a model's owning department is, and who else reads its rows."""

    department: str  # path to the owning department's id: "provider_id", "batch__provider_id"
    shared: bool = False  # sharing rules in force widen it (shared, not restricted, data)
    auditor: bool = True  # the auditor reads every row
    everyone: Callable[[], Q] | None = None  # rows every department reads (published)
    subject: str | None = None  # path to the subject: a bound portal account reads its own
    also: tuple[str, ...] = ()  # further department paths that own the row too
    own_only: Callable[[], Q] | None = None  # rows only the owning department reads
    account: str | None = None  # path to a portal account's user id: it reads its own rows
    # path to an industry association's department id: its people read those rows, and no
    # model's rows at all without it (an association is no government department)
    association: str | None = None


def _model(app_label: str, name: str):
    """A model by name: the models of every app declare their managers with this module,
    so it reaches them through the app registry rather than by importing them."""
    return apps.get_model(app_label, name)


def visible_provider_ids(actor: Actor) -> set[int] | None:
    """Departments whose non-public data ``actor`` may see: its own plus those sharing with
    it under a rule in force today. ``None`` means every department (platform operator)."""
    SharingRule = _model("accounts", "SharingRule")

    if actor.writes_all_departments:
        return None
    if actor.department_id is None or not actor.is_staff:
        return set()
    today = timezone.localdate()
    shared = SharingRule.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        consumer_id=actor.department_id,
        valid_from__lte=today,
    ).values_list("provider_id", flat=True)
    return {actor.department_id, *shared}


def bound_subject_ids(actor: Actor):
    """The subjects a portal account acts for (approved bindings), as a subquery."""
    from xinyong.remedies.choices import BindingStatus

    SubjectBinding = _model("remedies", "SubjectBinding")

    return SubjectBinding.objects.filter(
        user_id=actor.user_id, status=BindingStatus.APPROVED
    ).values("subject_id")


def visible_q(actor: Actor, scope: Scope) -> Q:
    """The one read rule (see the module's docstring) as a filter on a model's rows."""
    if actor.is_operator:
        return Q()
    if actor.is_auditor:
        if scope.auditor:
            return Q()
        return scope.everyone() if scope.everyone is not None else NOTHING
    if actor.is_public:
        if not actor.is_portal_account or actor.user_id is None:
            return NOTHING
        q = NOTHING
        if scope.subject:
            q |= Q(**{f"{scope.subject}__in": bound_subject_ids(actor)})
        if scope.account:
            q |= Q(**{scope.account: actor.user_id})
        return q
    if actor.is_association:
        if scope.association is None:
            return NOTHING
        return Q(**{scope.association: actor.department_id})
    if not actor.is_department_staff:
        return NOTHING
    own = Q(**{scope.department: actor.department_id})
    if scope.shared:
        q = Q(**{f"{scope.department}__in": visible_provider_ids(actor)})
        if scope.own_only is not None:
            q = own | (q & ~scope.own_only())
    else:
        q = own
    for path in scope.also:
        q |= Q(**{path: actor.department_id})
    if scope.everyone is not None:
        q |= scope.everyone()
    return q


class ScopedQuerySet(models.QuerySet):
    """``visible_to(actor)``: the rows of a department-scoped model the actor may read."""

    scope: Scope

    def visible_to(self, actor: Actor):
        return self.filter(visible_q(actor, self.scope))


def scoped_manager(scope: Scope, base: type[models.QuerySet] = ScopedQuerySet):
    """The manager a department-scoped model declares as ``objects``."""
    qs_class = type(f"Scoped{base.__name__}", (base,), {"scope": scope})
    return qs_class.as_manager()
