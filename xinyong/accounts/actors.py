"""The acting party of a service call: a back-office user, an API client or the system.

Services take ``actor`` as a keyword so that scoping and the audit trail never have to
guess who is acting. The capabilities below are the one vocabulary of "who may": selectors,
services, views and the API ask these instead of comparing roles and kinds themselves;
the rules built on them live in :mod:`xinyong.accounts.access`."""

from dataclasses import dataclass, field

from xinyong.accounts.choices import ActorKind, ApiScope, DepartmentKind, Role

_DEPARTMENT_ROLES = (Role.DEPARTMENT_OPERATOR, Role.DEPARTMENT_REVIEWER)


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    label: str  # username, client name or "system"
    role: str = ""
    user_id: int | None = None
    client_id: int | None = None
    department_id: int | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    # -- who it is --------------------------------------------------------------------
    @property
    def is_system(self) -> bool:
        return self.kind == ActorKind.SYSTEM

    @property
    def is_client(self) -> bool:
        return self.kind == ActorKind.CLIENT

    @property
    def is_anonymous(self) -> bool:
        return self.kind == ActorKind.ANONYMOUS

    @property
    def is_public(self) -> bool:
        """A visitor or a portal account: reads what is published (and, once bound, its
        subject's own file); never a department's data."""
        return self.kind == ActorKind.ANONYMOUS or self.role == Role.PUBLIC

    @property
    def is_portal_account(self) -> bool:
        """A signed-in member of the public (acts for a subject only through a binding)."""
        return self.kind == ActorKind.USER and self.role == Role.PUBLIC

    @property
    def is_association(self) -> bool:
        """A clerk or business system of an industry association (行业协会商会): provides
        records about its members and runs its own procedures, nothing more."""
        return self.role == Role.ASSOCIATION_CLERK and self.department_id is not None

    @property
    def is_staff(self) -> bool:
        """Back-office users, business systems and the platform itself — not an industry
        association's people: they are no government staff, so every power granted to
        staff (credit checks, persons' data, reports, lists…) is closed to them."""
        return not self.is_public and self.role != Role.ASSOCIATION_CLERK

    @property
    def is_operator(self) -> bool:
        """The platform operator (信用办) or the platform itself: acts for any department."""
        return self.role == Role.PLATFORM_OPERATOR

    @property
    def is_auditor(self) -> bool:
        """Reads every department's back-office data and the audit trail; writes nothing."""
        return self.role == Role.AUDITOR

    @property
    def is_department_staff(self) -> bool:
        """A clerk, reviewer or business system of one department."""
        return self.department_id is not None and self.role in _DEPARTMENT_ROLES

    # -- what it may do ---------------------------------------------------------------
    @property
    def reads_all_departments(self) -> bool:
        """Sees every department's back-office data: the operator and the auditor."""
        return self.is_operator or self.is_auditor

    @property
    def reads_audit_checkpoints(self) -> bool:
        """Polls the audit trail's signed checkpoints: the auditor and the operator, or a
        business system (an upper platform) holding the ``audit:read`` scope."""
        if self.is_client:
            return ApiScope.AUDIT_READ in self.scopes
        return self.reads_all_departments or self.is_system

    @property
    def writes_all_departments(self) -> bool:
        """Acts on any department's data (on its behalf): the operator only."""
        return self.is_operator

    @property
    def reads_person_data(self) -> bool:
        """May read non-public data about persons (related persons, identifiers), within
        its department's scope: staff other than the auditor, whose trail shows acts, not
        persons."""
        return self.is_staff and not self.is_auditor

    @property
    def may_prepare(self) -> bool:
        """A clerk (经办人) or a business system: prepares its department's acts."""
        return self.is_department_staff and self.role == Role.DEPARTMENT_OPERATOR

    @property
    def may_decide(self) -> bool:
        """A reviewer (审核人): decides its department's acts (designations, repairs)."""
        return self.is_department_staff and self.role == Role.DEPARTMENT_REVIEWER

    @property
    def may_administer(self) -> bool:
        """Keeps reference data (departments, users, catalog, rules, calendar): the
        operator and the platform itself."""
        return self.is_operator

    def acts_for_department(self, department_id: int | None) -> bool:
        """May act on data of ``department_id``: its own staff, or the operator."""
        if self.writes_all_departments:
            return True
        return self.is_department_staff and department_id == self.department_id

    def has_scope(self, scope: str) -> bool:
        """A business system is limited to its token's scopes; users act by their role."""
        return not self.is_client or str(scope) in self.scopes

    @classmethod
    def for_user(cls, user) -> "Actor":
        return cls(
            kind=ActorKind.USER,
            label=user.username,
            role=user.role,
            user_id=user.pk,
            department_id=user.department_id,
        )

    @classmethod
    def for_client(cls, client) -> "Actor":
        association = client.department.kind == DepartmentKind.ASSOCIATION
        return cls(
            kind=ActorKind.CLIENT,
            label=client.name,
            role=Role.ASSOCIATION_CLERK if association else Role.DEPARTMENT_OPERATOR,
            client_id=client.pk,
            department_id=client.department_id,
            scopes=frozenset(client.scopes),
        )


SYSTEM = Actor(kind=ActorKind.SYSTEM, label="system", role=Role.PLATFORM_OPERATOR)
ANONYMOUS = Actor(kind=ActorKind.ANONYMOUS, label="anonymous", role=Role.PUBLIC)
