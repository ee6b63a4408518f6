"""What the credit files tell the rest of the platform."""

from django.dispatch import Signal

# Sent inside the transaction that withdrew records (a batch's withdrawal rows, or an
# objection decided "revoked"); kwargs: record_ids, now, by (who withdrew them).
# Receivers act in the same transaction — dual publicity takes the publications down at
# once, lists take off the entries imported from those records — so a withdrawal is never
# half visible.
records_withdrawn = Signal()

# Sent inside the transaction of a repair's approval (信用修复成功); kwargs: record_ids,
# now, by. Receivers undo, in that same transaction, what rested on those records — a
# breach's bar on notify-and-commit is lifted at once.
records_repaired = Signal()
