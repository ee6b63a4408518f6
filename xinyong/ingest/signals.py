"""What ingestion tells the rest of the platform."""

from django.dispatch import Signal

# Sent once a batch's records are committed; kwargs: batch_id, item_code. Receivers react
# (e.g. dual publicity publishes the new decisions) without ingestion knowing them.
batch_applied = Signal()
