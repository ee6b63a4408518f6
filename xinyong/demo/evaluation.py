"""The demo city's evaluation: a full run of the model in use once the city's records,
lists, commitments and declarations are in, so that the back office shows grades, the
demo company's account its explanation and the reports their evaluation section."""

from xinyong.accounts.actors import SYSTEM
from xinyong.evaluation import selectors, services
from xinyong.evaluation.choices import RunKind
from xinyong.evaluation.engine import run_execute


def build_evaluation():
    """A full run now, in this process (the run a worker would take; none while another
    is queued or running, nor without a model in use). The run, or None when none was."""
    if selectors.run_busy() is not None or selectors.active_model() is None:
        return None
    run = services.run_request(actor=SYSTEM, kind=RunKind.FULL)
    return run_execute(run.pk)
