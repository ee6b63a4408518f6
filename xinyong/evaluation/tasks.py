"""Background jobs of the evaluation, run by `xinyong db_worker`: a requested run, and the
daily incremental run the daily upkeep requests once it has done its day's work."""

import datetime

from django.utils import timezone
from django_tasks import task

from xinyong.core.context import request_context


@task()
def evaluation_run(run_id: int) -> None:
    from xinyong.evaluation.engine import run_execute

    with request_context(channel="worker"):
        run_execute(run_id)


def evaluation_daily(*, now: datetime.datetime | None = None):
    """The day's incremental run, requested by the daily upkeep after records past their
    retention, entries past their term and the publicity sweep are done — so it sees the
    day's file (the subjects they changed are among those it evaluates). None without a
    model in use, or while another run is queued or running (that one reads the changes;
    the next day's run takes what it missed). The worker executes it; where no worker
    runs, ``xinyong daily_upkeep`` executes it itself."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.evaluation import selectors, services
    from xinyong.evaluation.choices import RunKind
    from xinyong.evaluation.models import ModelVersion

    if selectors.run_busy() or not ModelVersion.objects.filter(active=True).exists():
        return None
    return services.run_request(
        actor=SYSTEM, kind=RunKind.INCREMENTAL, as_of=timezone.localdate(now or timezone.now())
    )
