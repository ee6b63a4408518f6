"""Recurring background jobs: a task that queues its own next run (the daily upkeep, the
batch watch, the audit checkpoint) asks :func:`schedule_once`, so that a second caller —
a batch job, a command, the task itself — never queues a second copy."""

import datetime


def schedule_once(task, at: datetime.datetime) -> datetime.datetime | None:
    """Queue ``task`` to run at ``at`` unless a run is already waiting; when the waiting
    (or new) run will happen, or None when the task backend cannot defer (then the job's
    command runs from cron)."""
    if not task.get_backend().supports_defer:
        return None
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=task.module_path, status="READY").values_list(
        "run_after", flat=True
    )
    if waiting:
        return min(waiting)
    task.using(run_after=at).enqueue()
    return at
