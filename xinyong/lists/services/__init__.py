"""Writes of credit lists: the designation procedure (:mod:`.designation`), the steps other
services compose (:mod:`.steps`) and the honor and dishonor roll (:mod:`.roll`)."""

from xinyong.lists.services.designation import (
    entry_decide,
    entry_drop,
    entry_hear,
    entry_notify,
    entry_objection_set,
    entry_open,
    entry_publish,
    entry_remove,
)
from xinyong.lists.services.roll import roll_publish, roll_publish_due
from xinyong.lists.services.statement import entry_statement_file
from xinyong.lists.services.steps import entries_expire, entries_objection_flag, entries_take_off

__all__ = [
    "entries_expire", "entries_objection_flag", "entries_take_off", "entry_decide",
    "entry_drop", "entry_hear", "entry_notify", "entry_objection_set", "entry_open",
    "entry_publish", "entry_remove", "entry_statement_file", "roll_publish", "roll_publish_due",
]  # fmt: skip
