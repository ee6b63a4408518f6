"""What the credit files tell the rest of the platform."""

from django.dispatch import Signal

# Sent inside the transaction that withdrew records (a batch's withdrawal rows, or an
# objection decided "revoked"); kwargs: record_ids, now, by (who withdrew them).
# Receivers act in the same transaction — dual publicity takes the publications down at
# once, lists take off the entries imported from those records — so a withdrawal is never
# half visible.
records_withdrawn = Signal()
