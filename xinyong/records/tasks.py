"""The daily upkeep, run by `xinyong db_worker`: records past their retention leave the
credit file, list entries whose term ended leave their lists, then the publication sweep
(periods that ended, anything a batch left), and last the day's incremental evaluation is
requested (issue #16).
Each run queues the next one, so a platform whose worker runs needs no cron."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from xinyong.audit.tasks import checkpoint_now, checkpoint_schedule
from xinyong.core.context import request_context
from xinyong.core.tasks import schedule_once


def upkeep_run(*, now: datetime.datetime | None = None):
    """The daily jobs, now: ``(retention report, entries expired, sweep report)``; and last
    month's honor and dishonor roll when nobody has published it yet."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.commitments.services import commitments_sweep
    from xinyong.disclosure.sweep import publication_sweep
    from xinyong.lists.services import entries_expire, roll_publish_due
    from xinyong.records.services import record_retention_sweep

    done = (
        record_retention_sweep(actor=SYSTEM, now=now),
        entries_expire(actor=SYSTEM, now=now),
        publication_sweep(actor=SYSTEM, now=now),
    )
    roll_publish_due(actor=SYSTEM, now=now)
    _stats_rollups(now)  # after the sweep; before the report, which reads the checks' rollup
    _monthly_report(now)  # last month's effectiveness report, once
    commitments_sweep(actor=SYSTEM, now=now)  # late deficiency cases end, validity lapses
    _notice_reminders(now)  # public bodies' notices past their deadline, unacknowledged
    _evaluation(now)  # requested (the worker runs it): its audit event is in the checkpoint
    _alerts(now)  # early warning (issue #18), on what the sweeps left
    _exchange(now)  # yesterday's digests and the nodes' packages: in the checkpoint too
    checkpoint_now()  # a signed checkpoint of the audit chain, kept outside the database
    _batch_steps(now)
    _partitions(now)
    _declaration_records()
    _demonstration_breaches(now)
    _tip_records()
    return done


def _partitions(now: datetime.datetime | None) -> None:
    """Next months' partitions of the check log made ready; months past retention dropped."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.core.services import partitions_upkeep

    partitions_upkeep(actor=SYSTEM, today=timezone.localdate(now) if now else None)


def _notice_reminders(now: datetime.datetime | None) -> None:
    """Notices about public bodies not acknowledged by their deadline: reminded daily."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.bodies.services import receipts_remind

    receipts_remind(actor=SYSTEM, now=now)


def _exchange(now: datetime.datetime | None) -> None:
    """File exchange's daily part: yesterday's count-and-digest of every feed stored, then
    each exchange node's packages of the feeds it takes (``exchange.fileservices``)."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.exchange.fileservices import exchange_daily

    exchange_daily(actor=SYSTEM, now=now)


def _evaluation(now: datetime.datetime | None) -> None:
    """The day's incremental evaluation, after the sweeps: the worker runs it once this
    upkeep is over, so it reads the file the upkeep left."""
    from xinyong.evaluation.services import evaluation_daily

    evaluation_daily(now=now)


def _alerts(now: datetime.datetime | None) -> None:
    """Early warning (失信预警): every active rule evaluated, alerts raised or updated."""
    from xinyong.alerts.run import alerts_run

    alerts_run(now=now)


def _monthly_report(now: datetime.datetime | None) -> None:
    """Last month's effectiveness report (跟踪问效月报), when nobody has generated it."""
    from xinyong.stats.services import monthly_report_due

    monthly_report_due(now=now)


def _declaration_records() -> None:
    """Verified self-declarations whose record could not be written then, written now."""
    from xinyong.declarations.services import declarations_record_pending

    declarations_record_pending()


def _demonstration_breaches(now: datetime.datetime | None) -> None:
    """Awarded demonstration units whose members were listed since: found for the organiser."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.demonstration.services import units_breach_scan

    units_breach_scan(actor=SYSTEM, now=now)


def _tip_records() -> None:
    """Substantiated tips whose record could not be written then, written now."""
    from xinyong.tips.services import tips_record_pending

    tips_record_pending()


def _stats_rollups(now: datetime.datetime | None) -> None:
    """The statistics' rollups (issue #17): records collected and credit checks brought up
    to now, dual publicity counted again after the sweep above."""
    from xinyong.stats.rollups import (
        checks_rollup_refresh,
        publications_rollup_rebuild,
        records_rollup_refresh,
    )

    records_rollup_refresh(now=now)
    checks_rollup_refresh(now=now)
    publications_rollup_rebuild(now=now)


def _batch_steps(now: datetime.datetime | None) -> None:
    """Ingestion's daily part: stored payloads past their retention are deleted, and any
    batch whose worker died is queued again (the watch does so every minute where a worker
    runs; this covers platforms that run the upkeep from cron)."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.ingest.recovery import batch_payloads_purge, batches_recover
    from xinyong.ingest.tasks import enqueue_batch

    batch_payloads_purge(actor=SYSTEM, now=now)
    batches_recover(actor=SYSTEM, enqueue=enqueue_batch, now=now)


@task()
def daily_upkeep() -> None:
    with request_context(channel="worker"):
        upkeep_run()
    upkeep_schedule()


def next_run(now: datetime.datetime) -> datetime.datetime:
    """The next ``XINYONG_DAILY_AT`` (local time) after ``now``."""
    hour, minute = (int(x) for x in settings.XINYONG_DAILY_AT.split(":"))
    local = timezone.localtime(now)
    at = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return at if at > local else at + datetime.timedelta(days=1)


def upkeep_schedule(*, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Queue the next daily run unless one is already waiting; when it will run, or None
    when the task backend cannot defer (then run `xinyong daily_upkeep` from cron)."""
    checkpoint_schedule()  # the audit chain's frequent checkpoints (audit/tasks.py)
    _webhooks_schedule()
    return schedule_once(daily_upkeep, next_run(now or timezone.now()))


def _webhooks_schedule() -> None:
    """The webhook pump (exchange/webhooks/tasks.py), queued with the upkeep's first run."""
    from xinyong.exchange.webhooks.tasks import webhooks_schedule

    webhooks_schedule()
