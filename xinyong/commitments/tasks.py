"""What commitments do when records change elsewhere: a breach record repaired or
withdrawn lifts its bar on notify-and-commit in that same transaction."""

from django.dispatch import receiver

from xinyong.records.signals import records_repaired, records_withdrawn


@receiver(records_repaired)
def lift_repaired(sender, *, record_ids, now, by, **kwargs) -> None:
    from xinyong.commitments.services import bars_lift

    bars_lift(record_ids=record_ids, now=now, by=by, why="违诺信息已信用修复")


@receiver(records_withdrawn)
def lift_withdrawn(sender, *, record_ids, now, by, **kwargs) -> None:
    from xinyong.commitments.services import bars_lift

    bars_lift(record_ids=record_ids, now=now, by=by, why="违诺信息已撤销")
