"""The shape of a back-office to-do list: each app's selectors answer the steps waiting for
the reader in the data they own (set-based, the access layer's :func:`acting_q`), in this
shape, so that the dashboard only lays them out."""

import datetime
from dataclasses import dataclass, field

SHOWN = 10  # items listed per to-do list; the count says how many more wait


@dataclass(frozen=True)
class Todo:
    """One step waiting for the reader: what to do, on what, by when, and where."""

    step: str  # the step, named (标注异议, 审核信用修复…)
    subject: str  # the subject's name, or what the step is about
    about: str  # the object of the step (a decision number, a batch's file…)
    url: str  # the page where the step is taken
    due: datetime.date | None = None  # the rule's deadline, where the rule sets one
    late: bool = False  # the deadline has passed
    since: datetime.date | None = None  # waiting since (a period ended, a failure)


@dataclass(frozen=True)
class TodoList:
    """One to-do list: its first :data:`SHOWN` items, late ones first, and how many in all."""

    key: str  # stable name (tests, anchors)
    title: str
    url: str  # the page with every item
    total: int
    items: list[Todo] = field(default_factory=list)

    @property
    def late(self) -> int:
        return sum(1 for t in self.items if t.late)


def late_first(items: list[Todo]) -> list[Todo]:
    """Late items first, then by deadline (none last), then by waiting time."""
    far = datetime.date.max
    return sorted(items, key=lambda t: (not t.late, t.due or far, t.since or far))
