"""The acting party of a service call: a back-office user, an API client or the system.

Services take ``actor`` as a keyword so that scoping and the audit trail never have to
guess who is acting."""

from dataclasses import dataclass, field

from xinyong.accounts.choices import Role


@dataclass(frozen=True)
class Actor:
    kind: str  # "user", "client" or "system"
    label: str  # username, client name or "system"
    role: str = ""
    user_id: int | None = None
    client_id: int | None = None
    department_id: int | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def sees_all_departments(self) -> bool:
        return self.kind == "system" or self.role == Role.PLATFORM_OPERATOR

    @classmethod
    def for_user(cls, user) -> "Actor":
        return cls(
            kind="user",
            label=user.username,
            role=user.role,
            user_id=user.pk,
            department_id=user.department_id,
        )

    @classmethod
    def for_client(cls, client) -> "Actor":
        return cls(
            kind="client",
            label=client.name,
            role=Role.DEPARTMENT_OPERATOR,
            client_id=client.pk,
            department_id=client.department_id,
            scopes=frozenset(client.scopes),
        )


SYSTEM = Actor(kind="system", label="system", role=Role.PLATFORM_OPERATOR)
ANONYMOUS = Actor(kind="anonymous", label="anonymous", role=Role.PUBLIC)
