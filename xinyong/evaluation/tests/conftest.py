import datetime

import pytest

from xinyong.evaluation import services
from xinyong.evaluation.engine import run_execute
from xinyong.ingest.services import batch_process, batch_submit_rows
from xinyong.ingest.tests.conftest import penalty

TODAY = datetime.date(2026, 12, 1)


def penalties(actor, *rows: dict):
    """Administrative penalties against 华为技术有限公司 through the ingestion pipeline."""
    batch = batch_submit_rows(actor=actor, item_code="administrative_penalty",
                              rows=[penalty(n, **r) for n, r in enumerate(rows, 1)],
                              channel="api")  # fmt: skip
    batch = batch_process(batch_id=batch.pk)
    assert batch.status == "done", batch.error_summary if hasattr(batch, "error_summary") else ""
    return batch


def evaluate(actor, kind="full", as_of=TODAY):
    run = services.run_request(actor=actor, kind=kind, as_of=as_of)
    return run_execute(run.pk)


@pytest.fixture
def operator(actors):
    return actors["operator"]
