"""The designation procedure's rules: which step may follow which status, and who takes it.
Services enforce them; pages ask them which steps to offer."""

from dataclasses import dataclass

from xinyong.accounts.choices import Role
from xinyong.audit.choices import AuditAction
from xinyong.lists.choices import EntryAction
from xinyong.lists.choices import EntryStatus as S

CLERKS = (Role.DEPARTMENT_OPERATOR, Role.PLATFORM_OPERATOR)
REVIEWERS = (Role.DEPARTMENT_REVIEWER, Role.PLATFORM_OPERATOR)


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    audit: AuditAction


STEPS = {
    EntryAction.NOTIFY: Step((S.OPENED,), S.NOTIFIED, CLERKS, AuditAction.LIST_ENTRY_NOTIFY),
    EntryAction.HEAR: Step((S.NOTIFIED,), S.HEARD, CLERKS, AuditAction.LIST_ENTRY_HEAR),
    EntryAction.DECIDE: Step((S.HEARD,), S.DECIDED, REVIEWERS, AuditAction.LIST_ENTRY_DECIDE),
    EntryAction.PUBLISH: Step((S.DECIDED,), S.PUBLISHED, REVIEWERS,
                              AuditAction.LIST_ENTRY_PUBLISH),
    EntryAction.REMOVE: Step((S.PUBLISHED,), S.REMOVED, REVIEWERS, AuditAction.LIST_ENTRY_REMOVE),
    EntryAction.DROP: Step((S.OPENED, S.NOTIFIED, S.HEARD), S.DROPPED, REVIEWERS,
                           AuditAction.LIST_ENTRY_DROP),
}  # fmt: skip
# A designation stands (decided, or published — in force or not yet): an objection on the
# entry or on a record it rests on marks it, so that measures stay suspended from the day
# it is published. Whether an entry has EFFECT is another question, answered only by
# lists.models.in_force_q and the methods built from it.
DESIGNATED = (S.DECIDED, S.PUBLISHED)


def sources_of(action: str, list_type) -> tuple[str, ...]:
    """The statuses ``action`` may be taken from; a list without prior notice decides
    straight from the opened case."""
    if action == EntryAction.DECIDE and not list_type.prior_notice:
        return (S.OPENED,)
    return STEPS[action].sources


def next_actions(entry, actor) -> list[str]:
    """The steps ``actor`` (by its role, in the designating department) may take now."""
    return [
        a for a, step in STEPS.items()
        if entry.status in sources_of(a, entry.list_type) and actor.role in step.roles
    ]  # fmt: skip


def next_step(entry) -> str | None:
    """The name of the step the procedure expects next (for the refusal of another one)."""
    return next(
        (
            str(EntryAction(a).label)
            for a in STEPS
            if a != EntryAction.DROP and entry.status in sources_of(a, entry.list_type)
        ),
        None,
    )


def may_open_case(actor) -> bool:
    """A case is opened by a clerk (or the operator) of a department."""
    return actor.role in CLERKS and actor.department_id is not None


def marks_objections(actor, entry) -> bool:
    """The designating department, or the operator who receives objections, marks one."""
    return actor.writes_all_departments or entry.department_id == actor.department_id
