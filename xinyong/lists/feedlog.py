"""The steps of list entries the outbound feed tells of, logged in the platform's one
change log (``exchange``) as they are written. The procedure's inner steps (case opened,
prior notice, hearing, decision before publication, online statements) are not the
public's; which entries the feed shows (public lists only) is decided when it is read."""

from xinyong.exchange.choices import Feed
from xinyong.exchange.log import changes_append
from xinyong.lists.choices import EntryAction
from xinyong.lists.models import ListEntry, ListEntryEvent

FEED_ACTIONS = (EntryAction.PUBLISH, EntryAction.IMPORT, EntryAction.REMOVE, EntryAction.OBJECTION)


def log(events: list[ListEntryEvent], at) -> None:
    """A step in the writer's transaction (before its audit event)."""
    shown = [e for e in events if e.action in FEED_ACTIONS]
    if not shown:
        return
    subjects = dict(
        ListEntry.objects.filter(pk__in={e.entry_id for e in shown}).values_list("pk", "subject_id")
    )
    changes_append(Feed.LISTS, [(str(e.action), e.pk, subjects.get(e.entry_id)) for e in shown], at)
