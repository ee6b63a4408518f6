"""The statistics' rollups: records collected (``RecordDaily``) and credit checks
(``CheckDaily``, ``CheckMeasureDaily``), kept up to a watermark; dual publicity
(``PublicationDaily``, ``PublishedDaily``), rebuilt.

Built set-based: one ``GROUP BY`` over the records stored since the last watermark, added to
the rows already there. The watermark is the start of the oldest transaction still open (on
PostgreSQL), as the evaluation's data time: a batch that stamped its records before the
refresh but commits after it is counted live until the next refresh, never lost between
the two. The daily upkeep refreshes it; ``stats_rollup`` (a full rebuild) after a bulk load.
A province rebuilds the rollups on a batch engine instead (``stats_rebuild``): the engine
counts an export, ``records_rollup_replace``, ``publications_rollup_replace`` and
``checks_rollup_replace`` write its rows and the export's data time as the mark.
Derived figures, not a user's act: no audit event (the records' own events are the
trail)."""

from xinyong.stats.rollups.checks import (
    check_answers,
    check_counts,
    checks_mark,
    checks_rollup_refresh,
    checks_rollup_replace,
    measure_counts,
    measure_rows,
)
from xinyong.stats.rollups.common import (
    CHECKS,
    PUBLICATIONS,
    RECORDS,
    RollupStale,
    live_from,
)
from xinyong.stats.rollups.publications import (
    publications_mark,
    publications_rollup_rebuild,
    publications_rollup_replace,
)
from xinyong.stats.rollups.records import (
    after_mark,
    daily_counts,
    records_mark,
    records_rollup_refresh,
    records_rollup_replace,
)

__all__ = [
    "CHECKS", "PUBLICATIONS", "RECORDS", "RollupStale", "after_mark", "check_answers",
    "check_counts", "checks_mark", "checks_rollup_refresh", "checks_rollup_replace",
    "daily_counts", "live_from", "measure_counts", "measure_rows", "publications_mark",
    "publications_rollup_rebuild", "publications_rollup_replace", "records_mark",
    "records_rollup_refresh", "records_rollup_replace",
]  # fmt: skip
