"""The dashboard's to-do lists: each asked of the app owning the data (set-based selectors,
the access layer deciding whose), in the order a role works through them. A list the role
can never act on comes back empty and is left out."""

import datetime

from xinyong.accounts.actors import Actor
from xinyong.bodies.selectors import receipts_todo
from xinyong.commitments.office import checks_todo, decisions_todo
from xinyong.core.todo import TodoList
from xinyong.declarations.selectors import declarations_todo
from xinyong.demonstration.selectors import findings_todo
from xinyong.exchange.webhooks.selectors import webhooks_todo
from xinyong.ingest.selectors import batches_todo
from xinyong.lists.selectors import cases_todo
from xinyong.remedies.selectors import bindings_todo, objections_todo, repairs_todo
from xinyong.sanctions.selectors import tasks_todo
from xinyong.supervision.selectors import results_todo
from xinyong.tips.selectors import tips_todo

SOURCES = (
    objections_todo,
    repairs_todo,
    cases_todo,
    decisions_todo,
    checks_todo,
    tasks_todo,
    bindings_todo,
    batches_todo,
    declarations_todo,
    results_todo,
    webhooks_todo,
    findings_todo,
    receipts_todo,
    tips_todo,
)


def todo_lists(*, actor: Actor, today: datetime.date) -> list[TodoList]:
    """The reader's to-do lists with something in them; lists with late items first."""
    lists = [t for source in SOURCES if (t := source(actor=actor, today=today)).total]
    return sorted(lists, key=lambda t: not t.late)
