"""The records' rollup replaced by rows counted elsewhere (a batch engine's,
``engines.services.records_rollup_batch_rebuild``): written in bulk with the given data
time as the watermark; rows older than the watermark refused, nothing written."""

import datetime

import pytest

from xinyong.stats.models import RecordDaily
from xinyong.stats.rollups import (
    RollupStale,
    records_mark,
    records_rollup_refresh,
    records_rollup_replace,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 1)


def test_rows_replace_the_rollup_and_older_ones_are_refused():
    RecordDaily.objects.create(day=DAY, provider_id=1, item_code="old", n=9)
    records_rollup_refresh()  # a watermark (no record: nothing added)
    mark = records_mark()
    with pytest.raises(RollupStale) as e:
        records_rollup_replace([[(DAY, 1, "x", 5)]], until=mark - datetime.timedelta(seconds=1))
    assert e.value.mark == mark
    assert list(RecordDaily.objects.values_list("item_code", "n")) == [("old", 9)]
    assert records_mark() == mark
    rows = [
        [(DAY, 1, "a\\tb", 5), (DAY, 2, "x", 1)],
        [(DAY + datetime.timedelta(days=1), 1, "x", 2)],
    ]
    assert records_rollup_replace(iter(rows), until=mark) == 3
    got = sorted(RecordDaily.objects.values_list("day", "provider_id", "item_code", "n"))
    assert got == sorted(r for chunk in rows for r in chunk) and records_mark() == mark
