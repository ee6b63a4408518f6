"""Background jobs of the evaluation, run by `xinyong db_worker`."""

from django_tasks import task

from xinyong.core.context import request_context


@task()
def evaluation_run(run_id: int) -> None:
    from xinyong.evaluation.engine import run_execute

    with request_context(channel="worker"):
        run_execute(run_id)
